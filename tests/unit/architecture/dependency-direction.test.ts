// Enforces the layering of DESIGN.md: core ← db ← workers/lib ← state ← features/components.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(ts|svelte)$/.test(name) ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

describe('dependency direction', () => {
  it('src/core imports no UI, Dexie, worker, engine or Node modules', () => {
    const bad: string[] = [];
    for (const f of filesUnder('src/core')) {
      for (const spec of importsOf(f)) {
        const leavesCore = spec.startsWith('.') && !resolve(dirname(f), spec).startsWith(resolve('src/core'));
        if (/^(svelte|dexie|comlink|@duckdb|onnxruntime|node:|fs$|path$)/.test(spec) || leavesCore) {
          bad.push(`${relative('.', f)} imports ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('Svelte components do no fetch, Dexie or worker calls', () => {
    const bad: string[] = [];
    for (const f of filesUnder('src').filter((f) => f.endsWith('.svelte'))) {
      const src = readFileSync(f, 'utf8');
      for (const spec of importsOf(f)) if (/dexie|comlink|\/db\/|\/engine\/|workers\//.test(spec)) bad.push(`${f} imports ${spec}`);
      if (/\bfetch\(|new Worker\(/.test(src)) bad.push(`${f} calls fetch or new Worker`);
    }
    expect(bad).toEqual([]);
  });
});
