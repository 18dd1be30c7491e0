// The npm layer under a hostile answer and a careless app (issue 15): unwinds through wasm,
// init races, policies read twice, stream lifecycles, JavaScript conventions. Runs against the
// built package (pkg-js/dist).

import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as safemark from '../dist/node.js';
import { Sanitizer as GlueSanitizer, memoryBytes } from '../dist/wasm/safemark_wasm.js';
import { everyApiWorks, unwindThousands, LINK, clickable } from './unwind.js';

const {
  renderMarkdown, sanitizeHtml, Sanitizer, MarkdownStream, renderStream,
  SafemarkError, PolicyError, InputTooLargeError, StateError, WasmError,
} = safemark;

const dist = new URL('../dist/', import.meta.url);
const wasmBytes = readFileSync(new URL('wasm/safemark_wasm_bg.wasm', dist));

/** A fresh copy of the browser entry and its glue: a module graph of its own, not initialized. */
async function freshModule() {
  const dir = mkdtempSync(join(tmpdir(), 'safemark-'));
  cpSync(new URL('.', dist), dir, { recursive: true });
  const m = await import(pathToFileURL(join(dir, 'safemark.js')).href);
  return { m, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('survives thousands of unwinds by stack exhaustion inside wasm calls', () => {
  const s = new Sanitizer({ links: { allow: ['https://docs.example.org/'] } });
  unwindThousands(safemark, s);
  everyApiWorks(safemark, s);
});

test('survives a trap inside a call: the module is reset, a Sanitizer compiles again, a stream says it was lost', () => {
  const s = new Sanitizer({ links: { allow: ['https://docs.example.org/'] } });
  const before = new MarkdownStream();
  before.push('kept?\n\n');
  const original = GlueSanitizer.prototype.renderMarkdown;
  // A genuine trap in wasm in the middle of a call made through the package: the method reads
  // memory far out of bounds.
  GlueSanitizer.prototype.renderMarkdown = function renderMarkdown(text) {
    const bogus = Object.create(GlueSanitizer.prototype);
    bogus.__wbg_ptr = 0xfffffff0;
    return original.call(bogus, text);
  };
  let trapped;
  try {
    for (let i = 0; i < 50; i++) {
      assert.throws(() => s.renderMarkdown('x'), (e) => {
        trapped = e;
        return e instanceof WasmError && e instanceof SafemarkError && e.cause instanceof WebAssembly.RuntimeError;
      });
    }
  } finally {
    GlueSanitizer.prototype.renderMarkdown = original;
  }
  assert.match(trapped.cause.message, /out of bounds/);
  everyApiWorks(safemark, s);
  assert.throws(() => before.push('more'), StateError);
  assert.throws(() => before.finish(), StateError);
  before.free();
});

test('init and initSync in any order share one instance: no policy swap under a live Sanitizer', async () => {
  // The scenario of the issue: a strict Sanitizer made between initSync and init settling,
  // then a wide one after init settles.
  {
    const { m, cleanup } = await freshModule();
    try {
      assert.throws(() => new m.Sanitizer(), (e) => e.name === 'StateError');
      const ready = m.init(wasmBytes);
      m.initSync(wasmBytes);
      const strict = new m.Sanitizer({ links: { allow: ['https://docs.example.org/'] } });
      await ready;
      const wide = new m.Sanitizer({ links: { allow: ['https://attacker.example/'] } });
      assert.ok(!clickable(strict.renderMarkdown(LINK)), 'the strict policy follows the wide one');
      assert.deepEqual(strict.policy.links.allow, ['https://docs.example.org/']);
      assert.ok(clickable(wide.renderMarkdown(LINK)));
    } finally {
      cleanup();
    }
  }
  // Other orders and repetitions: one instance, whatever comes after.
  const orders = [
    async (m) => { m.initSync(wasmBytes); await m.init(wasmBytes); },
    async (m) => { await Promise.all([m.init(wasmBytes), m.init(new WebAssembly.Module(wasmBytes)), m.init(wasmBytes)]); m.initSync(wasmBytes); },
    async (m) => { const a = m.init(wasmBytes); const b = m.init(); assert.equal(a, b, 'init() is memoized'); await a; },
  ];
  for (const order of orders) {
    const { m, cleanup } = await freshModule();
    try {
      await order(m);
      const strict = new m.Sanitizer({ links: { allow: ['https://docs.example.org/'] } });
      m.initSync(wasmBytes);
      await m.init(wasmBytes);
      await m.init();
      assert.ok(!clickable(strict.renderMarkdown(LINK)));
      assert.deepEqual(strict.policy.links.allow, ['https://docs.example.org/']);
    } finally {
      cleanup();
    }
  }
});

test('a policy is read once: a getter runs once, the cache key is what was compiled', () => {
  let reads = 0;
  // Narrow on its first read, wide after: read twice, a wide policy could be cached under a
  // narrow key.
  const shifty = { links: { get allow() { reads++; return reads === 1 ? [] : ['*']; } } };
  const html = renderMarkdown(LINK, shifty);
  assert.equal(reads, 1);
  assert.ok(!clickable(html));
  assert.ok(!clickable(renderMarkdown(LINK, { links: { allow: [] } })));
  const shifty2 = { links: { get allow() { reads++; return reads % 2 ? ['*'] : []; } } };
  reads = 0;
  assert.ok(clickable(renderMarkdown(LINK, shifty2)));
  assert.equal(reads, 1);
  assert.ok(!clickable(renderMarkdown(LINK, { links: { allow: [] } })));
  // An empty string is not the default policy, cached or not.
  renderMarkdown('x');
  assert.throws(() => renderMarkdown('x', ''), PolicyError);
  assert.throws(() => sanitizeHtml('x', ''), PolicyError);
});

test('MarkdownStream: free and dispose, errors after finish or free, a refused push changes nothing', () => {
  const s = new MarkdownStream();
  s.push('a\n\n');
  s.free();
  s.free();
  assert.throws(() => s.push('b'), StateError);
  assert.throws(() => s.finish(), StateError);
  assert.throws(() => s.tail(), StateError);
  const d = new MarkdownStream();
  d.push('x');
  d[Symbol.dispose]();
  assert.throws(() => d.push('y'), StateError);
  const f = new MarkdownStream();
  const { committed } = f.push('**a**\n\nb\n\nc');
  assert.equal(committed + f.finish(), renderMarkdown('**a**\n\nb\n\nc'));
  assert.throws(() => f.push('c'), StateError);
  assert.throws(() => f.finish(), StateError);
  assert.equal(f.findings, f.findings, 'findings are computed once');
  f.free();

  // A push over the limit changes nothing, a held surrogate half included.
  const small = new MarkdownStream({ limits: { max_input_bytes: 4 } });
  assert.throws(() => small.push('abcd\uD83D'), InputTooLargeError);
  assert.deepEqual(small.push('ab'), { committed: '', tail: '<p>ab</p>\n', blocks: [] });
  assert.throws(() => small.push('cde'), (e) => e instanceof InputTooLargeError && e.length === 5 && e.limit === 4);
  assert.equal(small.finish(), '<p>ab</p>\n');
  // A held half always fits at the end: finish() cannot fail because of it.
  const edge = new MarkdownStream({ limits: { max_input_bytes: 4 } });
  edge.push('a\uD83D');
  assert.equal(edge.finish(), '<p>a\uFFFD</p>\n');
  // The pair completes across pushes as in one string.
  const pair = new MarkdownStream();
  pair.push('x \uD83D');
  pair.push('\uDE42 y');
  assert.equal(pair.finish(), renderMarkdown('x \uD83D\uDE42 y'));
});

// A stream whose input ends with the first half of a surrogate pair ends it as U+FFFD, which
// finish() pushes: after a blank line it begins a block, which commits the blocks before it
// (a `<details>` group, a paragraph waiting for a footnote definition, a list) in that push.
// Searched over every prefix of documents with such blocks, ended by a held half, pushed
// whole or in two pieces, with the tail or without: what was committed and finish() give the
// batch render of the input with U+FFFD (finish() dropped the blocks that push committed).
test('a surrogate half held at the end commits what its U+FFFD commits', () => {
  const documents = [
    '<details><summary>s</summary>\n\nbody\n\n</details>\n[^1]\n\n[^1]: note\n\n',
    'A paragraph with a note[^1].\n\n[^1]: the note\n\n- a list\n- of items\n\n',
    '# Heading\n\n```js\ncode\n```\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n',
  ];
  let compared = 0;
  for (const doc of documents) {
    for (let end = 0; end <= doc.length; end++) {
      const input = `${doc.slice(0, end)}\uD83D`;
      const want = renderMarkdown(`${doc.slice(0, end)}\uFFFD`);
      for (const [cut, tail] of [[input.length, true], [end >> 1, false], [end >> 1, true]]) {
        const stream = new MarkdownStream();
        let html = stream.push(input.slice(0, cut), { tail }).committed;
        html += stream.push(input.slice(cut), { tail }).committed;
        html += stream.finish();
        assert.equal(html, want, JSON.stringify([input, cut, tail]));
        compared++;
      }
    }
  }
  assert.ok(compared > 500, String(compared));
});

test('abandoned streams return their memory when freed', () => {
  const chunk = 'Some words of an answer that goes on. '.repeat(540); // ~20 KB
  const round = (n, free) => {
    const kept = [];
    for (let i = 0; i < n; i++) {
      const s = new MarkdownStream();
      s.push(chunk);
      if (free) s.free();
      else kept.push(s);
    }
    return kept;
  };
  round(200, true);
  const before = memoryBytes();
  round(10000, true);
  const grown = memoryBytes() - before;
  // The control: streams kept alive do take memory, so the measure can fail.
  const kept = round(200, false);
  const control = memoryBytes() - before;
  for (const s of kept) s.free();
  console.log(`# 10,000 abandoned 20 KB streams, freed: wasm memory grew ${(grown / 1048576).toFixed(1)} MB (200 kept alive: ${(control / 1048576).toFixed(1)} MB)`);
  assert.ok(grown < 8 * 1048576, `grew ${grown} bytes`);
  assert.ok(control > 2 * 1048576, `the control grew only ${control} bytes`);
});

test('findings carry UTF-16 ranges beside byte ranges', () => {
  const md = '🙂 é ![x](https://attacker.example/p.png) [y](https://evil.example/)';
  const { findings } = new Sanitizer().inspect(md);
  assert.ok(findings.length >= 2);
  for (const f of findings) {
    assert.ok(f.range && f.range_utf16, JSON.stringify(f));
    const bytes = Buffer.from(md);
    assert.equal(md.slice(f.range_utf16.start, f.range_utf16.end), bytes.subarray(f.range.start, f.range.end).toString());
  }
  const stream = new MarkdownStream();
  stream.push(md);
  stream.push('\n\nmore');
  stream.finish();
  assert.deepEqual(stream.findings, findings);
});

test('limits accept what native accepts', () => {
  const s = new Sanitizer({ limits: { max_input_bytes: 4294967296, max_nesting: 1e12 } });
  assert.equal(s.renderMarkdown('ok'), '<p>ok</p>\n');
  assert.equal(s.policy.limits.max_input_bytes, 4294967295);
  assert.throws(() => new Sanitizer({ limits: { max_input_bytes: -1 } }), PolicyError);
});

test('an over-limit string is refused before it is copied into wasm memory', () => {
  const s = new Sanitizer();
  const big = 'x'.repeat(50_000_000);
  const before = memoryBytes();
  assert.throws(() => s.renderMarkdown(big), (e) => e instanceof InputTooLargeError && e.length === 50_000_000 && e.limit === 1048576);
  assert.ok(memoryBytes() - before < 8 * 1048576);
});

test('the Trusted Types policy name is configurable until the policy exists', async () => {
  const { m, cleanup } = await freshModule();
  const created = [];
  const saved = globalThis.trustedTypes;
  globalThis.trustedTypes = { createPolicy: (name, rules) => { created.push(name); return { createHTML: (s) => ({ trusted: rules.createHTML(s) }) }; } };
  try {
    m.initSync(wasmBytes);
    m.setTrustedTypesPolicyName('chat-markdown');
    const s = new m.Sanitizer();
    assert.deepEqual(s.renderMarkdownTrusted('*x*'), { trusted: '<p><em>x</em></p>\n' });
    assert.deepEqual(created, ['chat-markdown']);
    assert.throws(() => m.setTrustedTypesPolicyName('other'), (e) => e.name === 'StateError');
  } finally {
    globalThis.trustedTypes = saved;
    cleanup();
  }
});

test('renderStream frees on error and on abort, refuses a second stream into one element', async () => {
  // A minimal element: what renderStream uses of the DOM.
  const element = () => {
    const children = [];
    const doc = {
      hidden: true,
      defaultView: {},
      createElement: () => {
        const el = {
          html: '', attrs: {}, setAttribute(k, v) { this.attrs[k] = v; },
          insertAdjacentHTML(where, html) { children.splice(children.indexOf(el), 0, html); },
          remove() { children.splice(children.indexOf(el), 1); },
          set innerHTML(v) { this.html = v; },
        };
        return el;
      },
    };
    return { ownerDocument: doc, append: (el) => children.push(el), children };
  };
  const el = element();
  async function* chunks() {
    yield '# Title\n\n';
    yield 'para\n\n';
    yield 'end';
  }
  assert.equal(await renderStream(chunks(), el), '<h1>Title</h1>\n<p>para</p>\n<p>end</p>\n');
  // Committed blocks, then the rest where the tail was; the tail element is gone.
  assert.deepEqual(el.children.join(''), '<h1>Title</h1>\n<p>para</p>\n<p>end</p>\n');
  assert.ok(el.children.every((c) => typeof c === 'string'));

  let closed = 0;
  const failing = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: async () => {
          if (i++ === 2) throw new Error('network');
          return { value: 'text\n\n', done: false };
        },
        return: async () => { closed++; return { done: true }; },
      };
    },
  };
  await assert.rejects(renderStream(failing, element()), /network/);

  const controller = new AbortController();
  const slow = {
    [Symbol.asyncIterator]() {
      return {
        next: () => new Promise((resolve) => setTimeout(() => resolve({ value: 'x ', done: false }), 5)),
        return: async () => { closed++; return { done: true }; },
      };
    },
  };
  const busy = element();
  const running = renderStream(slow, busy, undefined, { signal: controller.signal });
  await assert.rejects(renderStream(['x'], busy), StateError);
  setTimeout(() => controller.abort(new Error('stopped')), 30);
  await assert.rejects(running, /stopped/);
  assert.equal(closed, 2, 'the iterable is closed on an error and on abort');
  assert.ok(busy.children.every((c) => typeof c === 'string'), 'the tail element is removed');
  // The element is free again.
  assert.equal(await renderStream(['ok'], busy), '<p>ok</p>\n');
});
