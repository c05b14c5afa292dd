// View model of the Runs view, pure so it is tested in Node: the models an import can tune, the runs
// table sorted by any column, and the scatter of one parameter against the metric (d3 scales; the
// component only draws).
import { scaleLinear, scaleLog, scalePoint } from 'd3';
import type { DetectResult } from '../core/recsys/detect-interactions.ts';
import type { TagJob } from '../core/tagging/plan-tag-jobs.ts';
import type { TunableRecommender } from '../core/tuning/recommender-objective.ts';
import type { ParamValue } from '../core/tuning/search-space.ts';
import type { TuningRun } from '../core/tuning/search.ts';

/** A model the Runs view can tune. `key` names it in the runs table (it is the runs' `model`). */
export type TuningTarget =
  | { kind: 'classifier'; key: string; job: TagJob }
  | { kind: 'recommender'; key: TunableRecommender };

/** The name a classifier's runs carry: `table: text → target`, as the CLI names it. */
export function classifierKey(job: TagJob): string {
  return `${job.table}: ${job.text.join('+')} → ${job.target}`;
}

/** Every tag job, then item-kNN and EASE when the import has an interaction table. */
export function listTuningTargets(jobs: readonly TagJob[], detected: DetectResult | null): TuningTarget[] {
  const out: TuningTarget[] = jobs.map((job) => ({ kind: 'classifier', key: classifierKey(job), job }));
  if (detected?.ok) out.push({ kind: 'recommender', key: 'item-knn' }, { kind: 'recommender', key: 'ease' });
  return out;
}

/** A sortable column: run order (the order given), rung, metric, seconds, or a parameter (`param:<name>`). */
export type RunSortKey = 'index' | 'rung' | 'score' | 'seconds' | `param:${string}`;

export interface RunSort {
  key: RunSortKey;
  descending: boolean;
}

function compareValues(a: ParamValue | null | undefined, b: ParamValue | null | undefined): number {
  // Missing values (failed runs' scores) sort last whatever the direction.
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function valueOf(run: TuningRun, key: RunSortKey): ParamValue | null | undefined {
  if (key.startsWith('param:')) return run.params[key.slice(6)];
  return run[key as 'rung' | 'score' | 'seconds'];
}

/** Runs sorted by one column; ties keep run order, and missing values go last in both directions. */
export function sortRuns<T extends TuningRun>(runs: readonly T[], sort: RunSort): T[] {
  return runs
    .map((run, order) => ({ run, order }))
    .sort((x, y) => {
      if (sort.key === 'index') return sort.descending ? y.order - x.order : x.order - y.order;
      const a = valueOf(x.run, sort.key);
      const b = valueOf(y.run, sort.key);
      const missing = (v: unknown) => v === null || v === undefined;
      if (missing(a) || missing(b)) return compareValues(a, b) || x.order - y.order;
      return (sort.descending ? -compareValues(a, b) : compareValues(a, b)) || x.order - y.order;
    })
    .map((x) => x.run);
}

/** Clicking a header: the same column flips direction; a new one starts descending for metrics, else ascending. */
export function nextSort(current: RunSort, key: RunSortKey): RunSort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key === 'score' };
}

/** Parameter names of the runs, in first-seen order. */
export function paramNames(runs: readonly TuningRun[]): string[] {
  const names: string[] = [];
  for (const r of runs) for (const k of Object.keys(r.params)) if (!names.includes(k)) names.push(k);
  return names;
}

/** The best finished full-budget run (the one "promote best" stores), ties to the earlier run. */
export function bestRun<T extends TuningRun>(runs: readonly T[]): T | null {
  let best: T | null = null;
  for (const r of runs) {
    if (r.status !== 'ok' || r.score === null || r.fraction !== 1) continue;
    if (!best || r.score > best.score!) best = r;
  }
  return best;
}

export interface ScatterPoint {
  id: string;
  x: number;
  y: number;
  rung: number;
  isDefault: boolean;
  isBest: boolean;
  label: string;
}

export interface ScatterLayout {
  points: ScatterPoint[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  inner: { x: number; y: number; width: number; height: number };
}

const MARGIN = { top: 10, right: 16, bottom: 30, left: 48 };

function formatTick(v: ParamValue): string {
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return v >= 10_000 ? `${Math.round(v / 1024)}k` : String(v);
  return Math.abs(v) < 0.01 || Math.abs(v) >= 1000 ? v.toExponential(0) : String(Number(v.toPrecision(2)));
}

/**
 * Points of `param` (x) against the score (y) for the runs that finished. Numbers spanning more than
 * a factor 20 and all positive get a log axis; strings and booleans a point scale.
 */
export function layoutScatter(runs: readonly TuningRun[], param: string, width: number, height: number): ScatterLayout {
  const inner = { x: MARGIN.left, y: MARGIN.top, width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom };
  const done = runs.filter((r) => r.score !== null && r.params[param] !== undefined);
  const best = bestRun(done);
  const values = done.map((r) => r.params[param]);
  const numeric = values.length > 0 && values.every((v) => typeof v === 'number');
  let toX: (v: ParamValue) => number;
  let xTicks: ScatterLayout['xTicks'];
  if (numeric) {
    const nums = values as number[];
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    const isLog = lo > 0 && hi / lo > 20;
    const scale = (isLog ? scaleLog() : scaleLinear()).domain(lo === hi ? [lo * 0.9 || -1, hi * 1.1 || 1] : [lo, hi]).range([inner.x, inner.x + inner.width]);
    if (!isLog) (scale as ReturnType<typeof scaleLinear>).nice();
    toX = (v) => scale(v as number);
    const ticks = isLog ? (scale as ReturnType<typeof scaleLog>).ticks(4).filter((_, i, a) => a.length <= 6 || i % Math.ceil(a.length / 6) === 0) : scale.ticks(5);
    xTicks = ticks.map((v) => ({ x: scale(v), label: formatTick(v) }));
  } else {
    const domain = [...new Set(values.map(String))].sort();
    const scale = scalePoint<string>().domain(domain).range([inner.x, inner.x + inner.width]).padding(0.5);
    toX = (v) => scale(String(v)) ?? inner.x;
    xTicks = domain.map((d) => ({ x: scale(d) ?? inner.x, label: d }));
  }
  const scores = done.map((r) => r.score!);
  const yLo = scores.length ? Math.min(...scores) : 0;
  const yHi = scores.length ? Math.max(...scores) : 1;
  const y = scaleLinear().domain(yLo === yHi ? [yLo - 0.05, yHi + 0.05] : [yLo, yHi]).nice().range([inner.y + inner.height, inner.y]);
  return {
    inner,
    xTicks,
    yTicks: y.ticks(4).map((v) => ({ y: y(v), label: v.toFixed(2) })),
    points: done.map((r) => ({
      id: r.id,
      x: toX(r.params[param]),
      y: y(r.score!),
      rung: r.rung,
      isDefault: r.isDefault,
      isBest: r === best,
      label: `${formatTick(r.params[param])} → ${r.score!.toFixed(4)}`,
    })),
  };
}
