// Internationalized hosts, as a class: the npm package's wasm has no IDNA tables of its own
// (wasm/Cargo.lock pins idna_adapter 1.0) and asks the platform's WHATWG URL parser instead,
// while the native CLI uses ICU4X. These documents and policies put every kind of host UTS #46
// treats differently in every place a URL is read, so that the two can be compared render for
// render (idna.test.js in node, browser.mjs in Chromium).

import { execFileSync } from 'node:child_process';

// Label pieces, by what UTS #46 does with them.
const pieces = {
  ascii: ['a', 'docs', 'x1', 'b-c'],
  latin: ['ü', 'é', 'ñ', 'ø', 'ß'], // ß: a deviation character, kept (nontransitional)
  upper: ['Ü', 'Σ', 'Ж', 'İ'], // mapped to lower case
  final: ['ς'], // final sigma: a deviation character
  fullwidth: ['ｅ', 'Ｘ', '０'], // mapped to ASCII
  cyrillic: ['а', 'р', 'ѕ'], // confusable with Latin, valid
  greek: ['α', 'ο'],
  cjk: ['中', '文', 'ア'],
  rtl: ['ا', 'ب', 'א', '٣'], // the bidi rule decides which mixtures are valid
  mark: ['\u0301', '\u093F'], // combining marks: invalid at a label's start
  joiner: ['\u200C', '\u200D'], // ContextJ (safemark refuses invisible characters first)
  ignored: ['\u00AD', '\uFE0F'], // mapped to nothing
  emoji: ['💩', '☃'],
  disallowed: ['\uFFFD', '\uE000', '\u2028', '\u0378', '\u3000', '%', '⁄'],
  dot: ['\u3002', '\uFF0E', '\uFF61'], // full stops UTS #46 maps to "."
  percent: ['%C3%BC', '%E4%B8%AD', '%FF', '%2E'],
  ace: ['xn--bcher-kva', 'XN--BCHER-KVA', 'xn--a', 'xn--', 'xn--ls8h', 'xn--zca', 'xn--nxasmq6b', 'xn--fiqs8s', 'xn--bcher-kva-'],
  hyphen: ['-', 'ab--cd', '--'],
};
const tlds = ['example', 'com', '中国', 'xn--fiqs8s', 'рф', 'ＣＯＭ', 'example.', 'ελ'];
const classes = Object.keys(pieces);

// A small deterministic generator (mulberry32): the same hosts on every run and platform.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` hosts: every class alone at least once, then random mixtures of classes. */
export function hosts(count, seed = 1) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const out = [];
  for (const c of classes) {
    for (const p of pieces[c]) out.push(`${p}.example`, `a${p}b.${pick(tlds)}`);
  }
  while (out.length < count) {
    const labels = [];
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      let label = '';
      const parts = 1 + Math.floor(r() * 4);
      for (let j = 0; j < parts; j++) label += pick(pieces[pick(classes)]);
      labels.push(label);
    }
    out.push(`${labels.join('.')}.${pick(tlds)}`);
  }
  return out;
}

/** The places a URL is read, for one host (`html`: raw HTML, for the full entry only). */
export function places(host, html) {
  const md = [
    `- [link](https://${host}/p?q=1)`,
    `- ![image](https://${host}/i.png)`,
    `- <https://${host}/auto>`,
    `- [relative](//${host}/r)`,
    `- [mail](mailto:someone@${host})`,
    `- [https://${host}/](https://${host}/)`, // deceptive-link check: text names a host
    `- [docs.example.com](https://${host}/)`,
    // Every other part of the URL too: the platform serializes all of it.
    `- [parts](https://user:pw@${host}:8080/ä%20b/./x/../c?ö=1&q=%zz#ü)`,
    `- [port](HTTPS://${host}:443/%2e%2E/d\\e)`,
  ];
  if (!html) return md.join('\n');
  return [
    `<a href="https://${host}/h">h</a>`,
    `<img src="https://${host}/i.png" alt="i">`,
    `<a href="//${host}/r">r</a>`,
    `<img srcset="https://${host}/1.png 1x, https://${host}/2.png 2x" alt="s">`,
  ].join('\n');
}

/** Policies that allow, proxy and resolve against internationalized hosts. */
export const policies = [
  {},
  {
    links: { allow: ['https://bücher.example/', 'https://xn--nxasmq6b.com/', 'https://ｅ.example/', 'https://中文.中国/', 'mailto:'] },
    images: { allow: ['https://ü.example/', 'https://xn--ls8h.example/'] },
  },
  {
    links: { allow: ['*'], base: 'https://bücher.example/dir/' },
    images: { allow: ['https://ü.example/'], proxy: 'https://proxy.xn--bcher-kva.example/img' },
  },
];

/**
 * The native CLI's verdict on `https://HOST/` for each host, under the default policy (every
 * such link is refused): `[reason, host shown]`, as `judgeLink` gives them.
 */
export function nativeVerdicts(cli, list) {
  const input = list.map((h) => `[x](https://${h}/)`).join('\n\n');
  const { findings } = JSON.parse(execFileSync(cli, ['--json'], { input, encoding: 'utf8', maxBuffer: 1 << 26 }));
  if (findings.length !== list.length) throw new Error('expected one finding per host');
  return findings.map((f) => [f.kind, f.host ?? null]);
}
