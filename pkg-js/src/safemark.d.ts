// Types for the safemark npm package. The policy and findings are the same JSON as the Rust
// crate and the CLI (see the README's policy reference).

/**
 * A trusted URL prefix: "*" (every http/https URL), a scheme and a colon such as "mailto:",
 * "tel:" or "vscode:" (links only; never javascript:, vbscript:, data:, file:, blob:,
 * filesystem:), or an absolute http(s) URL such as "https://docs.example.com/".
 */
export type UrlPrefix = string;

export interface Policy {
  links?: {
    /** Clickable destinations. Default: none. */
    allow?: UrlPrefix[];
    /** Relative links are resolved against this absolute http(s) URL. Default: none. */
    base?: string;
    /**
     * How an untrusted link is shown (never clickable). Default: "host". "confirm": as "host",
     * and `guardLinks` opens it after the reader confirms.
     */
    untrusted?: 'host' | 'url' | 'text' | 'confirm';
  };
  images?: {
    /** Image sources that may load. Default: none. */
    allow?: UrlPrefix[];
    /** The app's image proxy: allowed images load as PROXY?url=<encoded URL>. */
    proxy?: string;
    /** Allow raster data: images (png, gif, jpeg, webp). Default: false. */
    data?: boolean;
  };
  /** Raw HTML in markdown. Default: "sanitize". */
  raw_html?: 'sanitize' | 'escape';
  /** Prefix of every id and fragment. Default: "user-content-". */
  id_prefix?: string;
  /** TeX math for the app's KaTeX: `$…$` / `$$…$$` as escaped TeX in `span.math`. Default: false. */
  math?: boolean;
  limits?: {
    /** Default: 1048576. Values over 4294967295 (what WebAssembly can address) read as that. */
    max_input_bytes?: number;
    /** Default: 32. Values over 128 mean 128 (markdown output nests at most 512 elements deep). */
    max_nesting?: number;
  };
}

export type FindingKind =
  | 'script'
  | 'event_handler'
  | 'unsafe_scheme'
  | 'blocked_image'
  | 'untrusted_link'
  | 'deceptive_link'
  | 'control_character'
  | 'removed_element'
  | 'removed_attribute'
  | 'comment'
  | 'invisible_characters'
  | 'invalid_url'
  | 'nesting_limit';

/** One removal or neutralization: log these, each may be a prompt-injection attempt. */
export interface Finding {
  kind: FindingKind;
  element?: string;
  attribute?: string;
  url?: string;
  host?: string;
  /** Byte range in the UTF-8 input (markdown constructs). */
  range?: { start: number; end: number };
  /** The same range in UTF-16 code units: what `input.slice(start, end)` takes. */
  range_utf16?: { start: number; end: number };
  detail?: string;
}

/**
 * What a render under the policy does with one link or image destination
 * (`judgeLink`, `judgeImage`): the same verdict, as data, for the app's own link dialog.
 */
export interface UrlVerdict {
  /** Clickable link (`a href`) or loading image (`img src`). */
  allowed: boolean;
  /** What the render writes into `href`/`src` when allowed (normalized, proxied, or `#user-content-…`). */
  value: string | null;
  /**
   * The destination as parsed, when allowed or merely untrusted: what a confirmation dialog
   * may show and open. Never set for `javascript:` and the like, invalid URLs or URLs with
   * invisible characters.
   */
  url: string | null;
  /** The host as a reader is shown it: punycode for internationalized hosts, with its port. */
  host: string | null;
  /** Why it is refused: the kind of finding a render reports (`null` when allowed). */
  reason: FindingKind | null;
  /** Given the link's text: it names another host than the destination's (the render shows the real host beside it). */
  deceptive: boolean;
}

export interface Inspection {
  html: string;
  findings: Finding[];
}

/** TrustedHTML where the page has Trusted Types, a string elsewhere. */
export type SafeHTML = string | TrustedHTML;

/** Base class of every error safemark throws (a wrong argument type is a `TypeError`). */
export class SafemarkError extends Error {
  name: 'SafemarkError' | 'PolicyError' | 'InputTooLargeError' | 'StateError' | 'WasmError';
}
/** The policy does not parse or names something invalid. */
export class PolicyError extends SafemarkError {
  name: 'PolicyError';
  /** Path of the key at fault, such as `links.allow[0]` (empty: the JSON itself). */
  readonly key: string;
}
/** The input is over `limits.max_input_bytes`. */
export class InputTooLargeError extends SafemarkError {
  name: 'InputTooLargeError';
  /** Length of the input in UTF-8 bytes. */
  readonly length: number;
  /** The limit in force. */
  readonly limit: number;
}
/** A call that cannot be made now: before `init()`, on a finished or freed object, on a stream lost to a reset. */
export class StateError extends SafemarkError {
  name: 'StateError';
}
/** A WebAssembly call was unwound (a trap, stack exhaustion); the module was reset and later calls work. */
export class WasmError extends SafemarkError {
  name: 'WasmError';
}

/**
 * Loads the WebAssembly module (browsers: fetched next to the module). No-op in node.
 * Idempotent: every call, and `initSync`, in any order, share one instance.
 */
export function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Loads the WebAssembly module synchronously (workers, edge runtimes). */
export function initSync(module: BufferSource | WebAssembly.Module): void;
/**
 * Names the Trusted Types policy safemark creates for the `*Trusted` renders (default
 * `"safemark"`; list it in your CSP's `trusted-types` directive). Call before the first one.
 */
export function setTrustedTypesPolicyName(name: string): void;

/** Markdown to safe HTML. Throws `PolicyError` or `InputTooLargeError`. */
export function renderMarkdown(markdown: string, policy?: Policy | string): string;
/** HTML to safe HTML. Throws `PolicyError` or `InputTooLargeError`. */
export function sanitizeHtml(html: string, policy?: Policy | string): string;

/** One link destination judged as a render under `policy` judges it (compiled policy cached). */
export function judgeLink(url: string, text?: string, policy?: Policy | string): UrlVerdict;
/** One image source judged as a render under `policy` judges it. */
export function judgeImage(url: string, policy?: Policy | string): UrlVerdict;

/** A policy compiled once and reused. */
export class Sanitizer {
  /** Throws `PolicyError` naming the key when the policy is invalid. */
  constructor(policy?: Policy | string);
  renderMarkdown(markdown: string): string;
  sanitizeHtml(html: string): string;
  inspect(markdown: string): Inspection;
  /** One link destination judged as a render judges it; `text` is the link's visible text. */
  judgeLink(url: string, text?: string): UrlVerdict;
  /** One image source judged as a render judges it. */
  judgeImage(url: string): UrlVerdict;
  inspectHtml(html: string): Inspection;
  renderMarkdownTrusted(markdown: string): SafeHTML;
  sanitizeHtmlTrusted(html: string): SafeHTML;
  /** The policy in force, with every default filled in. */
  readonly policy: Required<Policy>;
  /** Frees the WebAssembly memory now; later calls throw `StateError`. Idempotent. */
  free(): void;
  [Symbol.dispose](): void;
}

/** How the tail changed: `removed` UTF-16 code units go from its end, then `text` follows. */
export interface TailEdit {
  removed: number;
  text: string;
}

/** What a push produced: final HTML to append once, and the provisional tail. */
export interface StreamUpdate {
  committed: string;
  tail: string;
  /**
   * The committed HTML as a block with a stable id (`[]` when nothing was committed): keep
   * blocks in order, keyed by `id`, and render only the tail again (Vue, Svelte, React).
   */
  blocks: Block[];
}

/** Committed HTML that never changes: ids count up from 0 in one stream. */
export interface Block {
  id: number;
  html: string;
}

/** Markdown rendered as it streams in; everything committed equals the batch render. */
export class MarkdownStream {
  /** Throws `PolicyError` naming the key when the policy is invalid. */
  constructor(policy?: Policy | string);
  /** Throws `InputTooLargeError` (changing nothing) when the input would exceed the limit. */
  push(chunk: string, options?: { tail?: boolean }): StreamUpdate;
  tail(): string;
  /**
   * The tail as an edit of the tail returned last (by `tail()`, `tailEdit()` or a push with
   * the tail; before the first, `''`): the new tail is
   * `previous.slice(0, previous.length - removed) + text`.
   */
  tailEdit(): TailEdit;
  /** The last committed HTML; the stream is freed. */
  finish(): string;
  /** `finish()` as blocks: the last block, if any (its id follows the last push's). */
  finishBlocks(): Block[];
  /** Findings for everything committed so far; after `finish()`, those of the whole answer. */
  readonly findings: Finding[];
  /** Frees the stream without finishing it; later calls throw `StateError`. Idempotent. */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * Renders markdown chunks into `element` as they arrive: committed HTML inserted once where
 * the `<div data-safemark-tail>` for the unfinished end stands. Resolves to the final HTML.
 * One stream per element at a time (`StateError`); `signal` stops it (rejects with its reason).
 */
export function renderStream(
  chunks: AsyncIterable<string> | Iterable<string>,
  element: Element,
  policy?: Policy | string,
  options?: { signal?: AbortSignal },
): Promise<string>;

/**
 * Click-time confirmation for untrusted links rendered under
 * `{ links: { untrusted: "confirm" } }`: on a click on such a span (not on something
 * interactive inside it) or Enter while it has focus, `confirm` sees the whole destination and
 * its real host (punycode for internationalized hosts); the link opens in a new tab with
 * `noopener,noreferrer` only if it resolves true. Returns a function that removes the guard;
 * guarding a root again returns the same function.
 */
export function guardLinks(
  root: Element,
  options?: {
    confirm?: (url: string, info: { host: string; text: string }) => boolean | Promise<boolean>;
    open?: (url: string) => void;
  },
): () => void;

declare global {
  // Present in browsers with Trusted Types; declared here so the types compile without the DOM lib.
  interface TrustedHTML {}
  interface Element {}
  interface AbortSignal {}
}
