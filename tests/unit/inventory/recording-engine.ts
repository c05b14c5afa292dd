// A native engine that records what the inventory asks of it, for tests that check which path a load took.
import type { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

/** `engine` with its registrations, statements and drops recorded in order. */
export function recordingEngine(engine: DuckDbNodeEngine): { engine: DuckDbNodeEngine; registered: string[]; sql: string[]; dropped: string[] } {
  const registered: string[] = [];
  const sql: string[] = [];
  const dropped: string[] = [];
  const spy = Object.create(engine, {
    registerBuffer: { value: (name: string, bytes: Uint8Array) => (registered.push(name), engine.registerBuffer(name, bytes)) },
    query: { value: (q: string) => (sql.push(q), engine.query(q)) },
    dropFile: { value: (name: string) => (dropped.push(name), engine.dropFile(name)) },
  }) as DuckDbNodeEngine;
  return { engine: spy, registered, sql, dropped };
}
