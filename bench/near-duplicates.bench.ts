// Benchmark of near-duplicate title detection on Flipkart: the 20,000 original names plus the third
// party's perturbed copy (same ids; names upper-cased, "Small" → "S"…). Recall: an altered copy lands
// in its original's cluster. Pair precision: pairs inside predicted clusters that are truly the same
// product (same id, or the same name up to case in the original). Run: npx tsx bench/near-duplicates.bench.ts
import { clusterPairs, findNearDuplicatePairs, type NearDuplicateOptions } from '../src/core/tagging/near-duplicates.ts';
import { readFlipkartProducts } from '../tests/unit/tagging/shared-titles.ts';

const original = readFlipkartProducts('original');
const perturbed = readFlipkartProducts('perturbed');
const N = original.length;
const titles = [...original.map((r) => r.name), ...perturbed.map((r) => r.name)];
const index = new Map(original.map((r, i) => [r.id, i]));

// Truth classes: an original and its copy share an id; originals with the same name (up to case) are one product.
const truth = new Int32Array(titles.length);
const byName = new Map<string, number>();
original.forEach((r, i) => {
  const key = r.name.toLowerCase().replace(/\s+/g, ' ').trim();
  if (!byName.has(key)) byName.set(key, i);
  truth[i] = byName.get(key)!;
});
perturbed.forEach((r, j) => (truth[N + j] = truth[index.get(r.id)!]));

const pairsOf = (n: number) => (n * (n - 1)) / 2;
let truthPairs = 0;
const truthSizes = new Map<number, number>();
for (const t of truth) truthSizes.set(t, (truthSizes.get(t) ?? 0) + 1);
for (const n of truthSizes.values()) truthPairs += pairsOf(n);

console.log(`Flipkart: ${N} originals + ${perturbed.length} perturbed copies; ${perturbed.filter((r) => original[index.get(r.id)!].name !== r.name).length} copies have an altered name`);
const settings: NearDuplicateOptions[] = [
  { threshold: 0.8, bands: 20, rows: 5, seed: 1 },
  { threshold: 0.7, bands: 20, rows: 5, seed: 1 },
  { threshold: 0.6, bands: 25, rows: 4, seed: 1 },
  { threshold: 0.5, bands: 32, rows: 4, seed: 1 },
];
for (const o of settings) {
  const t0 = performance.now();
  const { pairs, candidates } = findNearDuplicatePairs(titles, o);
  const clusters = clusterPairs(titles.length, pairs);
  const ms = performance.now() - t0;
  const clusterOf = new Int32Array(titles.length).fill(-1);
  clusters.forEach((c, k) => c.members.forEach((m) => (clusterOf[m] = k)));
  let changed = 0;
  let found = 0;
  perturbed.forEach((r, j) => {
    const i = index.get(r.id)!;
    if (original[i].name === r.name) return;
    changed++;
    if (clusterOf[i] >= 0 && clusterOf[i] === clusterOf[N + j]) found++;
  });
  // Pair counting over (cluster, truth class) cells.
  let predicted = 0;
  let correct = 0;
  for (const c of clusters) {
    predicted += pairsOf(c.members.length);
    const cell = new Map<number, number>();
    for (const m of c.members) cell.set(truth[m], (cell.get(truth[m]) ?? 0) + 1);
    for (const n of cell.values()) correct += pairsOf(n);
  }
  console.log(
    `threshold ${o.threshold} (${o.bands}×${o.rows}): ${(ms / 1000).toFixed(2)} s, ${candidates} candidates, ${pairs.length} verified pairs, ` +
      `${clusters.length} clusters (largest ${Math.max(...clusters.map((c) => c.members.length))}); ` +
      `altered-copy recall ${(found / changed).toFixed(4)}; pair precision ${(correct / predicted).toFixed(4)}, pair recall ${(correct / truthPairs).toFixed(4)}`,
  );
}
