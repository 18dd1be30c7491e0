// Shared by the node and Chromium benches: timing that leaves the event loop room between
// batches (jsdom keeps sanitized documents alive until control returns to it).

export const SIZES = ['2KB', '20KB', '200KB'];

/** Runs `fn(doc)` in batches for at least `ms` milliseconds; returns MB/s. */
export async function throughput(fn, doc, ms = 1500, yieldBetween = async () => {}) {
  const bytes = new TextEncoder().encode(doc).length;
  fn(doc); // warm up
  await yieldBetween();
  let spent = 0;
  let runs = 0;
  let batch = 1;
  while (spent < ms) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) fn(doc);
    const t = performance.now() - start;
    spent += t;
    runs += batch;
    if (t < 50) batch *= 2;
    await yieldBetween();
  }
  return (bytes * runs) / (spent / 1000) / 1e6;
}

export function table(runtime, rows) {
  const lines = [`| ${runtime} | ${SIZES.join(' MB/s | ')} MB/s | safemark is faster by (20KB) |`,
    `|---|${SIZES.map(() => '---:').join('|')}|---:|`];
  const ours = rows.find((r) => r.name.startsWith('safemark'));
  for (const r of rows) {
    const ratio = r === ours ? '' : `${(ours.mbps['20KB'] / r.mbps['20KB']).toFixed(1)}×`;
    lines.push(`| ${r.name} | ${SIZES.map((s) => r.mbps[s].toFixed(2)).join(' | ')} | ${ratio} |`);
  }
  return lines.join('\n');
}

