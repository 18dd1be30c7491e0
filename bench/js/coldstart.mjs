// Cold start in Chromium (issue 19): from navigation to the first rendered 20 KB answer, with
// the HTTP cache disabled, for safemark (full), safemark/lite, safemark/lite/nowasm (no
// WebAssembly: wasm2js) and marked + DOMPurify. Each run
// is a fresh browser context; the page loads the pipeline, renders the answer into the page,
// and reports performance.now() (time since navigation start). Median of RUNS (default 9).
// The server is local (no network time): what is measured is fetch from loopback, compile,
// instantiate and the first render. The .wasm is served as application/wasm, so safemark's
// init() compiles it while it streams in (WebAssembly.compileStreaming).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { answerOfSize } from '../../pkg-js/test/corpus.js';

const here = (p) => new URL(p, import.meta.url);
const version = (name) =>
  JSON.parse(readFileSync(here(`./node_modules/${name}/package.json`), 'utf8')).version;
const RUNS = Number(process.env.RUNS ?? 9);
const answer = answerOfSize(20000);

const page = (head, body) => `<!doctype html><meta charset="utf-8"><title>cold</title>${head}
<div id="out"></div><script type="module">
const answer = await (await fetch('/answer.md')).text();
${body}
document.getElementById('out').innerHTML = html;
window.coldMs = performance.now();
</script>`;
const entry = (js) => page('', `
import { init, renderMarkdown } from '${js}';
await init();
const html = renderMarkdown(answer);`);
const pages = {
  'safemark (full)': entry('/pkg/safemark.js'),
  'safemark/lite': entry('/pkg/lite.js'),
  'safemark/lite/nowasm': entry('/pkg/lite-nowasm.js'),
  [`marked ${version('marked')} + DOMPurify ${version('dompurify')}`]: page(
    '<script src="/lib/marked.umd.js"></script><script src="/lib/purify.min.js"></script>',
    'const html = DOMPurify.sanitize(marked.parse(answer));',
  ),
};

const files = {
  '/answer.md': [Buffer.from(answer), 'text/markdown'],
  '/lib/marked.umd.js': [here('node_modules/marked/lib/marked.umd.js'), 'text/javascript'],
  '/lib/purify.min.js': [here('node_modules/dompurify/dist/purify.min.js'), 'text/javascript'],
};
for (const f of ['safemark.js', 'lite.js', 'wasm/safemark_wasm.js', 'wasm-lite/safemark_wasm.js',
  'lite-nowasm.js', 'nowasm/safemark_wasm.js', 'nowasm/safemark_wasm_bg.js']) {
  files[`/pkg/${f}`] = [here(`../../pkg-js/dist/${f}`), 'text/javascript'];
}
for (const d of ['wasm', 'wasm-lite']) {
  files[`/pkg/${d}/safemark_wasm_bg.wasm`] = [here(`../../pkg-js/dist/${d}/safemark_wasm_bg.wasm`), 'application/wasm'];
}
Object.entries(pages).forEach(([name, html], i) => { files[`/page${i}.html`] = [Buffer.from(html), 'text/html']; });

const server = createServer((req, res) => {
  const f = files[req.url.split('?')[0]];
  if (!f) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': f[1], 'cache-control': 'no-store' })
    .end(Buffer.isBuffer(f[0]) ? f[0] : readFileSync(f[0]));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const rows = [];
  for (const [i, name] of Object.keys(pages).entries()) {
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      tab.on('pageerror', (e) => console.error(`${name}: ${e.message}`));
      await tab.goto(`${origin}/page${i}.html`);
      await tab.waitForFunction(() => window.coldMs !== undefined, null, { timeout: 30000 });
      times.push(await tab.evaluate(() => window.coldMs));
      await context.close();
    }
    times.sort((a, b) => a - b);
    rows.push([name, times[Math.floor(times.length / 2)], times[0]]);
  }
  const base = rows[rows.length - 1][1];
  console.log(`\n| cold first render of a 20 KB answer, Chromium ${browser.version()}, cache disabled | median ms | best ms | × marked + DOMPurify |`);
  console.log('|---|---:|---:|---:|');
  for (const [name, median, best] of rows) {
    console.log(`| ${name} | ${median.toFixed(1)} | ${best.toFixed(1)} | ${(median / base).toFixed(2)}× |`);
  }
} finally {
  await browser.close();
  server.close();
}
