// Shared by the hardening tests of each entry: every API works after a reset, and thousands of
// calls unwound by stack exhaustion leave the module usable.

import assert from 'node:assert/strict';

export const LINK = '[site](https://attacker.example/?q=SECRET)';
export const clickable = (html) => /<a [^>]*href="https:\/\/attacker\.example/.test(html);

/** Every API works, and a Sanitizer keeps its own policy. `html`: the entry sanitizes HTML. */
export function everyApiWorks(api, s, { html = true } = {}) {
  const { renderMarkdown, sanitizeHtml, Sanitizer, MarkdownStream } = api;
  assert.equal(renderMarkdown('# ok'), '<h1>ok</h1>\n');
  assert.equal(sanitizeHtml('<b>ok</b>'), html ? '<b>ok</b>' : '&lt;b&gt;ok&lt;/b&gt;');
  assert.equal(new Sanitizer().renderMarkdown('*x*'), '<p><em>x</em></p>\n');
  assert.equal(s.renderMarkdown('*x*'), '<p><em>x</em></p>\n');
  assert.ok(!clickable(s.renderMarkdown(LINK)));
  assert.deepEqual(s.policy.links.allow, ['https://docs.example.org/']);
  const stream = new MarkdownStream();
  // (`a` is committed by the push: its blank line is complete.)
  const { committed } = stream.push('a\n\nb');
  assert.equal(committed + stream.finish(), '<p>a</p>\n<p>b</p>\n');
  assert.equal(s.inspect('![i](https://attacker.example/p.png)').findings[0].kind, 'blocked_image');
}

/**
 * Thousands of calls unwound by the JavaScript stack running out at every point of a call
 * (in the layer, in the glue, inside the module with its stack pointer moved): each round
 * recurses until the stack runs out, then tries an API call in every frame on the way back
 * until one succeeds, until `target` calls were unwound. Returns how many were.
 */
export function unwindThousands(api, s, target = 1500) {
  const { renderMarkdown, Sanitizer, MarkdownStream, WasmError } = api;
  const doc = 'Some *markdown* with [a link](https://docs.example.org/x) and `code`.\n';
  const calls = [
    () => s.renderMarkdown(doc),
    () => s.inspect(doc),
    () => renderMarkdown(doc),
    () => new Sanitizer({ links: { allow: ['https://docs.example.org/'] } }).free(),
    () => { const m = new MarkdownStream(); m.push(doc); m.free(); },
  ];
  const DONE = Symbol('done');
  let unwound = 0;
  let outside = 0;
  let rounds = 0;
  const dive = (call) => {
    try {
      dive(call);
    } catch (e) {
      if (e === DONE) throw e;
      if (!(e instanceof RangeError) && !(e instanceof WasmError)) throw e;
      try {
        call();
      } catch (inner) {
        if (inner instanceof WasmError) unwound++;
        else if (inner instanceof RangeError) outside++;
        else throw inner;
        throw e;
      }
      throw DONE;
    }
  };
  while (unwound < target && rounds < 20000) {
    try {
      dive(calls[rounds % calls.length]);
    } catch (e) {
      if (e !== DONE) throw e;
    }
    rounds++;
  }
  assert.ok(unwound >= target, `only ${unwound} calls unwound in ${rounds} rounds`);
  console.log(`# ${unwound} calls unwound by stack exhaustion (and ${outside} out of stack before a call) in ${rounds} rounds`);
  return unwound;
}

