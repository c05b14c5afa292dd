// Hyperparameter search spaces: typed ranges (int, float, log-scaled float, choice) and seeded
// sampling of configurations from them. Plain JSON, so a space can be stored beside the runs it made.

/** A parameter value: every space yields numbers, strings or booleans, never objects. */
export type ParamValue = number | string | boolean;

/** One configuration: parameter name → value. */
export type Params = Record<string, ParamValue>;

/** How one parameter is drawn. Ranges are inclusive. */
export type ParamSpec =
  /** Uniform integer in [min, max]; `log` draws uniformly in log space (for counts spanning decades). */
  | { kind: 'int'; min: number; max: number; log?: boolean }
  /** Uniform float in [min, max]. */
  | { kind: 'float'; min: number; max: number }
  /** Float uniform in log space between min and max (both > 0): a learning rate, a regulariser. */
  | { kind: 'log-float'; min: number; max: number }
  /** One of the listed values, each equally likely. */
  | { kind: 'choice'; values: readonly ParamValue[] };

/** Parameter name → how it is drawn, in a fixed order (the order of sampling). */
export type SearchSpace = Record<string, ParamSpec>;

/** Rounds floats to 4 significant digits so stored runs read well and equal draws compare equal. */
function round4(x: number): number {
  return Number(x.toPrecision(4));
}

/** Draws one value of `spec` with `rand` (uniform in [0, 1)). */
export function sampleParam(spec: ParamSpec, rand: () => number): ParamValue {
  switch (spec.kind) {
    case 'int': {
      if (spec.log && spec.min > 0) {
        const v = Math.exp(Math.log(spec.min) + rand() * (Math.log(spec.max + 1) - Math.log(spec.min)));
        return Math.min(spec.max, Math.floor(v));
      }
      return spec.min + Math.floor(rand() * (spec.max - spec.min + 1));
    }
    case 'float':
      return round4(spec.min + rand() * (spec.max - spec.min));
    case 'log-float':
      return round4(Math.exp(Math.log(spec.min) + rand() * (Math.log(spec.max) - Math.log(spec.min))));
    case 'choice':
      return spec.values[Math.floor(rand() * spec.values.length)];
  }
}

/** One configuration: every parameter of `space` drawn in key order (so a seed gives the same configs). */
export function sampleConfig(space: SearchSpace, rand: () => number): Params {
  const out: Params = {};
  for (const [name, spec] of Object.entries(space)) out[name] = sampleParam(spec, rand);
  return out;
}

/** Whether `value` lies in `spec` (used to check that a default belongs to its space). */
export function isInSpace(spec: ParamSpec, value: ParamValue): boolean {
  if (spec.kind === 'choice') return spec.values.includes(value);
  if (typeof value !== 'number') return false;
  if (spec.kind === 'int' && !Number.isInteger(value)) return false;
  return value >= spec.min && value <= spec.max;
}

/** A stable key of a configuration (sorted keys), to spot duplicate draws. */
export function configKey(params: Params): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}
