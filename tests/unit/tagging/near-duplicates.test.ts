import { describe, expect, it } from 'vitest';
import {
  clusterPairs,
  computeJaccard,
  computeMinHashes,
  extractShingles,
  findNearDuplicatePairs,
  findNearDuplicates,
} from '../../../src/core/tagging/near-duplicates.ts';
import { hashString } from '../../../src/core/tagging/featurize.ts';
import { readFlipkartProducts } from './shared-titles.ts';

const idSet = (xs: string[]) => Uint32Array.from(new Set(xs.map((x) => hashString(x, 1)))).sort();

describe('shingles and Jaccard', () => {
  it('uses k=3 over CJK runs and k=4 over normalised Latin text', () => {
    expect(extractShingles('苹果手机 IPHONE')).toEqual(['c苹果手', 'c果手机', 'lipho', 'lphon', 'lhone']);
    expect(extractShingles('ＡＢＣＤＥ fg')).toEqual(['labcd', 'lbcde', 'lcde ', 'lde f', 'le fg']);
    expect(extractShingles('手机')).toEqual(['c手机']);
  });

  it('computes exact Jaccard on sorted id sets', () => {
    expect(computeJaccard(idSet(['a', 'b', 'c']), idSet(['b', 'c', 'd']))).toBe(0.5);
    expect(computeJaccard(idSet([]), idSet([]))).toBe(0);
  });

  it('MinHash agreement estimates Jaccard', () => {
    const a = idSet(Array.from({ length: 200 }, (_, i) => 'x' + i));
    const b = idSet(Array.from({ length: 200 }, (_, i) => 'x' + (i + 100))); // Jaccard 100/300
    const sig = computeMinHashes([a, b], 400, 9);
    let same = 0;
    for (let f = 0; f < 400; f++) if (sig[f] === sig[400 + f]) same++;
    expect(same / 400).toBeGreaterThan(0.25);
    expect(same / 400).toBeLessThan(0.42);
  });
});

describe('findNearDuplicates on planted titles', () => {
  const titles = [
    'Apple iPhone 13 128GB Midnight Black', // 0
    'Samsung Galaxy S21 Ultra 256GB Phantom Silver', // 1
    'APPLE IPHONE 13 128GB MIDNIGHT BLACK', // 2: case only → identical after normalisation
    '华为 Mate 40 Pro 8GB+256GB 亮黑色 5G手机', // 3
    'Apple iPhone 13 128GB Midnight Black (Renewed)', // 4: suffix added
    'Wooden Coffee Table', // 5: unrelated
    '华为 Mate 40 Pro 8GB+256GB 亮黑色 5G 手机 正品', // 6: spacing + suffix
    '', // 7: empty is never a duplicate
    'Samsung Galaxy S21 Ultra 256GB Phantom Silver', // 8: exact copy of 1
  ];

  it('clusters the planted groups and nothing else', () => {
    const clusters = findNearDuplicates(titles, { threshold: 0.7, bands: 20, rows: 5, seed: 1 });
    expect(clusters.map((c) => c.members)).toEqual([[0, 2, 4], [1, 8], [3, 6]]);
    expect(clusters[1].similarity).toBe(1);
    const s04 = computeJaccard(idSet(extractShingles(titles[0])), idSet(extractShingles(titles[4])));
    expect(s04).toBeGreaterThan(0.7);
    expect(clusters[0].similarity).toBeCloseTo(s04, 12);
  });

  it('is deterministic for a seed and only reports pairs at or above the threshold', () => {
    const a = findNearDuplicatePairs(titles, { threshold: 0.5, seed: 4 });
    const b = findNearDuplicatePairs(titles, { threshold: 0.5, seed: 4 });
    expect(a).toEqual(b);
    for (const p of a.pairs) expect(p.similarity).toBeGreaterThanOrEqual(0.5);
  });

  it('clusterPairs joins transitively and reports the weakest link', () => {
    expect(clusterPairs(6, [{ a: 0, b: 3, similarity: 0.9 }, { a: 3, b: 5, similarity: 0.75 }, { a: 1, b: 2, similarity: 1 }])).toEqual([
      { members: [0, 3, 5], similarity: 0.75 },
      { members: [1, 2], similarity: 1 },
    ]);
  });
});

describe('Flipkart: a product and its perturbed copy', () => {
  const original = readFlipkartProducts('original');
  const perturbed = readFlipkartProducts('perturbed');
  const index = new Map(original.map((r, i) => [r.id, i]));
  const titles = [...original.map((r) => r.name), ...perturbed.map((r) => r.name)];

  it('pairs changed titles with their original (observed recall 0.979 at threshold 0.7)', () => {
    expect(original.length).toBe(20000);
    expect(perturbed.length).toBe(19999);
    const clusters = findNearDuplicates(titles, { threshold: 0.7, bands: 20, rows: 5, seed: 1 });
    const clusterOf = new Int32Array(titles.length).fill(-1);
    clusters.forEach((c, k) => c.members.forEach((m) => (clusterOf[m] = k)));
    let changed = 0;
    let found = 0;
    perturbed.forEach((r, j) => {
      const i = index.get(r.id)!;
      if (original[i].name === r.name) return;
      changed++;
      if (clusterOf[i] >= 0 && clusterOf[i] === clusterOf[original.length + j]) found++;
    });
    expect(changed).toBe(3445);
    expect(found / changed).toBeGreaterThan(0.95);
  });

  it('LSH finds nearly every pair a brute-force scan finds (sample of 1,500 titles)', () => {
    const sample = titles.filter((_, i) => i % 26 === 0);
    const sets = sample.map((t) => Uint32Array.from(new Set(extractShingles(t).map((s) => hashString(s, 1)))).sort());
    const brute = new Set<string>();
    for (let a = 0; a < sample.length; a++) {
      for (let b = a + 1; b < sample.length; b++) if (sample[a].trim() && computeJaccard(sets[a], sets[b]) >= 0.7) brute.add(`${a}:${b}`);
    }
    const lsh = new Set<string>();
    for (const c of findNearDuplicates(sample, { threshold: 0.7, bands: 20, rows: 5, seed: 1 })) {
      for (let x = 0; x < c.members.length; x++) for (let y = x + 1; y < c.members.length; y++) lsh.add(`${c.members[x]}:${c.members[y]}`);
    }
    expect(brute.size).toBeGreaterThan(100);
    let hit = 0;
    for (const p of brute) if (lsh.has(p)) hit++;
    expect(hit / brute.size).toBeGreaterThan(0.95);
  });
});
