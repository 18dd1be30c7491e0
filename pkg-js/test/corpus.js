// The shared corpus (tests/corpus/vectors.json, also run by the Rust tests) and a parse5-based
// reading of output HTML: the same expectations, checked on what the browser would parse.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFragment } from 'parse5';

const root = new URL('../../', import.meta.url);
export const corpus = JSON.parse(readFileSync(new URL('tests/corpus/vectors.json', root), 'utf8'));
export const peers = JSON.parse(readFileSync(new URL('tests/corpora/peer_vectors.json', root), 'utf8'));

/** The native CLI, as `cargo build` or `cargo test` left it (undefined when neither did). */
export function nativeCli() {
  return ['debug', 'release']
    .map((p) => fileURLToPath(new URL(`target/${p}/safemark`, root)))
    .find((f) => existsSync(f));
}

const SAFE_ELEMENTS = new Set(('a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em ' +
  'figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd li mark ol p pre q rp rt ruby s samp section small span ' +
  'strike strong sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr').split(' '));

/** Elements (name, attrs as an object), text, in document order. */
export function read(html) {
  const elements = [];
  let text = '';
  const walk = (node) => {
    for (const child of node.childNodes ?? []) {
      if (child.nodeName === '#text') text += child.value;
      else if (child.tagName) {
        const attrs = Object.fromEntries(child.attrs.map((a) => [a.name, a.value]));
        elements.push({ name: child.tagName, ns: child.namespaceURI, attrs });
      }
      walk(child.content ?? child);
    }
  };
  walk(parseFragment(html));
  return { elements, text };
}

/** Anything that could run script or load: a short, independent list. */
export function unsafeBits(html) {
  const bad = [];
  for (const e of read(html).elements) {
    if (!SAFE_ELEMENTS.has(e.name) || e.ns !== 'http://www.w3.org/1999/xhtml') bad.push(`<${e.name}>`);
    for (const [name, value] of Object.entries(e.attrs)) {
      if (name.startsWith('on') || ['style', 'srcset', 'background', 'poster', 'ping', 'formaction', 'action'].includes(name)) {
        bad.push(`${e.name}@${name}`);
      }
      if ((name === 'href' || name === 'src' || name === 'data-safemark-href') && /^\s*(javascript|vbscript|data:text)/i.test(value)) bad.push(`${e.name}@${name}=${value}`);
    }
  }
  return bad;
}

/** Checks one corpus case's expectations against an output; returns a list of problems. */
export function expectationProblems(testCase, out) {
  const problems = [];
  const { elements, text } = read(out.html);
  const hrefs = elements.filter((e) => e.name === 'a' && e.attrs.href !== undefined && !e.attrs.href.startsWith('#')).map((e) => e.attrs.href);
  const srcs = elements.filter((e) => e.name === 'img' && e.attrs.src !== undefined).map((e) => e.attrs.src);
  const kinds = out.findings.map((f) => f.kind);
  const want = testCase.expect;
  if (JSON.stringify(hrefs) !== JSON.stringify(want.links)) problems.push(`links ${JSON.stringify(hrefs)} != ${JSON.stringify(want.links)}`);
  if (JSON.stringify(srcs) !== JSON.stringify(want.images)) problems.push(`images ${JSON.stringify(srcs)} != ${JSON.stringify(want.images)}`);
  for (const k of want.findings) if (!kinds.includes(k)) problems.push(`missing finding ${k}`);
  if (want.clean && kinds.length) problems.push(`unexpected findings ${kinds}`);
  for (const t of want.text) if (!text.includes(t)) problems.push(`text lacks ${JSON.stringify(t)}`);
  for (const t of want.no_text ?? []) if (text.includes(t)) problems.push(`text has ${JSON.stringify(t)}`);
  for (const [name, min] of Object.entries(want.elements ?? {})) {
    const n = elements.filter((e) => e.name === name).length;
    if (n < min) problems.push(`${n} <${name}>, expected ${min}`);
  }
  problems.push(...unsafeBits(out.html));
  return problems;
}

/** An LLM-style answer of about `bytes` bytes, built from the example answer. */
export function answerOfSize(bytes) {
  const base = readFileSync(new URL('examples/answer.md', root), 'utf8');
  let s = '';
  while (s.length < bytes) s += base + '\n\n';
  return s.slice(0, bytes);
}

/** Every document the entries are compared on: the corpus, the peers' vectors, a 20 KB answer. */
export const documents = [
  ...corpus.cases.map((c) => c.input),
  ...peers.map((p) => p.input),
  answerOfSize(20000),
];

/** The default policy and every corpus policy. */
export const policies = [{}, ...Object.values(corpus.policies)];

/**
 * Streams `answer` into `stream` (a `MarkdownStream`) a character at a time, as a reader
 * watches it arrive: after each character, `each(seen, input, lost)` gets what the reader sees
 * (`visible` of committed + tail), the input so far and the text lost since the state before
 * (`lost`: `lostText`, passed in where the source runs without it, in the page). Returns all
 * that was committed, `finish` included. Self-contained: the browser test runs its source in
 * the page.
 */
export function streamStates(stream, answer, visible, each, lost) {
  let committed = '';
  let input = '';
  let before = '';
  for (const c of answer) {
    const update = stream.push(c);
    committed += update.committed;
    input += c;
    const seen = visible(committed + update.tail);
    each(seen, input, lost(before, seen, input));
    before = seen;
  }
  const end = stream.finish();
  return committed + (typeof end === 'string' ? end : end.committed);
}

/**
 * What a reader sees while an answer streams in, state to state (as tests/reading.rs reads
 * it): the text `before` showed and `now` does not, markers and whitespace aside, when it is
 * not written, in order, in the input's last block (from its last blank line on, or from an
 * HTML block still open that a blank line does not end); `null` when nothing is lost, or
 * only the unfinished end of the input being resolved. What is lost is what is left of
 * `before` between the text it begins and ends with in common with `now`. Self-contained:
 * the browser test runs its source in the page.
 */
export function lostText(before, now, input) {
  const aside = (t) => [...t.replaceAll('image:', '').replace(/[\s*_~`[\]()!#>|\\\u200B-]/g, '')];
  const b = aside(before);
  const n = aside(now);
  let p = 0;
  while (p < b.length && p < n.length && b[p] === n[p]) p++;
  let s = 0;
  while (s < b.length - p && s < n.length - p && b[b.length - 1 - s] === n[n.length - 1 - s]) s++;
  const lost = b.slice(p, b.length - s).join('');
  if (!lost) return null;
  // Open before the last character arrived.
  const was = [...input].slice(0, -1).join('').toLowerCase();
  const open = [['<!--', '-->'], ['<?', '?>'], ['<![cdata[', ']]>'], ['<script', '</script>'],
    ['<pre', '</pre>'], ['<style', '</style>'], ['<textarea', '</textarea>']]
    .map(([o, c]) => { const at = was.lastIndexOf(o); return at >= 0 && !was.slice(at).includes(c) ? at : input.length; });
  const blank = Math.max(input.lastIndexOf('\n\n'), input.lastIndexOf('\n\r\n'), input.lastIndexOf('\r\r'), 0);
  const written = aside(input.slice(Math.min(blank, ...open)).toLowerCase());
  let k = 0;
  for (const c of lost.toLowerCase()) {
    k = written.indexOf(c, k) + 1;
    if (k === 0) return lost;
  }
  return null;
}
