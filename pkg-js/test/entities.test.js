// Named character references in the full entry, against the native CLI. The package's wasm
// builds html5ever over a vendored `web_atoms` whose table of references is three sorted
// arrays instead of upstream's `phf::Map` (wasm/vendor/web_atoms/VENDORED.md: 74 KB gzip
// less); the native CLI builds it over upstream's. html5ever asks the table for one character
// after `&`, then for each answer it got followed by one more character, so every string it
// can ask for is a prefix of a name followed by one character. Here every prefix of every
// name (9,854, the table's keys) is read followed by each kind of character the tokenizer
// treats apart (`;`, a letter, a digit, `=`, anything else), in text and in an attribute
// value (where `=` and alphanumerics after a name without `;` keep it undecoded), and the
// package's HTML and findings are byte for byte the CLI's.

import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as full from '../dist/node.js';
import * as lite from '../dist/lite-node.js';
import { nativeCli } from './corpus.js';

const cli = nativeCli();
const PER_DOC = 2_000;

/** The names of html5ever's table, with their `&`, read from the vendored crate's source. */
function names() {
  const source = readFileSync(new URL('../../wasm/vendor/web_atoms/entities.rs', import.meta.url), 'utf8');
  return [...source.matchAll(/\("&([A-Za-z0-9]+;?)", \d+, \d+\)/g)].map((m) => m[1]);
}

/** Every prefix of every name, the empty one included: every key of upstream's map. */
function prefixes(all) {
  const out = new Set(['']);
  for (const name of all) for (let n = 1; n <= name.length; n++) out.add(name.slice(0, n));
  return [...out];
}

const plain = (findings) => findings.map(({ range_utf16: _, ...f }) => f);

/** The package's render is the CLI's: HTML (the first line that differs shown) and findings. */
function assertSame(got, want) {
  const x = got.html.split('\n');
  const y = want.html.split('\n');
  const k = x.findIndex((line, n) => line !== y[n]);
  assert.equal(got.html, want.html, `npm:    ${x[k]}\nnative: ${y[k]}`);
  assert.deepEqual(plain(got.findings), want.findings);
}

test('every named character reference reads as the native CLI reads it, in text and attributes', () => {
  assert.ok(cli, 'the safemark CLI is built (cargo build)');
  const all = names();
  assert.equal(all.length, 2_231);
  const keys = prefixes(all);
  assert.equal(keys.length, 9_854);
  const refs = [];
  for (const key of keys) for (const next of ['|', ';', 'x', 'Q', '7', '=', ' ']) refs.push(`&${key}${next}`);
  const sanitizer = new full.Sanitizer({});
  let decoded = 0;
  for (let i = 0; i < refs.length; i += PER_DOC) {
    const chunk = refs.slice(i, i + PER_DOC);
    const input = chunk.map((r, n) => `<p title="${r.replaceAll('"', '')}|">${n} ${r}|</p>`).join('\n');
    const want = JSON.parse(execFileSync(cli, ['--json', '--html'], { input, encoding: 'utf8', maxBuffer: 1 << 26 }));
    const got = sanitizer.inspectHtml(input);
    assertSame(got, want);
    // A reference left as it was is serialized as `&amp;`.
    decoded += (input.match(/&/g) ?? []).length - (got.html.match(/&amp;/g) ?? []).length;
  }
  // The references are read, not only passed through: every name ending in `;` decodes in
  // text and in attributes (less the few whose character is serialized as `&…;` again).
  const named = refs.filter((r) => all.includes(r.slice(1, -1)) && r.at(-2) === ';').length;
  assert.ok(decoded > 1.9 * named, `${decoded} references decoded, ${2 * named} expected`);
});

/** The names of pulldown-cmark's table, read from the vendored crate's source (upstream's array). */
function markdownNames() {
  const source = readFileSync(new URL('../../wasm/vendor/pulldown-cmark/src/entities.rs', import.meta.url), 'utf8');
  return [...source.matchAll(/\(b"([A-Za-z0-9]+)", "(?:\\u\{[0-9A-F]+\})+"\)/g)].map((m) => m[1]);
}

test('every named character reference in markdown reads as the native CLI reads it, in full and lite', () => {
  assert.ok(cli, 'the safemark CLI is built (cargo build)');
  const all = markdownNames();
  assert.equal(all.length, 2_125);
  const keys = prefixes(all);
  assert.equal(keys.length, 7_729);
  // The parser reads `&`, letters and digits, then `;`: a name is decoded only with its `;`.
  const refs = [];
  for (const key of keys) for (const next of [';', 'x;', '7;', '', ' ;']) refs.push(`&${key}${next}`);
  const entries = [new full.Sanitizer({}), new lite.Sanitizer({})];
  let decoded = 0;
  for (let i = 0; i < refs.length; i += PER_DOC) {
    const chunk = refs.slice(i, i + PER_DOC);
    const input = chunk.map((r, n) => `${n} ${r}|`).join('\n\n');
    const want = JSON.parse(execFileSync(cli, ['--json'], { input, encoding: 'utf8', maxBuffer: 1 << 26 }));
    for (const sanitizer of entries) {
      assertSame(sanitizer.inspect(input), want);
    }
    decoded += (input.match(/&/g) ?? []).length - (want.html.match(/&amp;/g) ?? []).length;
  }
  // The references are read, not only passed through: every one that is a name with its `;`
  // decodes (less `&amp;` and `&AMP;`, whose `&` is written as `&amp;` again), no other does.
  const names = new Set(all);
  const named = refs.filter((r) => r.endsWith(';') && names.has(r.slice(1, -1))).length;
  const ampersands = refs.filter((r) => r === '&amp;' || r === '&AMP;').length;
  assert.equal(decoded, named - ampersands);
  console.log(`# markdown references: ${refs.length} read by full and lite as by the CLI`);
});
