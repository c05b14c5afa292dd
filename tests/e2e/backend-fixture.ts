// Shared set-up of the specs that run against the optional backend: the seeded shop export written to a
// temporary folder, and the real server (server/, free loopback port, temporary DATA_DIR) serving the
// built app from dist/, the way it is deployed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import { generateExport } from '../fixtures/generate-export.ts';

export interface BackendFixture {
  server: RunningServer;
  /** Paths of the export's files, for `setInputFiles`. */
  paths: string[];
  expected: ReturnType<typeof generateExport>['expected'];
  /** Stops the server and removes the temporary folders. */
  close(): Promise<void>;
}

export async function startBackendWithExport(token: string, name: string): Promise<BackendFixture> {
  const { files, expected } = generateExport({ seed: 42, scale: 1 });
  const exportDir = mkdtempSync(join(tmpdir(), `stocktake-${name}-export-`));
  const dataDir = mkdtempSync(join(tmpdir(), `stocktake-${name}-data-`));
  const paths = Object.entries(files).map(([file, text]) => {
    const p = join(exportDir, file);
    writeFileSync(p, text);
    return p;
  });
  const server = await startServer(
    readConfig({ PORT: '0', DATA_DIR: dataDir, STOCKTAKE_WRITE_TOKEN: token, STOCKTAKE_STATIC_DIR: resolve('dist') }, process.cwd()),
    { log: () => undefined },
  );
  return {
    server,
    paths,
    expected,
    async close() {
      await server.close();
      for (const d of [exportDir, dataDir]) rmSync(d, { recursive: true, force: true });
    },
  };
}
