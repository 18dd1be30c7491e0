// node: the safemark package beside markdown-it + DOMPurify (jsdom), marked + DOMPurify and
// markdown-it + sanitize-html, on the documents bench/src/bin/docs.rs wrote.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import createDOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { Sanitizer } from 'safemark';
import { SIZES, throughput, table } from './common.mjs';

// Installed versions, read from disk (not every package exports its package.json).
const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

const docs = Object.fromEntries(
  SIZES.map((s) => [s, readFileSync(new URL(`../target/docs/${s}.md`, import.meta.url), 'utf8')]),
);
const purify = createDOMPurify(new JSDOM('').window);
const md = new MarkdownIt({ html: true, linkify: true });
const policy = JSON.stringify({ limits: { max_input_bytes: 4194304 } });
const safemark = new Sanitizer(policy);
const immediate = () => new Promise((r) => setImmediate(r));

const pipelines = [
  [`safemark ${version('safemark')} (wasm)`, (d) => safemark.renderMarkdown(d)],
  [`markdown-it ${version('markdown-it')} + DOMPurify ${version('dompurify')} (jsdom ${version('jsdom')})`,
    (d) => purify.sanitize(md.render(d))],
  [`marked ${version('marked')} + DOMPurify (jsdom)`, (d) => purify.sanitize(marked.parse(d))],
  [`markdown-it + sanitize-html ${version('sanitize-html')}`, (d) => sanitizeHtml(md.render(d))],
];
const rows = [];
for (const [name, fn] of pipelines) {
  const mbps = {};
  for (const s of SIZES) mbps[s] = await throughput(fn, docs[s], 1500, immediate);
  rows.push({ name, mbps });
}
console.log(table(`node ${process.version}`, rows));
