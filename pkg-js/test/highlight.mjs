// Code highlighting after insertion, in Chromium (issue 20): safemark writes a code block as
// `<pre><code class="language-…">` with its text escaped; the README's snippet runs
// highlight.js over each block's text after the HTML is inserted. For hostile fences (HTML,
// script, a closing </code>, an info string trying attributes, XML entities, CSS urls, an
// unknown language, a mermaid block), the highlighted page makes no request, runs no script,
// keeps every block's text exactly, and holds only highlight.js's spans inside code. The same
// page inserting the code's text as HTML is the negative control: its tripwire must fire.
import { launchChromium, serveFiles, checks, safemarkFiles } from './chromium.mjs';

const here = (p) => new URL(p, import.meta.url);
const TRIP = 'window.__tripped=(window.__tripped||0)+1';
const markdown = [
  '```html', `<img src=x onerror="${TRIP}">`, `<script>${TRIP}</script>`, '```', '',
  `\`\`\`js" onmouseover="${TRIP}`, 'alert(1)', '```', '',
  '```javascript', `</code></pre><img src=x onerror=${TRIP}>`, 'const a = `${b}`;', '```', '',
  '```xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "https://evil.example/">]><x>&e;</x>', '```', '',
  '```css', 'body { background: url(https://evil.example/bg.png) }', '```', '',
  '```unknownlang', 'foo <b>bar</b>', '```', '',
  '```mermaid', `graph TD; A-->B; click A "javascript:${TRIP}"`, '```', '',
  '    indented <img src=x onerror=' + TRIP + '>', '',
].join('\n');

// esbuild bundles highlight.js (CommonJS) for the page, as an app's bundler would.
const esbuild = await import('esbuild');
const hljs = (await esbuild.build({
  stdin: { contents: "import hljs from 'highlight.js/lib/common'; window.hljs = hljs;", resolveDir: here('.').pathname },
  bundle: true, format: 'iife', write: false, tsconfigRaw: {}, logLevel: 'error',
})).outputFiles[0].contents;

const main = `
import { init, renderMarkdown } from './dist/safemark.js';
const { markdown } = await (await fetch('./input.json')).json();
await init();
const root = document.getElementById('out');
root.innerHTML = renderMarkdown(markdown);
const before = [...root.querySelectorAll('pre > code')].map((c) => c.textContent);
const control = location.search === '?control';
// The README's snippet.
for (const code of root.querySelectorAll('pre > code[class^="language-"]')) {
  const language = code.className.slice('language-'.length);
  if (control) { code.innerHTML = code.textContent; continue; }  // the mistake: text as HTML
  if (!hljs.getLanguage(language)) continue;
  // highlight() escapes the text it is given; never give it HTML.
  code.innerHTML = hljs.highlight(code.textContent, { language, ignoreIllegals: true }).value;
}
await new Promise((r) => setTimeout(r, 300));
const inside = [...root.querySelectorAll('pre > code *')];
window.result = {
  blocks: before.length,
  highlighted: root.querySelectorAll('pre > code .hljs-keyword, pre > code [class^="hljs-"]').length,
  sameText: [...root.querySelectorAll('pre > code')].map((c) => c.textContent).every((t, i) => t === before[i]),
  // highlight.js writes spans with its classes (hljs-*, and language-* / language_ for a
  // language embedded in another): nothing else.
  foreign: inside.filter((e) => e.localName !== 'span' || [...e.attributes].some((a) => a.name !== 'class' ||
    !a.value.split(' ').every((c) => /^(hljs-[a-z_-]+|language[-_][a-z]*)$/.test(c)))).map((e) => e.outerHTML.slice(0, 80)),
  classes: [...root.querySelectorAll('pre > code')].map((c) => c.className),
  codeAttributes: [...root.querySelectorAll('pre, pre > code')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n !== 'class'),
  handlers: [...root.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
};`;
const files = {
  '/page.html': [Buffer.from('<!doctype html><meta charset="utf-8"><div id="out"></div><script src="hljs.js"></script><script type="module" src="main.js"></script>'), 'text/html'],
  '/main.js': [Buffer.from(main), 'text/javascript'],
  '/hljs.js': [Buffer.from(hljs), 'text/javascript'],
  '/input.json': [Buffer.from(JSON.stringify({ markdown })), 'application/json'],
  ...safemarkFiles(),
};

const { check, done } = checks('highlight');
const { origin, close, strays } = await serveFiles(files);
const browser = await launchChromium();
const run = async (query) => {
  const page = await browser.newPage();
  const stray = strays(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/page.html${query}`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 30000 });
  const result = await page.evaluate(() => window.result);
  const tripped = await page.evaluate(() => window.__tripped ?? 0);
  await page.close();
  return { result, tripped, stray, errors };
};
try {
  const { result: r, tripped, stray, errors } = await run('');
  console.log(`# ${r.blocks} hostile code blocks (${r.classes.join(', ')}), ${r.highlighted} highlight.js spans`);
  check(r.blocks === 8 && r.highlighted > 10, `the blocks are highlighted (${r.blocks} blocks, ${r.highlighted} spans)`);
  check(r.codeAttributes.length === 0, `an info string cannot write attributes: the class holds it as text (${r.classes[1]})`);
  check(r.sameText, 'every block keeps its text exactly');
  check(r.foreign.length === 0, `only highlight.js's spans inside code (${r.foreign.join(' | ')})`);
  check(r.handlers === 0, `no handler attribute (${r.handlers})`);
  check(stray.length === 0, `no request beyond the page's files (${stray.join(' ')})`);
  check(tripped === 0 && errors.length === 0, `no script ran (tripwires ${tripped}; ${errors.join('; ')})`);
  const control = await run('?control');
  check(control.tripped > 0 || control.result.handlers > 0,
    `negative control (the code's text inserted as HTML): tripwires ${control.tripped}, handlers ${control.result.handlers}`);
} finally {
  await browser.close();
  close();
}
done();
