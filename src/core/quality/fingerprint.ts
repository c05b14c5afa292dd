// OpenRefine-style key collision for text values: fingerprint and character n-gram fingerprint keys,
// and clustering of value counts whose keys collide (case, punctuation, spacing, token order,
// full-width vs half-width, Latin accents).
import type { ValueCount } from '../types.ts';
import type { ValueCluster } from './types.ts';

const PUNCT_OR_CONTROL = /[\p{P}\p{S}\p{Cc}\p{Cf}]/gu;
// Only marks on Latin letters are dropped: on kana or Indic scripts a mark changes the letter.
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;

/** NFKC (full-width → half-width, compatibility forms), lower case, accents off Latin letters. */
function normalizeText(value: string): string {
  return value.normalize('NFKC').toLowerCase().normalize('NFD').replace(LATIN_MARKS, '$1').normalize('NFC');
}

/**
 * OpenRefine's fingerprint key: normalise, drop punctuation and control characters, split on
 * whitespace, dedupe and sort the tokens, join with one space. "Apple, Inc." and "inc apple" collide.
 */
export function fingerprint(value: string): string {
  const tokens = normalizeText(value).replace(PUNCT_OR_CONTROL, '').trim().split(/\s+/u).filter(Boolean);
  return [...new Set(tokens)].sort().join(' ');
}

/**
 * OpenRefine's n-gram fingerprint: normalise, drop punctuation and all whitespace, take the sorted
 * distinct character n-grams and join them. "Sam Sung" and "samsung" collide; so do some
 * unrelated short strings, which is why clusters are proposals for a person to accept.
 */
export function ngramFingerprint(value: string, n = 2): string {
  const chars = Array.from(normalizeText(value).replace(PUNCT_OR_CONTROL, '').replace(/\s+/gu, ''));
  if (chars.length <= n) return chars.join('');
  const grams = new Set<string>();
  for (let i = 0; i + n <= chars.length; i++) grams.add(chars.slice(i, i + n).join(''));
  return [...grams].sort().join('');
}

export type ClusterMethod = 'fingerprint' | 'ngram';

/**
 * Groups distinct values whose keys collide under any of `methods` (transitively), keeping clusters of
 * two or more variants. Variants are sorted by count (then value) so the first is the merge target;
 * clusters by rows, largest first. Empty keys (values of only punctuation) never cluster.
 */
export function clusterValues(values: ValueCount[], methods: ClusterMethod[] = ['fingerprint', 'ngram'], n = 2): ValueCluster[] {
  const parent = values.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const firstKey = new Map<string, string>();
  for (const method of methods) {
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
      const key = method === 'fingerprint' ? fingerprint(v.value) : ngramFingerprint(v.value, n);
      if (!key) return;
      if (method === 'fingerprint' && !firstKey.has(v.value)) firstKey.set(v.value, key);
      const j = seen.get(key);
      if (j === undefined) seen.set(key, i);
      else parent[find(i)] = find(j);
    });
  }
  const groups = new Map<number, ValueCount[]>();
  values.forEach((v, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(v);
    else groups.set(r, [v]);
  });
  const clusters: ValueCluster[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    clusters.push({
      key: firstKey.get(g[0].value) ?? fingerprint(g[0].value),
      values: g,
      rows: g.reduce((s, v) => s + v.count, 0),
    });
  }
  return clusters.sort((a, b) => b.rows - a.rows || (a.key < b.key ? -1 : 1));
}
