// safemark for browsers, bundlers, workers and edge runtimes: a thin layer over the
// wasm-bindgen glue in ./wasm/. Node's entry (./node.js) initializes itself; here call
// `await init()` once (it fetches the .wasm next to this file) or `initSync(bytes)`.

import initGlue, { initSync as initGlueSync, Sanitizer as WasmSanitizer } from './wasm/safemark_wasm.js';

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
    if (!ready) {
      throw new Error('safemark: call `await init()` (or `initSync(bytes)`) before rendering');
    }
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
