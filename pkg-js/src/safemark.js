// safemark for browsers, bundlers, workers and edge runtimes: a thin layer over the
// wasm-bindgen glue in ./wasm/. Node's entry (./node.js) initializes itself; here call
// `await init()` once (it fetches the .wasm next to this file) or `initSync(bytes)`.
//
// What this layer keeps true for a page that lives for hours:
// - one module, one instance: `init` and `initSync` in any order and number share it;
// - no call leaves the module unusable: the Rust side returns every error as a value, so an
//   exception out of a wasm call means it was unwound (a trap, the JavaScript stack running
//   out in the glue); the instance is then reset before the next call. A `Sanitizer` compiles
//   its policy again by itself; a stream in progress is lost and says so;
// - a policy is read once (one `JSON.stringify`), so what is cached is what was compiled.

import * as glue from './wasm/safemark_wasm.js';

const {
  initSync: initGlueSync,
  __wbg_reset_state: resetGlue,
  Sanitizer: WasmSanitizer,
  MarkdownStream: WasmMarkdownStream,
} = glue;
// `safemark/lite/nowasm`: the same module compiled to JavaScript (binaryen's wasm2js), whose
// glue says so; there is no WebAssembly to fetch or compile, and `init` only instantiates.
const selfContained = glue.selfContained === true;

// ---------------------------------------------------------------------------------------
// Errors

/** Base class of every error safemark throws (besides `TypeError` for a wrong argument). */
export class SafemarkError extends Error {}
SafemarkError.prototype.name = 'SafemarkError';

/** The policy does not parse or names something invalid; `key` is the offending key. */
export class PolicyError extends SafemarkError {
  constructor(message, key) {
    super(message);
    /** Path of the key at fault, such as `links.allow[0]` (empty: the JSON itself). */
    this.key = key;
  }
}
PolicyError.prototype.name = 'PolicyError';

/** The input is over `limits.max_input_bytes`: `length` bytes (UTF-8), `limit` bytes allowed. */
export class InputTooLargeError extends SafemarkError {
  constructor(message, length, limit) {
    super(message);
    this.length = length;
    this.limit = limit;
  }
}
InputTooLargeError.prototype.name = 'InputTooLargeError';

/** A call that cannot be made now: before `init()`, on a finished or freed object. */
export class StateError extends SafemarkError {}
StateError.prototype.name = 'StateError';

/** A WebAssembly call was unwound (a trap, stack exhaustion); the module was reset. */
export class WasmError extends SafemarkError {}
WasmError.prototype.name = 'WasmError';

/** The error a Rust-side status (JSON) stands for. */
function fromStatus(status) {
  const e = JSON.parse(status);
  switch (e.name) {
    case 'PolicyError':
      return new PolicyError(e.message, e.key);
    case 'InputTooLargeError':
      return new InputTooLargeError(e.message, e.length, e.limit);
    case 'StateError':
      return new StateError(e.message);
    default:
      return new SafemarkError(e.message);
  }
}

// ---------------------------------------------------------------------------------------
// The one instance

let instantiated = false;
let initPromise;
/** Bumped on every reset: objects from an older generation hold dangling pointers. */
let generation = 0;
let resetPending = false;

function instantiate(module) {
  if (instantiated) return;
  // The glue's own initSync is a no-op once it has an instance: never two.
  initGlueSync({ module });
  instantiated = true;
}

async function compileFrom(input) {
  if (input instanceof WebAssembly.Module) return input;
  if (typeof input === 'string' || input instanceof URL
      || (typeof Request === 'function' && input instanceof Request)) {
    input = fetch(input);
  }
  input = await input;
  if (typeof Response === 'function' && input instanceof Response) {
    if (!input.ok) {
      throw new SafemarkError(`safemark: fetching the WebAssembly module failed: ${input.status} ${input.statusText}`);
    }
    const type = input.headers.get('Content-Type') ?? '';
    if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(input);
    }
    return WebAssembly.compile(await input.arrayBuffer());
  }
  return WebAssembly.compile(input);
}

/**
 * Loads the WebAssembly module. `input`: a URL, Request, Response, bytes or
 * WebAssembly.Module (default: the .wasm next to this file). Idempotent: every call, and
 * `initSync`, in any order, share one instance.
 */
export function init(input) {
  if (instantiated) return Promise.resolve();
  if (selfContained) {
    try {
      instantiate(undefined);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  if (!initPromise) {
    initPromise = compileFrom(input ?? new URL('./wasm/safemark_wasm_bg.wasm', import.meta.url))
      .then(instantiate);
    // A failed load may be tried again.
    initPromise.catch(() => { initPromise = undefined; });
  }
  return initPromise;
}

/** Loads the WebAssembly module synchronously from bytes or a WebAssembly.Module. */
export function initSync(module) {
  if (instantiated) return;
  if (selfContained) return instantiate(undefined);
  instantiate(module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module));
}

function requireReady() {
  if (!instantiated) {
    throw new StateError('safemark: call `await init()` (or `initSync(bytes)`) before rendering');
  }
  if (resetPending) {
    resetGlue();
    resetPending = false;
  }
}

/** Calls into wasm. Any exception means the call was unwound: the instance is reset. */
function call(fn) {
  requireReady();
  try {
    return fn();
  } catch (cause) {
    // Only cheap steps here: the stack may be nearly exhausted. The reset itself happens at
    // the start of the next call.
    generation++;
    resetPending = true;
    throw new WasmError('safemark: a WebAssembly call failed and the module was reset', { cause });
  }
}

// ---------------------------------------------------------------------------------------
// Arguments

function policyJson(policy) {
  if (policy === undefined || policy === null) return undefined;
  if (typeof policy === 'string') return policy;
  if (typeof policy === 'object' && !Array.isArray(policy)) return JSON.stringify(policy);
  throw new TypeError(`safemark: a policy is an object, a JSON string or undefined, not ${describe(policy)}`);
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor?.name ?? 'typed array'}`;
  return `a ${typeof value}`;
}

function string(value, what) {
  if (typeof value === 'string') return value;
  if (value instanceof String) return value.valueOf();
  throw new TypeError(`safemark: ${what} must be a string, not ${describe(value)}`);
}

/** UTF-8 length of `s` (a lone surrogate counts as the 3 bytes of U+FFFD). */
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length
      && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Refuses input that cannot fit before it is copied into WebAssembly memory. */
function checkLength(input, limit) {
  // Every UTF-16 code unit is at least one UTF-8 byte.
  if (input.length > limit) {
    const length = utf8Length(input);
    throw new InputTooLargeError(
      `input is ${length} bytes, over the limit of ${limit} bytes (limits.max_input_bytes)`,
      length,
      limit,
    );
  }
}

// ---------------------------------------------------------------------------------------
// Trusted Types

let trustedTypesName = 'safemark';
let trustedTypesPolicy;

/**
 * Names the Trusted Types policy safemark creates (default `"safemark"`; allow it in your
 * CSP's `trusted-types` directive). Call before the first `*Trusted` render.
 */
export function setTrustedTypesPolicyName(name) {
  if (trustedTypesPolicy) {
    throw new StateError(`safemark: the Trusted Types policy "${trustedTypesName}" already exists`);
  }
  trustedTypesName = string(name, 'the Trusted Types policy name');
}

function trusted(html) {
  const tt = globalThis.trustedTypes;
  if (!tt || typeof tt.createPolicy !== 'function') return html;
  // Only ever given safemark's own output: this policy is private to the module.
  trustedTypesPolicy ??= tt.createPolicy(trustedTypesName, { createHTML: (s) => s });
  return trustedTypesPolicy.createHTML(html);
}

// ---------------------------------------------------------------------------------------
// Sanitizer

/** Lets the module build a Sanitizer from policy JSON it has already read. */
const FROM_JSON = Symbol('policy JSON');

/** A policy compiled once and reused. */
export class Sanitizer {
  #json;
  #inner = null;
  #generation = -1;
  #limit = 0;
  #freed = false;

  constructor(policy, token) {
    this.#json = token === FROM_JSON ? policy : policyJson(policy);
    this.#wasm();
  }

  /** The compiled policy in this instance (compiled again after a reset). */
  #wasm() {
    if (this.#freed) throw new StateError('safemark: this Sanitizer was freed');
    if (this.#generation !== generation) {
      const json = this.#json;
      const [inner, status, limit] = call(() => {
        const s = new WasmSanitizer(json);
        return [s, s.error(), s.maxInputBytes()];
      });
      if (status) {
        call(() => inner.free());
        throw fromStatus(status);
      }
      this.#inner = inner;
      this.#limit = limit;
      this.#generation = generation;
    }
    return this.#inner;
  }

  #run(method, input, what) {
    const text = string(input, what);
    const inner = this.#wasm();
    checkLength(text, this.#limit);
    const out = call(() => inner[method](text));
    if (out[0]) throw fromStatus(out[0]);
    return out;
  }

  /** Markdown to safe HTML. */
  renderMarkdown(markdown) {
    return this.#run('renderMarkdown', markdown, 'markdown')[1];
  }

  /** HTML to safe HTML. */
  sanitizeHtml(html) {
    return this.#run('sanitizeHtml', html, 'html')[1];
  }

  /** Markdown to `{ html, findings }`. */
  inspect(markdown) {
    const [, findings, html] = this.#run('inspectMarkdown', markdown, 'markdown');
    return { html, findings: JSON.parse(findings) };
  }

  /** HTML to `{ html, findings }`. */
  inspectHtml(html) {
    const [, findings, out] = this.#run('inspectHtml', html, 'html');
    return { html: out, findings: JSON.parse(findings) };
  }

  /**
   * One link destination judged exactly as a render judges it, for the app's own dialog or
   * preview: `{ allowed, value, url, host, reason, deceptive }` (see the README).
   */
  judgeLink(url, text) {
    const dest = string(url, 'url');
    const shown = text === undefined || text === null ? undefined : string(text, 'text');
    const inner = this.#wasm();
    checkLength(dest, this.#limit);
    if (shown !== undefined) checkLength(shown, this.#limit);
    const out = call(() => inner.judgeLink(dest, shown));
    if (out[0]) throw fromStatus(out[0]);
    return JSON.parse(out[1]);
  }

  /** One image source judged exactly as a render judges it (see `judgeLink`). */
  judgeImage(url) {
    return JSON.parse(this.#run('judgeImage', url, 'url')[1]);
  }

  /** Markdown to `TrustedHTML` where the page has Trusted Types (a string elsewhere). */
  renderMarkdownTrusted(markdown) {
    return trusted(this.renderMarkdown(markdown));
  }

  /** HTML to `TrustedHTML` where the page has Trusted Types (a string elsewhere). */
  sanitizeHtmlTrusted(html) {
    return trusted(this.sanitizeHtml(html));
  }

  /** The policy in force, with every default filled in. */
  get policy() {
    const inner = this.#wasm();
    return JSON.parse(call(() => inner.policyJson()));
  }

  /** Frees the WebAssembly memory now instead of at garbage collection. Idempotent. */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    const inner = this.#inner;
    this.#inner = null;
    if (inner && this.#generation === generation) call(() => inner.free());
  }

  [Symbol.dispose]() {
    this.free();
  }
}

const compiled = new Map();
const DEFAULT_KEY = '\u0000default';

function sanitizerFor(policy) {
  const json = policyJson(policy);
  const key = json ?? DEFAULT_KEY;
  let sanitizer = compiled.get(key);
  if (!sanitizer) {
    sanitizer = new Sanitizer(json, FROM_JSON);
    if (compiled.size >= 16) {
      const [oldest, old] = compiled.entries().next().value;
      compiled.delete(oldest);
      old.free();
    }
    compiled.set(key, sanitizer);
  }
  return sanitizer;
}

/** Markdown to safe HTML (the compiled policy is cached). */
export function renderMarkdown(markdown, policy) {
  return sanitizerFor(policy).renderMarkdown(markdown);
}

/** HTML to safe HTML (the compiled policy is cached). */
export function sanitizeHtml(html, policy) {
  return sanitizerFor(policy).sanitizeHtml(html);
}

/** One link destination judged as a render under `policy` judges it (see `Sanitizer.judgeLink`). */
export function judgeLink(url, text, policy) {
  return sanitizerFor(policy).judgeLink(url, text);
}

/** One image source judged as a render under `policy` judges it. */
export function judgeImage(url, policy) {
  return sanitizerFor(policy).judgeImage(url);
}

// ---------------------------------------------------------------------------------------
// Streaming

/**
 * Markdown rendered as it streams in. `push(chunk)` returns `{ committed, tail }`: append
 * `committed` once (it never changes), replace the previous tail with `tail` (provisional,
 * healed, no URL shown before it is complete). `finish()` returns the last committed HTML.
 * Everything committed equals `renderMarkdown(wholeAnswer, policy)`.
 */
export class MarkdownStream {
  #inner;
  #generation;
  /** A high surrogate whose low half has not arrived. */
  #high = '';
  /** 'open', 'finished' or 'freed'. */
  #state = 'open';
  #findings = null;
  /** Blocks committed so far: the next block's id. */
  #blocks = 0;

  constructor(policy) {
    const json = policyJson(policy);
    const [inner, status] = call(() => {
      const s = new WasmMarkdownStream(json);
      return [s, s.error()];
    });
    if (status) {
      call(() => inner.free());
      throw fromStatus(status);
    }
    this.#inner = inner;
    this.#generation = generation;
  }

  #wasm() {
    if (this.#state !== 'open') throw new StateError(`safemark: this stream is ${this.#state}`);
    if (this.#generation !== generation) {
      this.#state = 'freed';
      throw new StateError('safemark: this stream was lost when the module was reset after a failed call; start a new one');
    }
    return this.#inner;
  }

  /**
   * Adds a chunk. `{ tail: false }` skips rendering the tail (call `tail()` when needed). A
   * chunk that is refused (over the limit) changes nothing.
   */
  push(chunk, { tail = true } = {}) {
    const inner = this.#wasm();
    let text = this.#high + string(chunk, 'a chunk');
    // A chunk may end between the two halves of a surrogate pair: keep the first half (it
    // counts as 3 bytes toward the limit, the U+FFFD it becomes if the stream ends there).
    const last = text.charCodeAt(text.length - 1);
    const high = last >= 0xd800 && last <= 0xdbff ? text.slice(-1) : '';
    if (high) text = text.slice(0, -1);
    const [status, committed, rest] = call(() => inner.push(text, Boolean(tail), high ? 3 : 0));
    if (status) throw fromStatus(status);
    this.#high = high;
    this.#findings = null;
    return { committed, tail: rest, blocks: this.#block(committed) };
  }

  /** `html` as the next committed block (none when empty). */
  #block(html) {
    return html ? [{ id: this.#blocks++, html }] : [];
  }

  /** The provisional HTML for what is not committed yet. */
  tail() {
    const inner = this.#wasm();
    return call(() => inner.tail());
  }

  /**
   * The tail as an edit of the tail returned last (by `tail()`, `tailEdit()` or a push with
   * the tail; before the first, the empty string): `{ removed, text }`, the new tail being
   * `previous.slice(0, previous.length - removed) + text`. Costs what changed, where the
   * whole tail costs its length: an open code fence grows by the chunk and its end tags.
   */
  tailEdit() {
    const inner = this.#wasm();
    const [removed, text] = call(() => inner.tailEdit());
    return { removed: Number(removed), text };
  }

  /**
   * The findings for everything committed so far (after `finish()`: the same findings as
   * `inspect(wholeAnswer).findings`). Each has `range` (UTF-8 bytes) and `range_utf16` (what
   * JavaScript strings index).
   */
  get findings() {
    if (this.#findings) return this.#findings;
    const inner = this.#wasm();
    this.#findings = JSON.parse(call(() => inner.findingsJson()));
    return this.#findings;
  }

  /** Ends the stream: the rest of the HTML, all final. The stream is freed. */
  finish() {
    const inner = this.#wasm();
    // A held surrogate half ends the input as U+FFFD. Pushed, it may commit blocks (a block
    // that begins after a blank line commits the ones before it): they come first.
    let held = '';
    if (this.#high) {
      const [status, committed] = call(() => inner.push('\uFFFD', false, 0));
      if (status) throw fromStatus(status);
      held = committed;
      this.#high = '';
    }
    const [status, rest, findings] = call(() => inner.finish());
    if (status) throw fromStatus(status);
    this.#findings = JSON.parse(findings);
    this.#state = 'finished';
    call(() => inner.free());
    return held + rest;
  }

  /**
   * Like `finish()`, as blocks: the last committed block, if there is one (`[{ id, html }]`,
   * the id following the last `push`'s). The stream is freed.
   */
  finishBlocks() {
    return this.#block(this.finish());
  }

  /** Frees the stream's WebAssembly memory without finishing it. Idempotent. */
  free() {
    if (this.#state !== 'open') return;
    this.#state = 'freed';
    if (this.#generation === generation) call(() => this.#inner.free());
  }

  [Symbol.dispose]() {
    this.free();
  }
}

/** Elements a `renderStream` is rendering into. */
const rendering = new WeakSet();

/** Resolves at the next animation frame, or soon when there are none (a hidden document). */
function nextFrame(doc) {
  const win = doc.defaultView ?? globalThis;
  return new Promise((resolve) => {
    let done = false;
    const go = () => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    if (typeof win.requestAnimationFrame === 'function' && !doc.hidden) win.requestAnimationFrame(go);
    setTimeout(go, doc.hidden || typeof win.requestAnimationFrame !== 'function' ? 0 : 100);
  });
}

/**
 * Renders an async iterable of markdown chunks into `element`: committed HTML is inserted
 * once, where the tail element (`<div data-safemark-tail>`) stands, and the tail shows the
 * unfinished end, re-rendered at most once per animation frame (or soon after a chunk where
 * there are no frames). Resolves to the final HTML. One stream per element at a time; an
 * `AbortSignal` stops it (the stream is freed and the tail removed, what was committed stays).
 */
export async function renderStream(chunks, element, policy, { signal } = {}) {
  if (rendering.has(element)) {
    throw new StateError('safemark: a stream is already rendering into this element');
  }
  signal?.throwIfAborted();
  const iterator = chunks?.[Symbol.asyncIterator]?.() ?? chunks?.[Symbol.iterator]?.();
  if (!iterator) throw new TypeError('safemark: chunks must be an iterable or async iterable of strings');
  const stream = new MarkdownStream(policy);
  rendering.add(element);
  const doc = element.ownerDocument;
  const tailElement = doc.createElement('div');
  tailElement.setAttribute('data-safemark-tail', '');
  element.append(tailElement);
  let html = '';
  let pending = null;
  let live = true;
  const showTail = () => {
    pending = null;
    if (live) tailElement.innerHTML = trusted(stream.tail());
  };
  let onAbort;
  const aborted = signal && new Promise((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted?.catch(() => {});
  try {
    for (;;) {
      const step = await (aborted ? Promise.race([iterator.next(), aborted]) : iterator.next());
      if (step.done) break;
      const { committed } = stream.push(step.value, { tail: false });
      if (committed) {
        html += committed;
        tailElement.insertAdjacentHTML('beforebegin', trusted(committed));
      }
      pending ??= nextFrame(doc).then(showTail);
    }
    await (aborted ? Promise.race([pending, aborted]) : pending);
    live = false;
    const rest = stream.finish();
    html += rest;
    if (rest) tailElement.insertAdjacentHTML('beforebegin', trusted(rest));
    tailElement.remove();
    return html;
  } catch (e) {
    live = false;
    stream.free();
    tailElement.remove();
    try {
      await iterator.return?.();
    } catch {
      // The iterable's own cleanup failing does not hide why the stream stopped.
    }
    throw e;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    rendering.delete(element);
  }
}

// ---------------------------------------------------------------------------------------
// Click-time confirmation

const CONFIRM_ATTRIBUTE = 'data-safemark-href';
/** Only spans safemark writes: raw HTML cannot write this class or attribute. */
const CONFIRM_SPAN = `span.safemark-untrusted-link[${CONFIRM_ATTRIBUTE}]`;
/** Elements inside a span that act on their own. */
const INTERACTIVE = 'a[href],button,summary,details,input,select,textarea,label,[contenteditable]';
const guarded = new WeakMap();

/**
 * Click-time confirmation for untrusted links rendered under `{ links: { untrusted: "confirm" } }`:
 * such a link is an inert `<span class="safemark-untrusted-link" data-safemark-href="…">`. On
 * a click on the span itself (not on something interactive inside it) or Enter while it has
 * focus, `confirm` is shown the whole destination and its real host (as the URL parser
 * serializes it: punycode for an internationalized host), and only if it resolves truthy is
 * the destination opened in a new tab with `noopener,noreferrer`. Returns a function that
 * removes the guard; guarding a root that is already guarded returns the same function.
 *
 * `confirm(url, { host, text })` may return a boolean or a promise of one; the default is
 * `window.confirm`. `open(url)` replaces how the destination is opened.
 */
export function guardLinks(root, { confirm, open } = {}) {
  const existing = guarded.get(root);
  if (existing) return existing;
  const ask = confirm ?? ((url, { host }) =>
    globalThis.confirm(`Open this link in a new tab?\n\n${url}\n\nIt leads to ${host}.`));
  const go = open ?? ((url) => globalThis.open(url, '_blank', 'noopener,noreferrer'));
  const doc = root.ownerDocument ?? root;
  // Keyboard users reach the spans like links.
  const mark = () => {
    for (const el of root.querySelectorAll(`${CONFIRM_SPAN}:not([tabindex])`)) {
      el.setAttribute('role', 'link');
      el.setAttribute('tabindex', '0');
    }
  };
  const activate = async (event) => {
    if (event.type === 'keydown' && event.key !== 'Enter') return;
    const target = event.target;
    const el = target?.closest?.(CONFIRM_SPAN);
    if (!el || !root.contains(el)) return;
    if (event.type === 'keydown' && target !== el) return;
    const inner = target.closest(INTERACTIVE);
    if (inner && inner !== el && el.contains(inner)) return;
    event.preventDefault();
    let url;
    try {
      url = new URL(el.getAttribute(CONFIRM_ATTRIBUTE));
    } catch {
      return;
    }
    // safemark only writes these; anything else was not written by safemark.
    if (!['http:', 'https:', 'mailto:'].includes(url.protocol) || url.username || url.password) return;
    const host = url.protocol === 'mailto:' ? url.pathname : url.host;
    if (await ask(url.href, { host, text: el.textContent ?? '' })) go(url.href);
  };
  mark();
  const Observer = doc.defaultView?.MutationObserver ?? globalThis.MutationObserver;
  const observer = Observer ? new Observer(mark) : null;
  observer?.observe(root, { childList: true, subtree: true });
  root.addEventListener('click', activate);
  root.addEventListener('keydown', activate);
  const dispose = () => {
    if (guarded.get(root) !== dispose) return;
    guarded.delete(root);
    observer?.disconnect();
    root.removeEventListener('click', activate);
    root.removeEventListener('keydown', activate);
  };
  guarded.set(root, dispose);
  return dispose;
}
