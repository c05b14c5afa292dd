// `npm run server`: the optional Stocktake backend. Reads its settings from the environment
// (see config.ts and README "Optional backend"), serves until SIGINT/SIGTERM, then closes the database.
import { ConfigError, readConfig } from './config.ts';
import { startServer } from './serve.ts';

async function main(): Promise<void> {
  let options;
  try {
    options = readConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`stocktake-server: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const server = await startServer(options);
  process.stdout.write(
    `stocktake-server ${options.version} listening on ${server.url} (data in ${options.dataDir}` +
      `${options.staticDir ? `, serving the app from ${options.staticDir}` : ', API only: no dist/ to serve'})\n`,
  );
  const stop = (signal: string) => {
    process.stdout.write(`stocktake-server: ${signal}, closing\n`);
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`stocktake-server: error while closing: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`stocktake-server: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
