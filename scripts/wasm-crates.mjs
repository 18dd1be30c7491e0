#!/usr/bin/env node
// Where a wasm's bytes go, summed by crate: twiggy's per-item sizes (run it on the wasm before
// wasm-opt, which keeps function names), grouped by the crate each function's path starts with;
// the data segments are one row. For pkg-js/README.md's size table.
//   cargo install twiggy
//   node scripts/wasm-crates.mjs target/build-std/wasm32-unknown-unknown/wasm/safemark_wasm.wasm [rows]
import { execFileSync } from 'node:child_process';

const [file, rows = 16] = process.argv.slice(2);
const csv = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
const sums = new Map();
for (const line of csv.trim().split('\n').slice(1)) {
  // Name is quoted (with "" inside); the shallow size follows it.
  const m = line.match(/^"((?:[^"]|"")*)",(\d+),/) ?? line.match(/^([^,]*),(\d+),/);
  if (!m) continue;
  const name = m[1].replace(/""/g, '"');
  if (name.includes('function names') || name.startsWith('custom section')) continue;
  let key;
  if (name.startsWith('data segment')) key = 'data (.rodata, .data)';
  else {
    const crate = name.replace(/^<|^(impl|dyn) /g, '').match(/^[A-Za-z_0-9]+/)?.[0] ?? 'other';
    key = ['type', 'code', 'elem', 'table', 'import', 'export', 'global', 'memory'].includes(crate) ? 'wasm structure' : crate;
  }
  sums.set(key, (sums.get(key) ?? 0) + Number(m[2]));
}
const total = [...sums.values()].reduce((a, b) => a + b, 0);
console.log(`${file}: ${total} bytes without names`);
for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
  console.log(`  ${k.padEnd(28)} ${(v / 1000).toFixed(1).padStart(8)} KB`);
}
