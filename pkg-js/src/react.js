// safemark for React 18 and 19 (`safemark/react`): two components over the same core as the
// rest of the package, written without JSX so that the package needs no build step.
//
// - `<SafeMarkdown>` renders a finished answer.
// - `<SafeMarkdownStream text done>` renders an answer while it grows. Committed blocks are
//   inserted into the DOM once, where the tail element stands, and never touched again: React
//   renders one `<div>` whose `dangerouslySetInnerHTML` never changes after the first render,
//   so it never reconciles the content; each new `text` only pushes what was appended to a
//   `MarkdownStream` and replaces the tail element's HTML.
//
// Both render the same HTML on the server (`renderToString`) as in the browser's first render,
// so hydration adopts the server's nodes. Where the page enforces Trusted Types, HTML goes to
// React and the DOM as `TrustedHTML` of this module's own policy, `safemark-react`. Under
// `{ links: { untrusted: "confirm" } }` untrusted links open only through `confirmLink` (the
// app's dialog), wired with `guardLinks`.

import { createElement, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { MarkdownStream, Sanitizer, guardLinks } from './safemark.js';

/**
 * The components' Trusted Types policy, `safemark-react` (allow it beside `safemark` in the
 * CSP's `trusted-types` directive). Private to this module and only ever given safemark's own
 * output, or that output around the tail element this module writes; where the page has no
 * Trusted Types (or on the server) HTML stays a string.
 */
let trustedTypesPolicy;
function trusted(html) {
  const tt = globalThis.trustedTypes;
  if (!tt || typeof tt.createPolicy !== 'function') return html;
  trustedTypesPolicy ??= tt.createPolicy('safemark-react', { createHTML: (s) => s });
  return trustedTypesPolicy.createHTML(html);
}

/** Layout effects where there is a DOM; on the server neither kind runs. */
const useDomEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** A policy's identity across renders: its JSON. */
function policyKey(policy) {
  return typeof policy === 'string' ? policy : JSON.stringify(policy ?? null);
}

/** The latest value of a prop, for callbacks that effects call later. */
function useLatest(value) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

/**
 * Click-time confirmation of untrusted links inside `ref`, through the latest `confirmLink`
 * (guarded again only when one is given or taken away; without one, guardLinks' default).
 */
function useGuard(ref, confirmLink) {
  const latest = useLatest(confirmLink);
  const given = typeof confirmLink === 'function';
  useEffect(() => {
    if (!ref.current) return undefined;
    const confirm = given ? (url, info) => latest.current(url, info) : undefined;
    return guardLinks(ref.current, { confirm });
  }, [ref, latest, given]);
}

/**
 * A finished answer: `<SafeMarkdown policy={…}>{markdown}</SafeMarkdown>`. `onFindings` is
 * called with the findings of each new render.
 */
export function SafeMarkdown({ children = '', policy, className, onFindings, confirmLink }) {
  const key = policyKey(policy);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the policy's identity is its JSON
  const sanitizer = useMemo(() => new Sanitizer(policy), [key]);
  const markdown = String(children);
  const { html, findings } = useMemo(() => sanitizer.inspect(markdown), [sanitizer, markdown]);
  // One object per HTML: React compares `__html` by identity, and a TrustedHTML is an object.
  const content = useMemo(() => ({ __html: trusted(html) }), [html]);
  const ref = useRef(null);
  const report = useLatest(onFindings);
  useEffect(() => {
    report.current?.(findings);
  }, [findings, report]);
  useGuard(ref, confirmLink);
  return createElement('div', { ref, className, dangerouslySetInnerHTML: content });
}

const TAIL = 'data-safemark-tail';

/** What a stream shows for `text`: committed HTML, then the tail in its element. */
function firstHtml(policy, text, done) {
  const stream = new MarkdownStream(policy);
  const { committed, tail } = stream.push(text);
  if (done) return committed + stream.finish();
  stream.free();
  return `${committed}<div ${TAIL}="">${tail}</div>`;
}

/**
 * An answer while it arrives: `<SafeMarkdownStream text={soFar} done={finished} />`. `text`
 * grows (each render pushes only what was appended); a `text` that does not extend the last
 * one, or another policy, starts over. `onFindings` is called with the findings of everything
 * committed so far, after each commit and when `done`.
 */
export function SafeMarkdownStream({ text = '', done = false, policy, className, onFindings, confirmLink }) {
  const key = policyKey(policy);
  const markdown = String(text);
  const ref = useRef(null);
  // The first render's HTML, kept: React never sets the content again, so it never touches
  // the nodes the stream inserts.
  const first = useRef(null);
  if (first.current === null) {
    const html = firstHtml(policy, markdown, done);
    // Kept as one object: React compares `__html` by identity, and a TrustedHTML is an object.
    first.current = { content: { __html: trusted(html) }, text: markdown, done, key, dirty: false };
  }
  const live = useRef(null);
  const report = useLatest(onFindings);
  useDomEffect(() => {
    const element = ref.current;
    let state = live.current;
    const f = first.current;
    if (!state && !f.dirty && f.key === key && markdown.startsWith(f.text) && (!f.done || done)) {
      // Adopt what the first render (or the server) wrote.
      const stream = new MarkdownStream(policy);
      stream.push(f.text, { tail: false });
      if (f.done) {
        stream.finish();
        report.current?.(stream.findings);
      }
      state = { stream: f.done ? null : stream, text: f.text, key, tail: element.querySelector(`:scope > [${TAIL}]`) };
    } else if (!state || state.key !== key || !markdown.startsWith(state.text) || (!state.stream && markdown !== state.text)) {
      // Another answer: start over.
      state?.stream?.free();
      element.textContent = '';
      const tail = element.ownerDocument.createElement('div');
      tail.setAttribute(TAIL, '');
      element.append(tail);
      state = { stream: new MarkdownStream(policy), text: '', key, tail };
    }
    live.current = state;
    const insert = (html) => {
      if (!html) return;
      f.dirty = true;
      state.tail.insertAdjacentHTML('beforebegin', trusted(html));
    };
    if (state.stream && markdown.length > state.text.length) {
      const { committed, tail } = state.stream.push(markdown.slice(state.text.length), { tail: !done });
      state.text = markdown;
      insert(committed);
      if (!done) {
        f.dirty = true;
        state.tail.innerHTML = trusted(tail);
      }
      if (committed) report.current?.(state.stream.findings);
    }
    if (state.stream && done) {
      insert(state.stream.finish());
      report.current?.(state.stream.findings);
      state.stream = null;
      state.tail?.remove();
      state.tail = null;
      f.dirty = true;
    }
  }, [markdown, done, key]);
  // Unmounting frees the stream; mounting again (StrictMode) starts over.
  useEffect(() => () => {
    live.current?.stream?.free();
    live.current = null;
    if (first.current) first.current.dirty = true;
  }, []);
  useGuard(ref, confirmLink);
  return createElement('div', { ref, className, dangerouslySetInnerHTML: first.current.content });
}
