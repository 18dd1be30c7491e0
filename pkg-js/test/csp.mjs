// The Content-Security-Policy each entry needs, checked in Chromium (issue 19). Each entry is
// loaded by a page served with a strict CSP and Trusted Types enforced:
//
//   default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self';
//   require-trusted-types-for 'script'; trusted-types safemark
//
// and must initialize and render through renderMarkdownTrusted into innerHTML, with no CSP
// violation reported. The same page without 'wasm-unsafe-eval' must fail to initialize (with a
// clear error, and no render) for the WebAssembly entries: the documented requirement is the
// real one; and the entry without WebAssembly (`safemark/lite/nowasm`) must work there.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { launchChromium } from './chromium.mjs';

const here = (p) => new URL(p, import.meta.url);
const STRICT = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; " +
  "require-trusted-types-for 'script'; trusted-types safemark";
const NO_WASM = STRICT.replace(" 'wasm-unsafe-eval'", '');

const main = (entry) => `
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
const { init, Sanitizer } = await import('./dist/${entry}');
const out = document.getElementById('out');
try {
  await init();
  const s = new Sanitizer();
  out.innerHTML = s.renderMarkdownTrusted('# Hi\\n\\nsome *text* <b>raw</b> ![x](https://attacker.example/p.png)');
  await new Promise((r) => setTimeout(r, 50));
  window.result = { ok: true, text: out.innerText, images: out.querySelectorAll('img').length, violations };
} catch (e) {
  await new Promise((r) => setTimeout(r, 50));
  window.result = { ok: false, error: String(e && e.message || e), violations };
}`;
const files = {
  '/page.html': [Buffer.from('<!doctype html><meta charset="utf-8"><div id="out"></div><script type="module" src="main.js"></script>'), 'text/html'],
  '/main-full.js': [Buffer.from(main('safemark.js')), 'text/javascript'],
  '/main-lite.js': [Buffer.from(main('lite.js')), 'text/javascript'],
  '/main-nowasm.js': [Buffer.from(main('lite-nowasm.js')), 'text/javascript'],
};
for (const f of ['safemark.js', 'lite.js', 'wasm/safemark_wasm.js', 'wasm-lite/safemark_wasm.js',
  'lite-nowasm.js', 'nowasm/safemark_wasm.js', 'nowasm/safemark_wasm_bg.js']) {
  files[`/dist/${f}`] = [here(`../dist/${f}`), 'text/javascript'];
}
for (const d of ['wasm', 'wasm-lite']) {
  files[`/dist/${d}/safemark_wasm_bg.wasm`] = [here(`../dist/${d}/safemark_wasm_bg.wasm`), 'application/wasm'];
}

let failures = 0;
let passed = 0;
const check = (ok, what) => {
  if (ok) passed++;
  else {
    failures++;
    console.log(`FAIL: ${what}`);
  }
};

// /<csp>/<entry>/page.html: the page and its script under that CSP.
const server = createServer((req, res) => {
  const [, csp, entry, ...rest] = req.url.split('?')[0].split('/');
  const name = `/${rest.join('/')}`;
  const f = name === '/main.js' ? files[`/main-${entry}.js`] : files[name];
  if (!f) return res.writeHead(404).end();
  res.writeHead(200, {
    'content-type': f[1],
    'content-security-policy': csp === 'strict' ? STRICT : NO_WASM,
  }).end(Buffer.isBuffer(f[0]) ? f[0] : readFileSync(f[0]));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();
try {
  for (const entry of ['full', 'lite', 'nowasm']) {
    for (const csp of ['strict', 'nowasm']) {
      const page = await browser.newPage();
      const requests = [];
      page.on('request', (r) => { if (!r.url().startsWith(origin)) requests.push(r.url()); });
      await page.goto(`${origin}/${csp}/${entry}/page.html`);
      await page.waitForFunction(() => window.result !== undefined, null, { timeout: 20000 });
      const result = await page.evaluate(() => window.result);
      console.log(`# ${entry} under ${csp === 'strict' ? 'the strict CSP' : "the strict CSP without 'wasm-unsafe-eval'"}: ${JSON.stringify(result)}`);
      if (csp === 'strict' || entry === 'nowasm') {
        check(result.ok && result.text.includes('Hi') && result.images === 0, `${entry} renders under ${csp}`);
        const raw = entry === 'full' ? !result.text.includes('<b>') : result.text.includes('<b>raw</b>');
        check(raw, `${entry}: raw HTML ${entry === 'full' ? 'sanitized' : 'shown as text'}`);
        check(result.violations?.length === 0, `${entry} (${csp}): no CSP violation (${result.violations})`);
      } else {
        check(!result.ok && /wasm|WebAssembly|Content Security Policy|unsafe-eval/i.test(result.error), `${entry} without 'wasm-unsafe-eval' fails to initialize, saying why`);
        // The negative control of the violation listener the other pages are held to.
        check(result.violations?.includes('script-src'), `${entry} without 'wasm-unsafe-eval': the violation is reported (${result.violations})`);
      }
      check(requests.length === 0, `${entry} (${csp}): no request beyond the page's origin (${requests})`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`csp: ${passed} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
