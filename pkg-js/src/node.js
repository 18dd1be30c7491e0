// safemark for node: reads the WebAssembly module from disk and initializes synchronously,
// so every function is usable right after `import`.

import { readFileSync } from 'node:fs';
import { initSync } from './safemark.js';

initSync(readFileSync(new URL('./wasm/safemark_wasm_bg.wasm', import.meta.url)));

export * from './safemark.js';
