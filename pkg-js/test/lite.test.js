// The lite entry (`safemark/lite`: the wasm built without the html feature) against the full
// entry: on every corpus document, lite's output and findings are byte for byte the full
// entry's under the same policy with `"raw_html": "escape"` (raw HTML shown as text), in batch
// and streamed; nothing unsafe comes out; a policy asking for "sanitize" is refused, naming
// what to use instead; sanitizeHtml shows its input as text.

import test from 'node:test';
import assert from 'node:assert/strict';
import * as full from '../dist/node.js';
import * as lite from '../dist/lite-node.js';
import { corpus, peers, read, unsafeBits, answerOfSize, documents, policies } from './corpus.js';


test('lite renders every corpus document as full does with raw_html "escape"', () => {
  let compared = 0;
  for (const policy of policies) {
    const l = new lite.Sanitizer(policy);
    const f = new full.Sanitizer({ ...policy, raw_html: 'escape' });
    for (const doc of documents) {
      const a = l.inspect(doc);
      const b = f.inspect(doc);
      assert.equal(a.html, b.html, doc);
      assert.deepEqual(a.findings, b.findings, doc);
      assert.deepEqual(unsafeBits(a.html), [], doc);
      compared++;
    }
  }
  console.log(`# lite = full with raw_html "escape" on ${compared} renders`);
  assert.ok(compared > 1000);
});

test('lite streams as it renders', () => {
  const policy = corpus.policies.allowlist ?? {};
  for (const doc of [answerOfSize(20000), ...corpus.cases.map((c) => c.input)]) {
    const stream = new lite.MarkdownStream(policy);
    let html = '';
    for (let i = 0; i < doc.length; i += 7) html += stream.push(doc.slice(i, i + 7), { tail: false }).committed;
    html += stream.finish();
    assert.equal(html, lite.renderMarkdown(doc, policy));
  }
});

test('lite refuses "sanitize" and shows HTML input as text', () => {
  assert.throws(() => new lite.Sanitizer({ raw_html: 'sanitize' }), (e) => {
    assert.ok(e instanceof lite.PolicyError);
    assert.equal(e.key, 'raw_html');
    assert.match(e.message, /`html` feature/);
    return true;
  });
  assert.equal(lite.renderMarkdown('a <b>x</b>'), '<p>a &lt;b&gt;x&lt;/b&gt;</p>\n');
  for (const p of peers) {
    const out = lite.sanitizeHtml(p.input);
    assert.deepEqual(read(out).elements, [], p.input);
  }
});
