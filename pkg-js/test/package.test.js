// Test what users install: `npm pack`, install the tarball into an empty project, import it.

import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));

test('npm pack gives a tarball that installs and works in an empty project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safemark-pack-'));
  try {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: pkg, stdio: 'pipe' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const contents = execFileSync('tar', ['-tzf', join(dir, tarball)], { encoding: 'utf8' });
    for (const f of ['package/dist/safemark.js', 'package/dist/node.js', 'package/dist/safemark.d.ts',
      'package/dist/wasm/safemark_wasm.js', 'package/dist/wasm/safemark_wasm_bg.wasm', 'package/LICENSE-MIT',
      'package/dist/lite.js', 'package/dist/lite-node.js', 'package/dist/lite.d.ts',
      'package/dist/wasm-lite/safemark_wasm.js', 'package/dist/wasm-lite/safemark_wasm_bg.wasm',
      'package/dist/react.js', 'package/dist/react-node.js', 'package/dist/react.d.ts',
      'package/dist/react-lite.js', 'package/dist/react-lite-node.js', 'package/dist/react-lite.d.ts',
      'package/dist/lite-nowasm.js', 'package/dist/lite-nowasm-node.js', 'package/dist/lite-nowasm.d.ts',
      'package/dist/nowasm/safemark_wasm.js', 'package/dist/nowasm/safemark_wasm_bg.js',
      'package/dist/react-lite-nowasm.js', 'package/dist/react-lite-nowasm-node.js', 'package/dist/react-lite-nowasm.d.ts']) {
      assert.ok(contents.includes(f), `${f} in the tarball`);
    }
    const project = join(dir, 'app');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: project, stdio: 'pipe' });
    writeFileSync(join(project, 'main.js'), `
      import { renderMarkdown, Sanitizer } from 'safemark';
      const html = renderMarkdown('# Hi ![x](https://attacker.example/p.png?d=1)');
      const s = new Sanitizer({ images: { allow: ['https://img.example.com/'] } });
      console.log(JSON.stringify({ html, img: s.renderMarkdown('![i](https://img.example.com/a.png)') }));
    `);
    const out = JSON.parse(execFileSync('node', ['main.js'], { cwd: project, encoding: 'utf8' }));
    assert.ok(out.html.startsWith('<h1>Hi <span class="safemark-blocked-image"'), out.html);
    assert.ok(out.img.includes('<img src="https://img.example.com/a.png"'), out.img);
    // The lite entry: the same API, raw HTML shown as text, "sanitize" refused.
    writeFileSync(join(project, 'lite.js'), `
      import { renderMarkdown, sanitizeHtml, Sanitizer, PolicyError } from 'safemark/lite';
      let refused = '';
      try { new Sanitizer({ raw_html: 'sanitize' }); } catch (e) { refused = e instanceof PolicyError && e.key; }
      console.log(JSON.stringify({ md: renderMarkdown('a <b>x</b>'), html: sanitizeHtml('<i>y</i>'), refused }));
    `);
    const lite = JSON.parse(execFileSync('node', ['lite.js'], { cwd: project, encoding: 'utf8' }));
    assert.equal(lite.md, '<p>a &lt;b&gt;x&lt;/b&gt;</p>\n');
    assert.equal(lite.html, '&lt;i&gt;y&lt;/i&gt;');
    assert.equal(lite.refused, 'raw_html');
    // The entry without WebAssembly: the same as lite, in node (self-initialized) and through
    // its browser module (init compiles nothing), with WebAssembly removed from the platform.
    for (const [file, code] of [
      ['nowasm.js', `import { renderMarkdown, sanitizeHtml } from 'safemark/lite/nowasm';`],
      ['nowasm-browser.mjs', `delete globalThis.WebAssembly;
        const { init, renderMarkdown, sanitizeHtml } = await import('./node_modules/safemark/dist/lite-nowasm.js');
        await init();`],
    ]) {
      writeFileSync(join(project, file), `${code}
        console.log(JSON.stringify({ md: renderMarkdown('a <b>x</b>'), html: sanitizeHtml('<i>y</i>') }));`);
      const out = JSON.parse(execFileSync('node', [file], { cwd: project, encoding: 'utf8' }));
      assert.deepEqual(out, { md: lite.md, html: lite.html }, file);
    }
    // CommonJS users get a clear error rather than a broken half-import.
    writeFileSync(join(project, 'main.cjs'), `import('safemark').then((m) => console.log(typeof m.renderMarkdown));`);
    assert.equal(execFileSync('node', ['main.cjs'], { cwd: project, encoding: 'utf8' }).trim(), 'function');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The full entry's size target (issue: full ≤ 350 KB gzip, wasm + the JS a browser loads), as
// scripts/build-js.sh measures it: the vendored entity table or the wasm-opt passes lost would
// fail here. Only for the package's own build (the standard library built again, which also
// builds the nowasm entry); `WASM_BUILD_STD=0` builds are larger.
test('the full entry is within its size target (350 KB gzip), lite within 182 KB', async () => {
  const { existsSync, readFileSync } = await import('node:fs');
  const dist = join(pkg, 'dist');
  if (!existsSync(join(dist, 'nowasm'))) return;
  // GNU gzip -9, as the build script and the README measure (node's zlib writes 1% more).
  const total = (files) =>
    execFileSync('gzip', ['-9c'], { input: Buffer.concat(files.map((f) => readFileSync(join(dist, f)))), maxBuffer: 1 << 26 }).length;
  const full = total(['wasm/safemark_wasm_bg.wasm', 'safemark.js', 'wasm/safemark_wasm.js']);
  const lite = total(['wasm-lite/safemark_wasm_bg.wasm', 'lite.js', 'wasm-lite/safemark_wasm.js']);
  console.log(`# size: full ${full} B gzip, lite ${lite} B gzip`);
  assert.ok(full <= 350_000, `the full entry is ${full} B gzip`);
  // Lite's target (150 KB) is not met (pkg-js/README.md says why); this holds what it is
  // (174.2 KB on 2026-12-03; 183.4 KB on 2026-12-05 after the stream's tail learned to
  // append more, each step's cost in pkg-js/README.md's table; 180.4 KB on 2026-12-06 with
  // pulldown-cmark's unused options compiled out; the bound was 180 KB until 2026-12-05, then
  // 184 KB) against growing back: pulldown-cmark's table of references as upstream writes it
  // (+9.2 KB), its unused options (+3.0 KB), or the policy read by serde's derived reader
  // again (+19.7 KB), would fail here.
  assert.ok(lite <= 182_000, `the lite entry is ${lite} B gzip`);
  assert.ok(lite < full / 1.5, `lite (${lite} B) is much smaller than full (${full} B)`);
});
