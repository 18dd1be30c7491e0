// Types for the safemark npm package. The policy and findings are the same JSON as the Rust
// crate and the CLI (see the README's policy reference).

/** A trusted URL prefix: "*", "mailto:", or an absolute http(s) URL such as "https://docs.example.com/". */
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
  limits?: {
    /** Default: 1048576. */
    max_input_bytes?: number;
    /** Default: 32. */
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
  detail?: string;
}

export interface Inspection {
  html: string;
  findings: Finding[];
}

/** TrustedHTML where the page has Trusted Types, a string elsewhere. */
export type SafeHTML = string | TrustedHTML;

/** Loads the WebAssembly module (browsers: fetched next to the module). No-op in node. */
export function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Loads the WebAssembly module synchronously (workers, edge runtimes). */
export function initSync(module: BufferSource | WebAssembly.Module): void;

/** Markdown to safe HTML. Throws `Error` on a bad policy or input over the limit. */
export function renderMarkdown(markdown: string, policy?: Policy | string): string;
/** HTML to safe HTML. Throws `Error` on a bad policy or input over the limit. */
export function sanitizeHtml(html: string, policy?: Policy | string): string;

/** A policy compiled once and reused. */
export class Sanitizer {
  /** Throws `Error` naming the key when the policy is invalid. */
  constructor(policy?: Policy | string);
  renderMarkdown(markdown: string): string;
  sanitizeHtml(html: string): string;
  inspect(markdown: string): Inspection;
  inspectHtml(html: string): Inspection;
  renderMarkdownTrusted(markdown: string): SafeHTML;
  sanitizeHtmlTrusted(html: string): SafeHTML;
  /** The policy in force, with every default filled in. */
  readonly policy: Required<Policy>;
  free(): void;
}

/** What a push produced: final HTML to append once, and the provisional tail. */
export interface StreamUpdate {
  committed: string;
  tail: string;
}

/** Markdown rendered as it streams in; everything committed equals the batch render. */
export class MarkdownStream {
  /** Throws `Error` naming the key when the policy is invalid. */
  constructor(policy?: Policy | string);
  /** Throws when the input would exceed `limits.max_input_bytes`. */
  push(chunk: string, options?: { tail?: boolean }): StreamUpdate;
  tail(): string;
  /** The last committed HTML; the stream is freed. */
  finish(): string;
  /** Findings for everything committed so far; after `finish()`, those of the whole answer. */
  readonly findings: Finding[];
}

/**
 * Renders markdown chunks into `element` as they arrive: committed HTML appended once, a
 * `<div data-safemark-tail>` for the unfinished end. Resolves to the final HTML.
 */
export function renderStream(
  chunks: AsyncIterable<string> | Iterable<string>,
  element: Element,
  policy?: Policy | string,
): Promise<string>;

/**
 * Click-time confirmation for untrusted links rendered under
 * `{ links: { untrusted: "confirm" } }`: on click or Enter, `confirm` sees the whole
 * destination and its real host (punycode for internationalized hosts); the link opens in a
 * new tab with `noopener,noreferrer` only if it resolves true. Returns a function that removes
 * the guard.
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
}
