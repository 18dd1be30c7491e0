// Debian's Chromium through playwright-core, launched as CI requires (no browser download).
import { chromium } from 'playwright-core';

/** Launches headless Chromium (`CHROMIUM` overrides /usr/bin/chromium). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Serves `files` (`{ '/path': [Buffer | file URL, content type] }`) on 127.0.0.1, and a 204
 * for `/favicon.ico`. Resolves to `{ origin, close, strays(page) }`: `strays(page)` starts
 * recording every request of `page` for anything but these files, and returns the list.
 */
export async function serveFiles(files) {
  const { createServer } = await import('node:http');
  const { readFileSync } = await import('node:fs');
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/favicon.ico') return res.writeHead(204).end();
    const f = files[path];
    if (!f) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f[1] }).end(Buffer.isBuffer(f[0]) ? f[0] : readFileSync(f[0]));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const strays = (page) => {
    const stray = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin !== origin || !(files[u.pathname] || u.pathname === '/favicon.ico')) stray.push(r.url());
    });
    return stray;
  };
  return { origin, close: () => server.close(), strays };
}

/** The files a page needs to import the built browser entry from `./dist/safemark.js`. */
export function safemarkFiles() {
  const dist = (p) => new URL(`../dist/${p}`, import.meta.url);
  return {
    '/dist/safemark.js': [dist('safemark.js'), 'text/javascript'],
    '/dist/wasm/safemark_wasm.js': [dist('wasm/safemark_wasm.js'), 'text/javascript'],
    '/dist/wasm/safemark_wasm_bg.wasm': [dist('wasm/safemark_wasm_bg.wasm'), 'application/wasm'],
  };
}

/** Counts checks for a test script named `name`: `check(ok, what)`, then `done()` exits. */
export function checks(name) {
  let passed = 0;
  let failed = 0;
  const check = (ok, what) => {
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? 'ok' : 'not ok'} - ${what}`);
  };
  const done = () => {
    console.log(`${name}: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  };
  return { check, done };
}
