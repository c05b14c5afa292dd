// Share links: a snapshot as JSON → deflate (level 9) → base64url in the URL hash (`#s=…`), and back.
// Links have a size budget, so `fitSnapshotLink` compacts first (rounds numbers, trims histograms,
// top values, patterns…) step by step until the link fits, and reports what it trimmed.
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { compactEdges, expandEdges, roundSignificant } from './numbers.ts';
import { restoreSnapshot, SnapshotError, type Snapshot, type SnapshotColumn } from './snapshot.ts';

export { compactEdges, expandEdges, roundSignificant } from './numbers.ts';

/** Default budget for a whole share URL (origin, path and hash), in characters. */
export const LINK_BUDGET = 8192;
/** The hash parameter a snapshot link carries. */
export const SNAPSHOT_PARAM = 's';

// ---- base64url ----------------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** RFC 4648 §5 base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/** Decodes base64url (padding tolerated); throws LINK_CORRUPT on any other character or a cut-off length. */
export function fromBase64Url(text: string): Uint8Array {
  const s = text.replace(/=+$/, '');
  if (s.length % 4 === 1) throw new SnapshotError('LINK_CORRUPT', 'The link is cut off (its data has an impossible length). Copy the whole link again.');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) throw new SnapshotError('LINK_CORRUPT', `The link contains a character that cannot be in it (position ${i + 1}).`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

// ---- bytes ↔ snapshot ----------------------------------------------------------------------------

/** The snapshot as deflated JSON: the bytes of a link and of an (encrypted) upload. */
export function serializeSnapshot(snap: Snapshot): Uint8Array {
  return deflateSync(strToU8(JSON.stringify(snap)), { level: 9 });
}

/** Inflates and restores snapshot bytes; a damaged stream is LINK_CORRUPT, a wrong shape SNAPSHOT_INVALID. */
export function parseSnapshotBytes(bytes: Uint8Array): Snapshot {
  let text: string;
  try {
    text = strFromU8(inflateSync(bytes));
  } catch {
    throw new SnapshotError('LINK_CORRUPT', 'The snapshot data is damaged or cut off and cannot be decompressed. Copy the whole link again.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SnapshotError('LINK_CORRUPT', 'The snapshot data is damaged or cut off (not valid JSON after decompressing).');
  }
  return restoreSnapshot(json);
}

/** The hash (without `#`) carrying `snap` as it is (no compaction). */
export function encodeSnapshotHash(snap: Snapshot): string {
  return `${SNAPSHOT_PARAM}=${toBase64Url(serializeSnapshot(snap))}`;
}

/** Reads the `s` parameter of a location hash (`#s=…`, `s=…`, or among other `&` parameters). */
export function readHashParam(hash: string, name: string): string | null {
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) return part.slice(eq + 1);
  }
  return null;
}

/** True when a location hash carries a snapshot. */
export function hasSnapshotHash(hash: string): boolean {
  return readHashParam(hash, SNAPSHOT_PARAM) !== null;
}

/** Decodes a location hash carrying a snapshot back into a restored snapshot. */
export function decodeSnapshotHash(hash: string): Snapshot {
  const payload = readHashParam(hash, SNAPSHOT_PARAM);
  if (payload === null) throw new SnapshotError('LINK_CORRUPT', 'The link carries no snapshot (no "#s=" part).');
  if (payload === '') throw new SnapshotError('LINK_CORRUPT', 'The link carries an empty snapshot: it was probably cut off.');
  // Some mail and chat clients percent-encode the hash; base64url never contains `%`.
  return parseSnapshotBytes(fromBase64Url(payload.includes('%') ? decodeURIComponent(payload) : payload));
}

// ---- compaction ----------------------------------------------------------------------------------

function roundColumn(c: SnapshotColumn): SnapshotColumn {
  const r = (v: number | null) => (v === null ? null : roundSignificant(v));
  return {
    ...c,
    mean: r(c.mean),
    std: r(c.std),
    // Dates are epoch ms (integers) and stay exact; number quantiles are rounded.
    quantiles: c.quantiles ? c.quantiles.map((q) => roundSignificant(q, 5)) : null,
    histogram: c.histogram ? { ...c.histogram, edges: compactEdges(c.histogram.edges, c.histogram.log, c.histogram.kind === 'date') } : null,
    length: c.length ? { ...c.length, mean: roundSignificant(c.length.mean, 3) } : null,
    pii: c.pii ? { ...c.pii, confidence: roundSignificant(c.pii.confidence, 3) } : null,
  };
}

/** Merges adjacent histogram bins down to at most `maxBins` (counts add up; the outer edges stay). */
export function mergeHistogramBins<H extends { edges: number[]; counts: number[]; log?: boolean; kind?: string }>(compact: H, maxBins: number): H {
  const n = compact.counts.length;
  if (n <= maxBins) return compact;
  const h = { ...compact, edges: expandEdges(compact.edges, n, compact.log) };
  const group = Math.ceil(n / maxBins);
  const edges: number[] = [h.edges[0]];
  const counts: number[] = [];
  for (let i = 0; i < n; i += group) {
    const end = Math.min(n, i + group);
    counts.push(h.counts.slice(i, end).reduce((a, b) => a + b, 0));
    edges.push(h.edges[end]);
  }
  return { ...h, edges: compactEdges(edges, h.log, h.kind === 'date'), counts };
}

/**
 * What a compaction step leaves out, as a stable code (the UI translates it): `samples`; `id-values`
 * (min/max and top values of id columns); `quality-issues` (the issue list; scores and counts stay);
 * `top-5` (top values beyond 5, patterns beyond 3, histograms above 12 bins); `quantiles`; `top-3`
 * (top values beyond 3, patterns beyond 1, histograms above 6 bins); `reasons` (semantic-type reasons
 * and rule evidence); `histograms`; `top-values` (top values and patterns); `tag-values` (tag values
 * and model class names).
 */
export type TrimCode = 'samples' | 'id-values' | 'quality-issues' | 'top-5' | 'quantiles' | 'top-3' | 'reasons' | 'histograms' | 'top-values' | 'tag-values';

/** One compaction step: its code for the report, and how it changes the snapshot (pure). */
interface CompactionStep {
  label: TrimCode;
  apply: (s: Snapshot) => Snapshot;
}

const mapColumns = (s: Snapshot, f: (c: SnapshotColumn) => SnapshotColumn): Snapshot => ({
  ...s,
  tables: s.tables.map((t) => ({ ...t, columns: t.columns.map(f) })),
});

/** Steps in the order they are tried: cheapest loss of information first. */
const STEPS: readonly CompactionStep[] = [
  { label: 'samples', apply: (s) => mapColumns(s, (c) => ({ ...c, samples: [] })) },
  { label: 'id-values', apply: (s) => mapColumns(s, (c) => (c.semanticType === 'id' ? { ...c, min: null, max: null, topValues: [] } : c)) },
  { label: 'quality-issues', apply: (s) => (s.quality ? { ...s, quality: { ...s.quality, issues: [] } } : s) },
  { label: 'top-5', apply: (s) => mapColumns(s, (c) => ({ ...c, topValues: c.topValues.slice(0, 5), patterns: c.patterns.slice(0, 3), histogram: c.histogram ? mergeHistogramBins(c.histogram, 12) : null })) },
  { label: 'quantiles', apply: (s) => mapColumns(s, (c) => ({ ...c, quantiles: null })) },
  { label: 'top-3', apply: (s) => mapColumns(s, (c) => ({ ...c, topValues: c.topValues.slice(0, 3), patterns: c.patterns.slice(0, 1), histogram: c.histogram ? mergeHistogramBins(c.histogram, 6) : null })) },
  { label: 'reasons', apply: (s) => ({ ...mapColumns(s, (c) => ({ ...c, semanticReason: '' })), ...(s.rules ? { rules: { ...s.rules, rules: s.rules.rules.map((r) => ({ ...r, evidence: '' })) } } : {}) }) },
  { label: 'histograms', apply: (s) => mapColumns(s, (c) => ({ ...c, histogram: null })) },
  { label: 'top-values', apply: (s) => mapColumns(s, (c) => ({ ...c, topValues: [], patterns: [] })) },
  { label: 'tag-values', apply: (s) => ({ ...s, ...(s.tags ? { tags: s.tags.map((t) => ({ ...t, top: [] })) } : {}), ...(s.models ? { models: s.models.map((m) => ({ ...m, classes: [] })) } : {}) }) },
];

export interface LinkFit {
  /** True when `url` is within the budget. */
  fits: boolean;
  /** The whole link (`base` + `#s=…`), also when it does not fit (for the size shown). */
  url: string;
  /** Its length in characters. */
  length: number;
  budget: number;
  /** Codes of the compaction steps applied, in order (empty when the link fit as it was rounded). */
  trimmed: TrimCode[];
  /** The snapshot the link carries (compacted). */
  snapshot: Snapshot;
}

/**
 * Compacts `snap` until `base#s=…` fits in `budget` characters. Always rounds floats and leaves out
 * the derivable schema graph; then applies STEPS one at a time. When nothing more can be trimmed
 * and it still does not fit, returns `fits: false` (the UI then offers the encrypted upload).
 */
export function fitSnapshotLink(snap: Snapshot, base: string, budget = LINK_BUDGET): LinkFit {
  const { graph: _g, ...withoutGraph } = snap;
  let current: Snapshot = { ...mapColumns(withoutGraph, roundColumn), relations: snap.relations.map((r) => ({ ...r, coverage: roundSignificant(r.coverage), nameScore: roundSignificant(r.nameScore, 2) })) };
  const trimmed: TrimCode[] = [];
  const render = (s: Snapshot): string => `${base}#${encodeSnapshotHash({ ...s, redaction: { ...s.redaction, trimmed: [...trimmed] } })}`;
  let url = render(current);
  for (const step of STEPS) {
    if (url.length <= budget) break;
    const next = step.apply(current);
    // A step that changes nothing (no samples to drop…) is not reported as a trim.
    if (JSON.stringify(next) === JSON.stringify(current)) continue;
    trimmed.push(step.label);
    current = next;
    url = render(current);
  }
  return { fits: url.length <= budget, url, length: url.length, budget, trimmed, snapshot: { ...current, redaction: { ...current.redaction, trimmed } } };
}
