// A property over random sequences of npm API calls (fast-check): Sanitizers with random
// policies (objects, JSON strings, objects with getters), renders through them and through the
// top-level functions, streams pushed in random chunks, finished, freed or abandoned, frees,
// forced traps and init calls. After every step the module is usable, every Sanitizer's output
// follows its own policy (a fresh Sanitizer of the same policy gives the same output), and
// at the end every render equals the native CLI's output for the same input and policy.

import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as safemark from '../dist/node.js';
import { nativeCli } from './corpus.js';
import { Sanitizer as GlueSanitizer } from '../dist/wasm/safemark_wasm.js';

const { Sanitizer, MarkdownStream, renderMarkdown, sanitizeHtml, init, initSync, StateError, WasmError, InputTooLargeError } = safemark;
const wasmBytes = readFileSync(new URL('../dist/wasm/safemark_wasm_bg.wasm', import.meta.url));
const RUNS = Number(process.env.FC_RUNS ?? 500);

const fragment = fc.constantFrom(
  '# Title\n\n', 'plain text ', '**bold** ', '*em* ', '`code` ', '\n\n', '\n', '- item\n', '> quote\n',
  '[docs](https://docs.example.com/a) ', '[evil](https://evil.example/?q=SECRET) ', '[rel](/x) ',
  '![img](https://img.example.com/a.png) ', '![leak](https://attacker.example/p.png?d=1) ',
  '<b>raw</b> ', '<img src=x onerror=alert(1)> ', '<a href="javascript:alert(1)">js</a> ',
  '<details><summary>s</summary>\n\nbody\n\n</details>\n', 'docs.example.com ', 'https://evil.example/bare ',
  '[d\u043Ecs.example.com](https://evil.example/) ', '\u{1F642} ', 'caf\u00E9 ', '[^1]\n\n[^1]: note\n', '|a|b|\n|-|-|\n|1|2|\n',
  '```\ncode\n```\n', '\r\n', '\r', '\u200B', '\uD83D',
);
const markdown = fc.oneof(
  { weight: 4, arbitrary: fc.array(fragment, { maxLength: 12 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const policyValue = fc.record({
  links: fc.option(fc.record({
    allow: fc.subarray(['https://docs.example.com/', 'https://evil.example/', 'mailto:', '*']),
    untrusted: fc.constantFrom('host', 'url', 'text', 'confirm'),
  }, { requiredKeys: [] }), { nil: undefined }),
  images: fc.option(fc.record({ allow: fc.subarray(['https://img.example.com/', 'https://attacker.example/']) }), { nil: undefined }),
  raw_html: fc.option(fc.constantFrom('sanitize', 'escape'), { nil: undefined }),
  limits: fc.option(fc.record({ max_input_bytes: fc.constantFrom(64, 1 << 20, 4294967296) }), { nil: undefined }),
}, { requiredKeys: [] });
/** How the policy is given: undefined, an object, a JSON string, or an object whose keys are getters. */
const policyForm = fc.tuple(policyValue, fc.constantFrom('object', 'json', 'getters', 'default'));

function give([value, form], reads) {
  if (form === 'default') return undefined;
  if (form === 'json') return JSON.stringify(value);
  if (form === 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { enumerable: true, get: () => { reads.count++; return v; } });
  }
  return out;
}
const jsonOf = ([value, form]) => (form === 'default' ? undefined : JSON.stringify(value));

const command = fc.oneof(
  fc.record({ op: fc.constant('sanitizer'), policy: policyForm }),
  fc.record({ op: fc.constant('render'), which: fc.nat(), input: markdown, html: fc.boolean() }),
  fc.record({ op: fc.constant('top'), policy: policyForm, input: markdown, html: fc.boolean() }),
  fc.record({ op: fc.constant('stream'), policy: policyForm, input: markdown, cuts: fc.array(fc.nat(), { maxLength: 6 }), end: fc.constantFrom('finish', 'free', 'abandon') }),
  fc.record({ op: fc.constant('free'), which: fc.nat() }),
  fc.record({ op: fc.constant('trap') }),
  fc.record({ op: fc.constant('init'), sync: fc.boolean() }),
);

function forceTrap() {
  const original = GlueSanitizer.prototype.renderMarkdown;
  GlueSanitizer.prototype.renderMarkdown = function (text) {
    const bogus = Object.create(GlueSanitizer.prototype);
    bogus.__wbg_ptr = 0xfffffff0;
    return original.call(bogus, text);
  };
  try {
    assert.throws(() => new Sanitizer().renderMarkdown('x'), WasmError);
  } finally {
    GlueSanitizer.prototype.renderMarkdown = original;
  }
}

/** Runs `f`, giving its output or the error's name for the errors a render may give. */
function outcome(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputTooLargeError) return `error: ${e.message}`;
    throw e;
  }
}

test('random sequences of API calls keep the module usable and every Sanitizer on its own policy', async () => {
  const renders = [];
  let steps = 0;
  let traps = 0;
  await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 15 }), async (commands) => {
    const live = [];
    for (const c of commands) {
      steps++;
      if (c.op === 'sanitizer') {
        const reads = { count: 0 };
        const s = new Sanitizer(give(c.policy, reads));
        assert.ok(reads.count <= Object.keys(c.policy[0]).length, 'each getter runs at most once');
        live.push({ s, json: jsonOf(c.policy), freed: false });
      } else if (c.op === 'render' && live.length) {
        const entry = live[c.which % live.length];
        const run = () => (c.html ? entry.s.sanitizeHtml(c.input) : entry.s.renderMarkdown(c.input));
        if (entry.freed) {
          assert.throws(run, StateError);
          continue;
        }
        const out = outcome(run);
        // Follows its own policy: a Sanitizer made now from the same policy agrees.
        const fresh = new Sanitizer(entry.json);
        assert.equal(out, outcome(() => (c.html ? fresh.sanitizeHtml(c.input) : fresh.renderMarkdown(c.input))));
        fresh.free();
        renders.push({ json: entry.json, html: c.html, input: c.input, out });
      } else if (c.op === 'top') {
        const reads = { count: 0 };
        const given = give(c.policy, reads);
        const out = outcome(() => (c.html ? sanitizeHtml(c.input, given) : renderMarkdown(c.input, given)));
        assert.ok(reads.count <= Object.keys(c.policy[0]).length, 'each getter runs at most once');
        renders.push({ json: jsonOf(c.policy), html: c.html, input: c.input, out });
      } else if (c.op === 'stream') {
        const stream = new MarkdownStream(give(c.policy, { count: 0 }));
        let html = '';
        let refused = false;
        let at = 0;
        for (const cut of [...c.cuts.map((n) => n % (c.input.length + 1)).sort((a, b) => a - b), c.input.length]) {
          try {
            html += stream.push(c.input.slice(at, cut), { tail: cut % 2 === 0 }).committed;
          } catch (e) {
            if (!(e instanceof InputTooLargeError)) throw e;
            refused = true;
            break;
          }
          at = cut;
        }
        if (c.end === 'finish' && !refused) {
          html += stream.finish();
          renders.push({ json: jsonOf(c.policy), html: false, input: c.input, out: html });
        } else if (c.end === 'free' || refused) {
          stream.free();
          assert.throws(() => stream.push('x'), StateError);
        }
      } else if (c.op === 'free' && live.length) {
        const entry = live[c.which % live.length];
        entry.s.free();
        entry.freed = true;
      } else if (c.op === 'trap') {
        forceTrap();
        traps++;
      } else if (c.op === 'init') {
        if (c.sync) initSync(wasmBytes);
        else await init(wasmBytes);
      }
      // The module is usable after every step.
      assert.equal(renderMarkdown('*ok*'), '<p><em>ok</em></p>\n');
    }
    for (const { s } of live) s.free();
  }), { numRuns: RUNS });

  // Every render equals the native CLI's, for the same input and policy.
  const cli = nativeCli();
  assert.ok(cli, 'the safemark CLI is built (cargo build)');
  const dir = mkdtempSync(join(tmpdir(), 'safemark-prop-'));
  let compared = 0;
  try {
    const files = new Map();
    for (const r of renders) {
      const args = [];
      if (r.json !== undefined) {
        if (!files.has(r.json)) {
          const file = join(dir, `policy-${files.size}.json`);
          writeFileSync(file, r.json);
          files.set(r.json, file);
        }
        args.push('--policy', files.get(r.json));
      }
      if (r.html) args.push('--html');
      let native;
      try {
        native = execFileSync(cli, args, { input: r.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (e) {
        if (typeof e.stderr !== 'string' || !e.stderr) throw e;
        native = `error: ${e.stderr.replace(/^safemark: /, '').trim()}`;
      }
      assert.equal(r.out, native, `${r.html ? 'html' : 'markdown'} under ${r.json}: ${JSON.stringify(r.input)}`);
      compared++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`# property: ${RUNS} sequences, ${steps} API calls (${traps} forced traps), ${compared} renders equal to the native CLI`);
  assert.ok(compared > RUNS, `only ${compared} renders compared`);
});
