#!/usr/bin/env node
// The `safemark/lite/nowasm` entry's module: the lite wasm (built without reference types, so
// wasm-bindgen's glue needs no `externref` table) compiled to JavaScript by binaryen's
// wasm2js, for pages whose Content-Security-Policy cannot grant 'wasm-unsafe-eval'.
//   node scripts/nowasm.mjs <dir with wasm-bindgen's web glue and the wasm-opt'd _bg.wasm> <out dir>
//
// Three edits, each checked to apply exactly once (wasm-bindgen and binaryen are pinned, so
// a new version that changes what is edited fails the build instead of shipping it wrong):
// - the wasm2js module exports `instantiate(imports)` instead of instantiating itself on
//   import, so the glue can make a fresh instance after a trap, as it does with WebAssembly;
// - when memory grows, wasm2js copies it into a new ArrayBuffer: the old one is detached, as
//   WebAssembly detaches it, because the glue re-reads memory only when its view is detached;
// - the glue instantiates that module, compiles nothing, and says so (`selfContained`, which
//   safemark.js reads so that `init` fetches nothing).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [from, to] = process.argv.slice(2);
const bin = new URL('../pkg-js/node_modules/.bin/', import.meta.url).pathname;
mkdirSync(to, { recursive: true });

function once(text, find, replace, what) {
  const n = text.split(find).length - 1;
  if (n !== 1) throw new Error(`nowasm: ${what}: expected once, found ${n} times`);
  return text.replace(find, () => replace);
}

const raw = join(to, 'safemark_wasm_bg.raw.js');
execFileSync(join(bin, 'wasm2js'), ['-Oz', join(from, 'safemark_wasm_bg.wasm'), '-o', raw], { stdio: 'inherit' });
let module = readFileSync(raw, 'utf8');
const at = module.indexOf('var retasmFunc = asmFunc(');
if (at < 0) throw new Error('nowasm: the wasm2js module does not instantiate itself as expected');
module = module.slice(0, at) + 'export function instantiate(imports) {\n  return { exports: asmFunc(imports) };\n}\n';
module = module.replace(/^import \* as \S+ from '\.\/safemark_wasm_bg\.js';\n/m, '');
if (/^import /m.test(module)) throw new Error('nowasm: the wasm2js module imports something else');
module = once(module, '   buffer = newBuffer;', '   detach(buffer);\n   buffer = newBuffer;', 'memory growth');
module = `function detach(buffer) {
  if (typeof buffer.transfer === 'function') buffer.transfer();
  else structuredClone(buffer, { transfer: [buffer] });
}
${module}`;
writeFileSync(raw, module);
execFileSync(join(bin, 'esbuild'), [raw, '--minify', '--format=esm', '--log-level=warning',
  `--outfile=${join(to, 'safemark_wasm_bg.js')}`], { stdio: 'inherit' });
rmSync(raw);

let glue = readFileSync(join(from, 'safemark_wasm.js'), 'utf8');
glue = once(glue, 'new WebAssembly.Instance(wasmModule, __wbg_get_imports())',
  'instantiate(__wbg_get_imports())', 'the reset after a trap');
glue = once(glue, `    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);`,
  '    const instance = instantiate(imports);', 'initSync');
if (/new WebAssembly\.(Instance|Module)/.test(glue.replace(/async function __wbg_load[\s\S]*?\n}\n/, ''))) {
  throw new Error('nowasm: the glue still compiles WebAssembly outside __wbg_load');
}
glue = `import { instantiate } from './safemark_wasm_bg.js';
/** This glue runs a JavaScript module (wasm2js), not WebAssembly: \`init\` compiles nothing. */
export const selfContained = true;
${glue}`;
writeFileSync(join(to, 'safemark_wasm.js'), glue);
