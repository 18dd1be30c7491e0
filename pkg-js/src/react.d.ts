// Types for `safemark/react` (React 18 and 19).
import type { ReactElement } from 'react';
import type { Finding, Policy } from './safemark.js';

/** What both components take besides the markdown. */
export interface SafeMarkdownOptions {
  /** The policy (same JSON as everywhere); compared by its JSON between renders. */
  policy?: Policy | string;
  /** Class of the `<div>` that holds the HTML. */
  className?: string;
  /** The findings: of each render (`SafeMarkdown`), of everything committed so far (`SafeMarkdownStream`). */
  onFindings?: (findings: Finding[]) => void;
  /**
   * Under `{ links: { untrusted: "confirm" } }`: the app's dialog for an untrusted link the
   * reader clicks; the link opens (new tab, `noopener,noreferrer`) only if it resolves true.
   * Default: `window.confirm` with the URL and its host.
   */
  confirmLink?: (url: string, info: { host: string; text: string }) => boolean | Promise<boolean>;
}

export interface SafeMarkdownProps extends SafeMarkdownOptions {
  /** The markdown of a finished answer. */
  children?: string;
}

/** A finished answer, rendered once per change of its markdown or policy. */
export function SafeMarkdown(props: SafeMarkdownProps): ReactElement;

export interface SafeMarkdownStreamProps extends SafeMarkdownOptions {
  /** The answer so far: each render pushes what was appended since the last one. */
  text: string;
  /** The answer is complete: the rest is committed and the tail removed. */
  done?: boolean;
}

/**
 * An answer while it arrives: committed blocks are inserted once and never rendered again;
 * only the tail follows `text`. Server rendering gives the HTML of the first client render.
 */
export function SafeMarkdownStream(props: SafeMarkdownStreamProps): ReactElement;
