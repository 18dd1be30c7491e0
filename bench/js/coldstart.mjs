// Cold start in Chromium (issue 19): from navigation to the first rendered 20 KB answer, with
// the HTTP cache disabled, for safemark (full), safemark/lite, safemark/lite/nowasm (no
// WebAssembly: wasm2js) and marked + DOMPurify. Each run
// is a fresh browser context; the page loads the pipeline, renders the answer into the page,
// and reports performance.now() (time since navigation start). Median of RUNS (default 9).
// The server is local and serves every file gzipped (level 9, as the package's sizes are
// measured), as application/wasm for the .wasm, so safemark's init() compiles it while it
// streams in (WebAssembly.compileStreaming). Measured under three network conditions, set by
// Chromium's own throttling (DevTools protocol, `Network.emulateNetworkConditions`, which
// counts the bytes as they arrive, compressed): loopback (no network time: fetch, compile,
// instantiate and the first render), 10 Mbit/s with a 40 ms round trip, and Lighthouse's
// mobile profile, 1.6 Mbit/s with a 150 ms round trip, where what the page downloads counts.
// NETWORKS measures fewer: a comma-separated list of the names' first parts below
// (NETWORKS='loopback,10 Mbit/s').
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
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
const entry = (js, head = '', wasm = '') => page(head, `
import { init, renderMarkdown } from '${js}';
await init(${wasm && `'${wasm}'`});
const html = renderMarkdown(answer);`);
// The page names the entry's module graph and its .wasm in <link>s, so that Chromium fetches
// them with the page instead of one after another as each import is read: the .wasm as
// `fetch` with `crossorigin`, as init()'s fetch asks for it, and init() given its URL, as
// pkg-js/README.md ("Cold start") tells a page to write.
const preloaded = (js, dir) => entry(js, `<link rel="modulepreload" href="${js}">
<link rel="modulepreload" href="/pkg/${dir}/safemark_wasm.js">
<link rel="preload" href="/pkg/${dir}/safemark_wasm_bg.wasm" as="fetch" type="application/wasm" crossorigin>`,
`/pkg/${dir}/safemark_wasm_bg.wasm`);
const pages = {
  'safemark (full)': entry('/pkg/safemark.js'),
  'safemark (full), preloaded': preloaded('/pkg/safemark.js', 'wasm'),
  'safemark/lite': entry('/pkg/lite.js'),
  'safemark/lite, preloaded': preloaded('/pkg/lite.js', 'wasm-lite'),
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

// Each file gzipped once; sent so to a client that accepts it (Chromium does).
const zipped = new Map();
const body = (f) => Buffer.isBuffer(f[0]) ? f[0] : readFileSync(f[0]);
const server = createServer((req, res) => {
  const path = req.url.split('?')[0];
  const f = files[path];
  if (!f) return res.writeHead(404).end();
  if (!/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    return res.writeHead(200, { 'content-type': f[1], 'cache-control': 'no-store' }).end(body(f));
  }
  if (!zipped.has(path)) zipped.set(path, gzipSync(body(f), { level: 9 }));
  res.writeHead(200, { 'content-type': f[1], 'content-encoding': 'gzip', 'cache-control': 'no-store' })
    .end(zipped.get(path));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// Throughputs in bytes per second, latency in ms (the round trip Chromium adds to each request).
const networks = [
  ['loopback', null],
  ['10 Mbit/s, 40 ms', { latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 }],
  ['1.6 Mbit/s, 150 ms', { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 }],
].filter(([name]) => !process.env.NETWORKS || process.env.NETWORKS.split(',').includes(name.split(',')[0]));
try {
  // rows[page] = { name, bytes, cells: [[median, best] per network] }
  const rows = Object.keys(pages).map((name) => ({ name, bytes: 0, cells: [] }));
  for (const [, conditions] of networks) {
    for (const [i, row] of rows.entries()) {
      const times = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext();
        const tab = await context.newPage();
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        if (conditions) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
        let bytes = 0;
        cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
        tab.on('pageerror', (e) => console.error(`${row.name}: ${e.message}`));
        await tab.goto(`${origin}/page${i}.html`);
        await tab.waitForFunction(() => window.coldMs !== undefined, null, { timeout: 60000 });
        times.push(await tab.evaluate(() => window.coldMs));
        row.bytes = bytes;
        await context.close();
      }
      times.sort((a, b) => a - b);
      row.cells.push([times[Math.floor(times.length / 2)], times[0]]);
    }
  }
  const base = rows[rows.length - 1].cells;
  console.log(`\ncold first render of a 20 KB answer, Chromium ${browser.version()}, cache disabled, served gzipped; median of ${RUNS} (best), ms, and × marked + DOMPurify's median:\n`);
  console.log(`| page | transferred | ${networks.map(([n]) => n).join(' | ')} |`);
  console.log(`|---|---:|${networks.map(() => '---:').join('|')}|`);
  for (const row of rows) {
    const cells = row.cells.map(([median, best], k) =>
      `${median.toFixed(0)} (${best.toFixed(0)}), ${(median / base[k][0]).toFixed(2)}×`);
    console.log(`| ${row.name} | ${(row.bytes / 1000).toFixed(1)} KB | ${cells.join(' | ')} |`);
  }
} finally {
  await browser.close();
  server.close();
}
