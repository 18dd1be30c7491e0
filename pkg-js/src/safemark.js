// safemark for browsers, bundlers, workers and edge runtimes: a thin layer over the
// wasm-bindgen glue in ./wasm/. Node's entry (./node.js) initializes itself; here call
// `await init()` once (it fetches the .wasm next to this file) or `initSync(bytes)`.

import initGlue, {
  initSync as initGlueSync,
  Sanitizer as WasmSanitizer,
  MarkdownStream as WasmMarkdownStream,
} from './wasm/safemark_wasm.js';

let ready = false;

/** Loads the WebAssembly module. `input`: a URL, Response, bytes or WebAssembly.Module. */
export async function init(input) {
  if (ready) return;
  const module_or_path = input ?? new URL('./wasm/safemark_wasm_bg.wasm', import.meta.url);
  await initGlue({ module_or_path });
  ready = true;
}

/** Loads the WebAssembly module synchronously from bytes or a WebAssembly.Module. */
export function initSync(module) {
  if (ready) return;
  initGlueSync({ module });
  ready = true;
}

function requireReady() {
  if (!ready) {
    throw new Error('safemark: call `await init()` (or `initSync(bytes)`) before rendering');
  }
}

function policyJson(policy) {
  if (policy === undefined || policy === null) return undefined;
  if (typeof policy === 'string') return policy;
  return JSON.stringify(policy);
}

let trustedTypesPolicy;
function trusted(html) {
  const tt = globalThis.trustedTypes;
  if (!tt || typeof tt.createPolicy !== 'function') return html;
  // Only ever given safemark's own output: this policy is private to the module.
  trustedTypesPolicy ??= tt.createPolicy('safemark', { createHTML: (s) => s });
  return trustedTypesPolicy.createHTML(html);
}

/** A policy compiled once and reused. */
export class Sanitizer {
  #inner;

  constructor(policy) {
    requireReady();
    this.#inner = new WasmSanitizer(policyJson(policy));
  }

  /** Markdown to safe HTML. */
  renderMarkdown(markdown) {
    return this.#inner.renderMarkdown(String(markdown));
  }

  /** HTML to safe HTML. */
  sanitizeHtml(html) {
    return this.#inner.sanitizeHtml(String(html));
  }

  /** Markdown to `{ html, findings }`. */
  inspect(markdown) {
    return JSON.parse(this.#inner.inspectMarkdown(String(markdown)));
  }

  /** HTML to `{ html, findings }`. */
  inspectHtml(html) {
    return JSON.parse(this.#inner.inspectHtml(String(html)));
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
    return JSON.parse(this.#inner.policyJson());
  }

  /** Frees the WebAssembly memory now instead of at garbage collection. */
  free() {
    this.#inner.free();
  }
}

const compiled = new Map();

function sanitizerFor(policy) {
  const key = policyJson(policy) ?? '';
  let sanitizer = compiled.get(key);
  if (!sanitizer) {
    if (compiled.size >= 16) {
      const [oldest, old] = compiled.entries().next().value;
      compiled.delete(oldest);
      old.free();
    }
    sanitizer = new Sanitizer(policy);
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

/**
 * Markdown rendered as it streams in. `push(chunk)` returns `{ committed, tail }`: append
 * `committed` once (it never changes), replace the previous tail with `tail` (provisional,
 * healed, no URL shown before it is complete). `finish()` returns the last committed HTML.
 * Everything committed equals `renderMarkdown(wholeAnswer, policy)`.
 */
export class MarkdownStream {
  #inner;

  constructor(policy) {
    requireReady();
    this.#inner = new WasmMarkdownStream(policyJson(policy));
  }

  #high = '';

  /** Adds a chunk. `{ tail: false }` skips rendering the tail (call `tail()` when needed). */
  push(chunk, { tail = true } = {}) {
    // A chunk may end between the two halves of a surrogate pair: keep the first half.
    let text = this.#high + String(chunk);
    const last = text.charCodeAt(text.length - 1);
    this.#high = last >= 0xd800 && last <= 0xdbff ? text.slice(-1) : '';
    if (this.#high) text = text.slice(0, -1);
    const [committed, rest] = this.#inner.push(text, tail);
    return { committed, tail: rest };
  }

  /** The provisional HTML for what is not committed yet. */
  tail() {
    return this.#inner.tail();
  }

  #findings = null;

  /**
   * The findings for everything committed so far (after `finish()`: the same findings as
   * `inspect(wholeAnswer).findings`).
   */
  get findings() {
    return this.#findings ?? JSON.parse(this.#inner.findingsJson());
  }

  /** Ends the stream: the rest of the HTML, all final. The stream is freed. */
  finish() {
    if (this.#high) this.#inner.push(this.#high, false);
    const rest = this.#inner.finish();
    this.#findings = JSON.parse(this.#inner.findingsJson());
    this.#inner.free();
    return rest;
  }
}

/**
 * Renders an async iterable of markdown chunks into `element`: committed HTML is appended once
 * and a tail element (`<div data-safemark-tail>`) shows the unfinished end, re-rendered at most
 * once per animation frame (or per chunk where there are no frames). Resolves to the final HTML.
 */
export async function renderStream(chunks, element, policy) {
  const stream = new MarkdownStream(policy);
  const doc = element.ownerDocument;
  const tailElement = doc.createElement('div');
  tailElement.setAttribute('data-safemark-tail', '');
  element.append(tailElement);
  const frame = globalThis.requestAnimationFrame
    ? () => new Promise((resolve) => globalThis.requestAnimationFrame(resolve))
    : null;
  let html = '';
  let pending = null;
  const showTail = () => {
    pending = null;
    tailElement.innerHTML = trusted(stream.tail());
  };
  try {
    for await (const chunk of chunks) {
      const { committed } = stream.push(chunk, { tail: false });
      if (committed) {
        html += committed;
        tailElement.insertAdjacentHTML('beforebegin', trusted(committed));
      }
      if (!frame) showTail();
      else pending ??= frame().then(showTail);
    }
    await pending;
    const rest = stream.finish();
    html += rest;
    tailElement.remove();
    if (rest) element.insertAdjacentHTML('beforeend', trusted(rest));
  } catch (e) {
    tailElement.remove();
    throw e;
  }
  return html;
}

const CONFIRM_ATTRIBUTE = 'data-safemark-href';

/**
 * Click-time confirmation for untrusted links rendered under `{ links: { untrusted: "confirm" } }`:
 * such a link is an inert `<span data-safemark-href="…">`. On click (or Enter), `confirm` is
 * shown the whole destination and its real host (as the URL parser serializes it: punycode
 * for an internationalized host), and only if it resolves truthy is the destination opened in
 * a new tab with `noopener,noreferrer`. Returns a function that removes the guard.
 *
 * `confirm(url, { host, text })` may return a boolean or a promise of one; the default is
 * `window.confirm`. `open(url)` replaces how the destination is opened.
 */
export function guardLinks(root, { confirm, open } = {}) {
  const ask = confirm ?? ((url, { host }) =>
    globalThis.confirm(`Open this link in a new tab?\n\n${url}\n\nIt leads to ${host}.`));
  const go = open ?? ((url) => globalThis.open(url, '_blank', 'noopener,noreferrer'));
  const doc = root.ownerDocument ?? root;
  // Keyboard users reach the spans like links.
  const mark = () => {
    for (const el of root.querySelectorAll(`[${CONFIRM_ATTRIBUTE}]:not([tabindex])`)) {
      el.setAttribute('role', 'link');
      el.setAttribute('tabindex', '0');
    }
  };
  const activate = async (event) => {
    if (event.type === 'keydown' && event.key !== 'Enter') return;
    const el = event.target?.closest?.(`[${CONFIRM_ATTRIBUTE}]`);
    if (!el || !root.contains(el)) return;
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
  return () => {
    observer?.disconnect();
    root.removeEventListener('click', activate);
    root.removeEventListener('keydown', activate);
  };
}
