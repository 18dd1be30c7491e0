// Compiled by `tsc --strict --noEmit` in CI (scripts/test.sh): the declarations in
// src/safemark.d.ts must type every use of the API shown in the READMEs.
import {
  init, initSync, setTrustedTypesPolicyName, renderMarkdown, sanitizeHtml, Sanitizer,
  MarkdownStream, renderStream, guardLinks, judgeLink, judgeImage, SafemarkError, PolicyError, InputTooLargeError,
  StateError, WasmError, type Policy, type Finding, type FindingKind, type Inspection,
  type StreamUpdate, type TailEdit, type SafeHTML, type UrlVerdict,
} from '../src/safemark.js';
import { SafeMarkdown, SafeMarkdownStream, type SafeMarkdownStreamProps } from '../src/react.js';
import { createElement, type ReactElement } from 'react';

async function usage(bytes: Uint8Array, element: Element, signal: AbortSignal): Promise<void> {
  await init();
  await init(new URL('https://cdn.example/safemark_bg.wasm'));
  void init('/assets/safemark-lite.wasm'); // pkg-js/README.md, "Cold start": at the app's start, the preload's URL
  initSync(bytes);
  setTrustedTypesPolicyName('chat');
  const verdict: UrlVerdict = judgeLink('https://docs.example.com/a', 'the docs', { links: { allow: ['*'] } });
  const clickable: boolean = verdict.allowed && !verdict.deceptive;
  const reason: FindingKind | null = judgeImage('https://img.example.com/i.png').reason;
  const host: string | null = new Sanitizer().judgeLink('https://bücher.example/').host;
  void [clickable, reason, host];
  const policy: Policy = {
    links: { allow: ['https://docs.example.com/'], untrusted: 'confirm', base: 'https://example.com/' },
    images: { allow: ['https://img.example.com/'], proxy: 'https://proxy.example/img', data: false },
    raw_html: 'escape',
    math: true,
    id_prefix: 'm-',
    limits: { max_input_bytes: 1 << 20, max_nesting: 16 },
  };
  const html: string = renderMarkdown('# hi', policy) + sanitizeHtml('<b>x</b>', '{}');
  const s = new Sanitizer(policy);
  const inspection: Inspection = s.inspect(html);
  const kinds: FindingKind[] = inspection.findings.map((f: Finding) => f.kind);
  const first: number | undefined = inspection.findings[0]?.range_utf16?.start;
  const trusted: SafeHTML = s.renderMarkdownTrusted('x');
  const allow: string[] | undefined = s.policy.links.allow;
  s.free();
  s[Symbol.dispose]();
  const stream = new MarkdownStream(policy);
  const update: StreamUpdate = stream.push('chunk', { tail: false });
  const edit: TailEdit = stream.tailEdit();
  const edited: string = ''.slice(0, -edit.removed || undefined) + edit.text;
  const rest: string = edited + stream.tail() + stream.finish();
  stream.free();
  const streamed: string = await renderStream(['a', 'b'], element, policy, { signal });
  const unguard: () => void = guardLinks(element, { confirm: async (url, { host, text }) => url.length > host.length + text.length });
  unguard();
  try {
    renderMarkdown('x');
  } catch (e) {
    if (e instanceof PolicyError) console.log(e.key, e.name);
    else if (e instanceof InputTooLargeError) console.log(e.length, e.limit);
    else if (e instanceof StateError || e instanceof WasmError || e instanceof SafemarkError) console.log(e.message);
  }
  console.log(kinds, first, trusted, allow, update, rest, streamed);
}

export { usage };

// safemark/react, typed against @types/react.
function reactUsage(text: string, done: boolean): ReactElement[] {
  const props: SafeMarkdownStreamProps = {
    text,
    done,
    policy: { links: { untrusted: 'confirm' } },
    className: 'answer',
    onFindings: (findings: Finding[]) => void findings.length,
    confirmLink: async (url: string, { host }: { host: string; text: string }) => url.length > 0 && host !== '',
  };
  return [
    SafeMarkdownStream(props),
    SafeMarkdown({ children: text, policy: '{}' }),
    createElement(SafeMarkdownStream, props),
  ];
}
void reactUsage;
