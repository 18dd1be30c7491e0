// Chromium (Debian's, through playwright-core): the same comparison with the real DOM.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { SIZES, table } from './common.mjs';

// Installed versions, read from disk (not every package exports its package.json).
const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

const here = (p) => new URL(p, import.meta.url);
const files = {
  '/': [here('page.html'), 'text/html'],
  '/common.mjs': [here('common.mjs'), 'text/javascript'],
  '/lib/markdown-it.min.js': [here('node_modules/markdown-it/dist/markdown-it.min.js'), 'text/javascript'],
  '/lib/purify.min.js': [here('node_modules/dompurify/dist/purify.min.js'), 'text/javascript'],
  '/lib/marked.umd.js': [here('node_modules/marked/lib/marked.umd.js'), 'text/javascript'],
  '/lib/remend.js': [here('node_modules/remend/dist/index.js'), 'text/javascript'],
  '/safemark/safemark.js': [here('../../pkg-js/dist/safemark.js'), 'text/javascript'],
  '/safemark/wasm/safemark_wasm.js': [here('../../pkg-js/dist/wasm/safemark_wasm.js'), 'text/javascript'],
  '/safemark/wasm/safemark_wasm_bg.wasm': [here('../../pkg-js/dist/wasm/safemark_wasm_bg.wasm'), 'application/wasm'],
};
const server = createServer((req, res) => {
  const f = files[req.url.split('?')[0]];
  if (!f) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': f[1] }).end(readFileSync(f[0]));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.benchReady === true);
  const docs = Object.fromEntries(
    SIZES.map((s) => [s, readFileSync(here(`../target/docs/${s}.md`), 'utf8')]),
  );
  const versions = Object.fromEntries(
    ['safemark', 'markdown-it', 'dompurify', 'marked'].map((p) => [p, version(p)]),
  );
  const rows = await page.evaluate(([d, v]) => window.runBench(d, v), [docs, versions]);
  console.log(table(`Chromium ${browser.version()}`, rows));

  // Streaming as a reader sees it (issue 18): the generated answers of the npm tests, without
  // their image and raw-HTML lines (those would load and are not healing's matter).
  const answers = JSON.parse(readFileSync(here('../../pkg-js/test/answers.json'), 'utf8'))
    .map((a) => a.split('\n').filter((l) => !l.includes('<') && !l.includes('![')).join('\n'));
  const reading = await page.evaluate((a) => window.runReading(a), answers);
  console.log(`\n| ${answers.length} answers a character at a time, Chromium | states | prefix of the final text | showing a character not in the input |`);
  console.log('|---|---:|---:|---:|');
  for (const r of reading) {
    console.log(`| ${r.name} | ${r.total} | ${(100 * r.prefixes / r.total).toFixed(2)}% | ${r.garbage} |`);
  }
} finally {
  await browser.close();
  server.close();
}
