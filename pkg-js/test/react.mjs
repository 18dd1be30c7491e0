// safemark/react in Chromium (issue 20), as a user builds it: the packed tarball installed
// into an empty project, a React app bundled with esbuild, served on 127.0.0.1. Under React 19
// (the package's dev dependency) and React 18 (test/react18, its own lockfile), and
// safemark/lite/react and safemark/lite/nowasm/react (the latter under a CSP without
// 'wasm-unsafe-eval') under React 19, each:
//
// - A hostile 20 KB answer streams into <SafeMarkdownStream> in chunks of 1 to 7 characters
//   (one React render each, flushSync): no request beyond the page's files, no script, no
//   clickable untrusted link; committed blocks are inserted once and never removed or
//   replaced (a MutationObserver counts); the final DOM equals the batch render.
// - Server rendering: renderToString in node of <SafeMarkdownStream> (half the answer) and
//   <SafeMarkdown>; the page hydrates them without a mismatch, keeps the server's nodes, and
//   streams the rest to the batch render.
// - Links under { untrusted: "confirm" } open only through the app's confirmLink.
// - All of it under enforced Trusted Types (the page's CSP: require-trusted-types-for
//   'script'), with the components' own policy, safemark-react, allowed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { launchChromium, serveFiles, checks } from './chromium.mjs';
import { answerOfSize } from './corpus.js';

const pkg = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'safemark-react-'));
const { check: checkAs, done } = checks('react');

// The answer: safemark's hostile example answer, grown to 20 KB, with script tripwires.
const TRIP = 'window.__tripped=(window.__tripped||0)+1';
const answer = `${answerOfSize(20000)}\n\n<img src=x onerror="${TRIP}"> <script>${TRIP}</script>\n\n` +
  `[run me](javascript:${TRIP}) <a href="javascript:${TRIP}">a</a> <svg onload="${TRIP}"></svg>\n\nThe end.\n`;
const half = answer.slice(0, answer.indexOf('\n', answer.length >> 1) + 1);
const policy = { links: { allow: ['https://docs.example.com/'] } };
const confirmPolicy = { links: { untrusted: 'confirm' } };

const FULL = { js: 'safemark', react: 'safemark/react', reactNode: 'react-node.js', wasm: 'wasm/safemark_wasm_bg.wasm' };
const LITE = { js: 'safemark/lite', react: 'safemark/lite/react', reactNode: 'react-lite-node.js', wasm: 'wasm-lite/safemark_wasm_bg.wasm' };
const NOWASM = { js: 'safemark/lite/nowasm', react: 'safemark/lite/nowasm/react', reactNode: 'react-lite-nowasm-node.js', wasm: null, csp: "script-src 'self'; " };
const REACTS = [
  ['React 19', join(pkg, 'node_modules'), FULL],
  ['React 18', join(pkg, 'test/react18/node_modules'), FULL],
  // safemark/lite/react: the same components over the lite entry (raw HTML shown as text).
  ['React 19 lite', join(pkg, 'node_modules'), LITE],
  // safemark/lite/nowasm/react: over the entry without WebAssembly, which the page forbids.
  ['React 19 nowasm', join(pkg, 'node_modules'), NOWASM],
];

try {
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: pkg, stdio: 'pipe' });
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')));
  for (const [label, reactModules, entry] of REACTS) {
    const version = JSON.parse(readFileSync(join(reactModules, 'react/package.json'), 'utf8')).version;
    console.log(`# ${label} (${version}): ${entry.react}`);
    await scenario(label, reactModules, tarball, join(dir, label.replaceAll(' ', '')), entry);
  }
} catch (e) {
  checkAs(false, e.stack ?? String(e));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
done();

/**
 * One React version and entry: an empty project with the tarball and that React, SSR, the app
 * in Chromium.
 */
async function scenario(label, reactModules, tarball, dir, entry) {
  // What a user installs: the packed tarball, and React from the registry (here, the
  // package's own dev dependencies, or test/react18's).
  const check = (ok, what) => checkAs(ok, `${label}: ${what}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'safemark'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'safemark'), '--strip-components=1']);
  for (const dep of ['react', 'react-dom', 'scheduler']) {
    symlinkSync(join(reactModules, dep), join(modules, dep), 'dir');
  }

  // Server rendering, in node, through the package's node entry.
  const { createElement } = await import(pathToFileURL(join(modules, 'react/index.js')));
  const { renderToString } = await import(pathToFileURL(join(modules, 'react-dom/server.node.js')));
  const { SafeMarkdown, SafeMarkdownStream } = await import(pathToFileURL(join(modules, 'safemark/dist', entry.reactNode)));
  const ssrStream = renderToString(createElement(SafeMarkdownStream, { text: half, policy }));
  const ssrDone = renderToString(createElement(SafeMarkdown, { policy }, answer));
  check(ssrStream.includes('data-safemark-tail') && !/<[^>]*\sonerror\s*=/.test(ssrStream), 'renderToString(<SafeMarkdownStream>) in node: committed blocks and the tail');

  // The app, bundled with esbuild from the installed package.
  writeFileSync(join(dir, 'app.jsx'), `
import { init, renderMarkdown } from '${entry.js}';
import { SafeMarkdown, SafeMarkdownStream } from '${entry.react}';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { useState } from 'react';

// The page enforces Trusted Types (see its CSP): the test's own HTML goes through 'test'.
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ': ' + e.sample));
const testPolicy = globalThis.trustedTypes?.createPolicy('test', { createHTML: (s) => s });
const asHtml = (s) => (testPolicy ? testPolicy.createHTML(s) : s);
let enforced = false;
try {
  document.createElement('div').innerHTML = '<b>safemark-probe</b>'; // the negative control
} catch {
  enforced = true;
}
const input = await (await fetch('/input.json')).json();
await init('/safemark_bg.wasm');
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
const same = (element, html) => {
  const t = document.createElement('template');
  t.innerHTML = asHtml(html);
  return element.innerHTML === t.innerHTML;
};
const out = {};

// 1. Streaming, one render per chunk.
let set;
let renders = 0;
let findings = [];
function Streamed({ initial }) {
  const [state, setState] = useState({ text: initial, done: false });
  set = setState;
  renders++;
  return <SafeMarkdownStream text={state.text} done={state.done} policy={input.policy} onFindings={(f) => { findings = f; }} />;
}
const host = document.getElementById('stream');
flushSync(() => createRoot(host).render(<Streamed initial="" />));
const container = host.firstElementChild;
let removed = 0;
let inserted = 0;
new MutationObserver((records) => {
  for (const r of records) {
    for (const n of r.removedNodes) if (!(n.nodeType === 1 && n.hasAttribute('data-safemark-tail'))) removed++;
    for (const n of r.addedNodes) if (!(n.nodeType === 1 && n.hasAttribute('data-safemark-tail'))) inserted++;
  }
}).observe(container, { childList: true });
let text = '';
let chunks = 0;
for (let i = 0; i < input.answer.length; chunks++) {
  const n = 1 + (chunks % 7);
  text += input.answer.slice(i, i + n);
  i += n;
  flushSync(() => set({ text, done: false }));
  if (chunks % 64 === 0) await frame();
}
flushSync(() => set({ text, done: true }));
await frame();
out.stream = {
  chunks, renders, removed, inserted,
  nodes: container.childNodes.length,
  equal: same(container, renderMarkdown(input.answer, input.policy)),
  tail: container.querySelectorAll('[data-safemark-tail]').length,
  hrefs: [...container.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
  findings: findings.length,
};

// 2. Hydration of the server's HTML, then the rest of the answer.
const hydrationErrors = [];
const ssr = document.getElementById('ssr');
const kept = ssr.firstElementChild.firstElementChild;
let setHydrated;
function Hydrated() {
  const [state, setState] = useState({ text: input.half, done: false });
  setHydrated = setState;
  return <SafeMarkdownStream text={state.text} done={state.done} policy={input.policy} />;
}
flushSync(() => hydrateRoot(ssr, <Hydrated />, { onRecoverableError: (e) => hydrationErrors.push(String(e)) }));
await frame();
const keptAfterHydration = kept.isConnected;
flushSync(() => setHydrated({ text: input.answer, done: true }));
const done = document.getElementById('done');
const keptDone = done.firstElementChild.firstElementChild;
flushSync(() => hydrateRoot(done, <SafeMarkdown policy={input.policy}>{input.answer}</SafeMarkdown>, { onRecoverableError: (e) => hydrationErrors.push(String(e)) }));
await frame();
out.hydration = {
  errors: hydrationErrors,
  kept: keptAfterHydration && kept.isConnected && keptDone.isConnected,
  equal: same(ssr.firstElementChild, renderMarkdown(input.answer, input.policy)),
  doneEqual: same(done.firstElementChild, renderMarkdown(input.answer, input.policy)),
};

// 3. Confirmation through the app's dialog.
const asked = [];
const confirmHost = document.getElementById('confirm');
flushSync(() => createRoot(confirmHost).render(
  <SafeMarkdown policy={input.confirmPolicy} confirmLink={(url, info) => { asked.push([url, info.host]); return false; }}>
    {'[prize](https://evil.example/p?d=SECRET)'}
  </SafeMarkdown>));
await frame();
const span = confirmHost.querySelector('span.safemark-untrusted-link');
span.click();
await frame();
out.confirm = { asked, links: confirmHost.querySelectorAll('a[href]').length, focusable: span.getAttribute('tabindex') };
out.trustedTypes = { enforced, violations };
window.__result = out;
`);
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(dir, 'app.jsx')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    outfile: join(dir, 'app.js'),
    absWorkingDir: dir,
    tsconfigRaw: {},
    logLevel: 'error',
  });
  const bundle = readFileSync(join(dir, 'app.js'));
  let wasm = Buffer.alloc(0);
  if (entry.wasm) {
    copyFileSync(join(modules, 'safemark/dist', entry.wasm), join(dir, 'safemark_bg.wasm'));
    wasm = readFileSync(join(dir, 'safemark_bg.wasm'));
  }
  console.log(`# app bundle (${label}, react-dom, ${entry.react} and its JS glue): ${bundle.length} bytes; wasm ${wasm.length} bytes`);

  // Trusted Types enforced: the components' HTML must arrive as TrustedHTML of their policy.
  const page = `<!doctype html><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${entry.csp ?? ''}require-trusted-types-for 'script'; trusted-types safemark-react safemark test">
<div id="stream"></div><div id="ssr">${ssrStream}</div><div id="done">${ssrDone}</div><div id="confirm"></div>
<script type="module" src="/app.js"></script>`;
  const files = {
    '/page.html': [Buffer.from(page), 'text/html'],
    '/app.js': [bundle, 'text/javascript'],
    '/safemark_bg.wasm': [wasm, 'application/wasm'],
    '/input.json': [Buffer.from(JSON.stringify({ answer, half, policy, confirmPolicy })), 'application/json'],
  };
  const { origin, close, strays } = await serveFiles(files);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const stray = strays(page);
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; d.dismiss().catch(() => {}); });
    let popups = 0;
    page.on('popup', () => popups++);
    await page.goto(`${origin}/page.html`);
    await page.waitForFunction(() => window.__result !== undefined || window.__failed, null, { timeout: 120000 });
    const r = await page.evaluate(() => window.__result);
    const tripped = await page.evaluate(() => window.__tripped ?? 0);
    const s = r.stream;
    console.log(`# streamed ${answer.length} characters in ${s.chunks} chunks: ${s.renders} React renders of the component; ${s.inserted} committed nodes inserted, ${s.removed} removed or replaced; final nodes ${s.nodes}`);
    check(s.removed === 0, 'committed blocks are never re-rendered: no committed node removed or replaced');
    check(s.inserted === s.nodes, `each committed node inserted once (${s.inserted} inserted, ${s.nodes} in the final DOM)`);
    check(s.equal && s.tail === 0, 'the final DOM equals the batch render, the tail removed');
    check(s.hrefs.every((h) => h.startsWith('https://docs.example.com/') || h.startsWith('#')), `only allowed links are clickable (${s.hrefs.length} links)`);
    check(s.findings > 0, `onFindings reported ${s.findings} findings`);
    check(r.hydration.errors.length === 0, `hydration without a mismatch (${r.hydration.errors.join('; ')})`);
    check(r.hydration.kept, "hydration keeps the server's nodes");
    check(r.hydration.equal && r.hydration.doneEqual, 'the hydrated stream, continued, and the hydrated finished answer equal the batch render');
    check(r.confirm.asked.length === 1 && r.confirm.asked[0][0] === 'https://evil.example/p?d=SECRET' && r.confirm.asked[0][1] === 'evil.example',
      `an untrusted link goes through confirmLink with its real host (${JSON.stringify(r.confirm.asked)})`);
    check(r.confirm.links === 0 && r.confirm.focusable === '0', 'it stays an inert, focusable span');
    check(stray.length === 0, `no request beyond the page's files (${stray.join(' ')})`);
    check(tripped === 0 && dialogs === 0 && popups === 0, `no script ran (tripwires ${tripped}, dialogs ${dialogs}, popups ${popups})`);
    // The probe's violation is the one expected: it shows Trusted Types are enforced.
    const probe = r.trustedTypes.violations.filter((v) => v.includes('safemark-probe'));
    const others = r.trustedTypes.violations.filter((v) => !v.includes('safemark-probe'));
    const probeLogged = errors.findIndex((e) => e.includes("requires 'TrustedHTML'"));
    if (probe.length === 1 && probeLogged >= 0) errors.splice(probeLogged, 1);
    check(errors.length === 0, `no console error (${errors.join('; ')})`);
    check(r.trustedTypes.enforced && probe.length === 1 && others.length === 0,
      `under enforced Trusted Types (the negative control, a string into innerHTML, throws: ${r.trustedTypes.enforced}), no other violation (${others.join(' ')})`);
  } finally {
    await browser.close();
    close();
  }
}
