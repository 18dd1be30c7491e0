// Internationalized hosts in the npm package, where IDNA is the platform's (node's WHATWG URL
// parser; wasm/Cargo.lock pins idna_adapter 1.0, no tables), against the native CLI, where it
// is ICU4X's: every render of every generated host, in every place a URL is read, under
// policies that allow, proxy and resolve against such hosts, is byte for byte the CLI's, HTML
// and findings, through both entries, except for hosts where node's own URL parser and ICU4X
// disagree on validity (and then only there). Hosts are shown in punycode, never refused for
// being internationalized.

import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as full from '../dist/node.js';
import * as lite from '../dist/lite-node.js';
import { hosts, places, policies, nativeVerdicts } from './idna.js';
import { nativeCli } from './corpus.js';

const HOSTS = Number(process.env.IDNA_HOSTS ?? 1500);
const PER_DOC = 50;

const cli = nativeCli();

function native(dir, policy, input, html) {
  const file = join(dir, 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  const args = ['--json', '--policy', file, ...(html ? ['--html'] : [])];
  return JSON.parse(execFileSync(cli, args, { input, encoding: 'utf8', maxBuffer: 1 << 26 }));
}

// The findings without their UTF-16 ranges (JavaScript's own addition).
const plain = (findings) => findings.map(({ range_utf16: _, ...f }) => f);

/**
 * The hosts where this platform's URL parser and ICU4X (the native CLI) disagree on whether
 * `https://HOST/` is a valid URL at all. node's parser does not apply UTS #46's CheckBidi (RFC
 * 5893's bidi rule): it accepts `٣.example`, which ICU4X, and Chromium (browser.mjs), refuse.
 */
function disagreeing(all) {
  const verdicts = nativeVerdicts(cli, all);
  const out = new Set();
  all.forEach((h, i) => {
    const [kind] = verdicts[i];
    if (kind === 'invisible_characters') return; // refused before any parsing
    const nativeValid = kind !== 'invalid_url';
    let platformValid = true;
    try {
      new URL(`https://${h}/`);
    } catch {
      platformValid = false;
    }
    if (nativeValid !== platformValid) out.add(h);
  });
  return out;
}

test('internationalized hosts render as the native CLI renders them (ICU4X), in both entries', () => {
  assert.ok(cli, 'the safemark CLI is built (cargo build)');
  const all = hosts(HOSTS);
  const dir = mkdtempSync(join(tmpdir(), 'safemark-idna-'));
  let renders = 0;
  let reads = 0;
  let punycode = 0;
  try {
    const platform = disagreeing(all);
    const exact = all.filter((h) => !platform.has(h));
    for (const policy of policies) {
      const f = new full.Sanitizer(policy);
      const l = new lite.Sanitizer({ ...policy, raw_html: 'escape' });
      for (let i = 0; i < exact.length; i += PER_DOC) {
        for (const html of [false, true]) {
          const input = exact.slice(i, i + PER_DOC).map((h) => places(h, html)).join('\n');
          const want = native(dir, policy, input, html);
          const got = html ? f.inspectHtml(input) : f.inspect(input);
          const x = got.html.split('\n');
          const y = want.html.split('\n');
          const k = x.findIndex((line, n) => line !== y[n]);
          assert.equal(got.html, want.html, `under ${JSON.stringify(policy)}:\n  npm:    ${x[k]}\n  native: ${y[k]}`);
          assert.deepEqual(plain(got.findings), want.findings);
          renders++;
          reads += Math.min(PER_DOC, exact.length - i) * places('x', html).split('\n').length;
          if (!html) {
            // lite: the same as full with raw HTML shown as text.
            assert.equal(l.inspect(input).html, full.renderMarkdown(input, { ...policy, raw_html: 'escape' }));
            renders++;
          }
          punycode += (got.html.match(/xn--/g) ?? []).length;
        }
      }
    }
    // Where node's parser accepts a host ICU4X refuses, the package judges the host node would
    // connect to, shown in punycode as node serializes it; or, when the url crate cannot read
    // even node's serialization (`xn--bcher-kva-`: punycode it cannot validate), refuses it as
    // invalid, as the CLI does.
    let asNode = 0;
    for (const h of platform) {
      const v = full.judgeLink(`https://${h}/`);
      const node = ['untrusted_link', new URL(`https://${h}/`).host];
      if (v.reason !== 'invalid_url') assert.deepEqual([v.reason, v.host], node, h);
      else assert.equal(v.host, null, h);
      asNode += v.reason !== 'invalid_url';
    }
    console.log(`# idna: ${all.length} hosts x ${policies.length} policies x ${places('x', false).split('\n').length + places('x', true).split('\n').length} places: ${reads} URL reads in ${renders} renders equal to the native CLI's (${punycode} punycode hosts written); ${platform.size} hosts that node's URL parser accepts and ICU4X refuses (mostly the bidi rule) are judged as node reads them (${asNode}) or refused as invalid as the CLI does`);
    assert.ok(punycode > all.length, 'internationalized hosts are written, in punycode');
    assert.ok(platform.size < all.length / 10, `${platform.size} hosts where the parsers disagree`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an internationalized host is judged and shown in punycode, never refused for it', () => {
  const policy = { links: { allow: ['https://bücher.example/'] } };
  for (const m of [full, lite]) {
    for (const url of ['https://bücher.example/x', 'https://BÜCHER.example/x', 'https://xn--bcher-kva.example/x', 'https://bücher\u3002example/x']) {
      const v = m.judgeLink(url, undefined, policy);
      assert.equal(v.allowed, true, url);
      assert.equal(v.host, 'xn--bcher-kva.example', url);
      assert.equal(new URL(v.value).hostname, 'xn--bcher-kva.example', url);
    }
    // Refused as untrusted, not as invalid: shown with its punycode host.
    const other = m.judgeLink('https://bücher.evil.example/', undefined, policy);
    assert.deepEqual([other.allowed, other.reason, other.host], [false, 'untrusted_link', 'xn--bcher-kva.evil.example']);
    // Invalid for the platform and for ICU4X alike.
    assert.equal(m.judgeLink('https://xn--a.example/', undefined, policy).reason, 'invalid_url');
  }
});
