// Test helpers for recsys: real exports loaded through the real inventory path, and planted logs.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { buildInteractionLog, type InteractionLog, type RawInteraction } from '../../../src/core/recsys/interactions.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadSourcesFromArgs } from '../../../src/cli/sources.ts';

export const SHARED_DATA = resolve(process.cwd(), '../shared/data');

/** Loads a shared-data folder as the app would; throws (never skips) when the data is missing. */
export async function loadShared(folder: string): Promise<{ engine: DuckDbNodeEngine; inventory: Inventory }> {
  const dir = resolve(SHARED_DATA, folder);
  if (!existsSync(dir)) throw new Error(`shared data missing: ${dir}`);
  const engine = await DuckDbNodeEngine.create();
  const { inventory } = await buildInventory(loadSourcesFromArgs([dir]), engine, { importId: 'test' });
  return { engine, inventory };
}

/** Loads in-memory files (name → text) through the real inventory path. */
export async function loadFiles(files: Record<string, string>): Promise<{ engine: DuckDbNodeEngine; inventory: Inventory }> {
  const engine = await DuckDbNodeEngine.create();
  const sources = Object.entries(files).map(([name, text]) => sourceFromBytes(name, new TextEncoder().encode(text)));
  const { inventory } = await buildInventory(sources, engine, { importId: 'test' });
  return { engine, inventory };
}

/** Shorthand for planted logs: [user, item, time, event?]. */
export function logOf(rows: [string, string, number | null, string?][]): InteractionLog {
  return buildInteractionLog(rows.map(([user, item, time, event]): RawInteraction => ({ user, item, time, event: event ?? null })));
}
