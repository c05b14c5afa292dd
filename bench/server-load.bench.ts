// `npm run bench:server`: a bounded load test of the optional backend on loopback. Starts the real
// server (`server/main.ts`) in a child process with a temporary DATA_DIR and rate limits raised out of
// the way, then runs autocannon against GET /api/snapshots/<id> (fetch a share) and POST /api/snapshots
// (store one) and prints requests/s and latency percentiles for both. The baseline to compare with is
// /healthz on the same server: the cost of Hono + node:http alone.
// BENCH_DURATION_S (default 10), BENCH_CONNECTIONS (default 10), BENCH_SNAPSHOT_BYTES (default 32768).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Options } from 'autocannon';
import { mulberry32 } from '../src/core/util/random.ts';

const duration = Number(process.env.BENCH_DURATION_S ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const snapshotBytes = Number(process.env.BENCH_SNAPSHOT_BYTES ?? 32 * 1024);
const token = 'bench-token-' + 'x'.repeat(20);
const dataDir = mkdtempSync(join(tmpdir(), 'stocktake-bench-'));

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`${duration} s per run, ${connections} connections, snapshots of ${snapshotBytes.toLocaleString()} bytes (seeded random: encrypted bytes do not compress)`);

const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STOCKTAKE_WRITE_TOKEN: token,
    STOCKTAKE_WRITES_PER_MINUTE: '10000000',
    STOCKTAKE_READS_PER_MINUTE: '10000000',
    STOCKTAKE_STATIC_DIR: '',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});

try {
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${out}`)));
  });

  const rand = mulberry32(42);
  const body = Buffer.from(Uint8Array.from({ length: snapshotBytes }, () => Math.floor(rand() * 256)));
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' };
  const stored = await fetch(`${url}/api/snapshots`, { method: 'POST', headers, body });
  const { id } = (await stored.json()) as { id: string };

  const runs: [string, Options][] = [
    ['baseline GET /healthz', { url: `${url}/healthz` }],
    ['fetch   GET /api/snapshots/<id>', { url: `${url}/api/snapshots/${id}` }],
    ['store   POST /api/snapshots', { url: `${url}/api/snapshots`, method: 'POST', headers, body }],
  ];
  const rows: string[] = [];
  for (const [name, opts] of runs) {
    const r = await autocannon({ connections, duration, ...opts });
    const bad = r.errors + r.timeouts + r.non2xx;
    rows.push(
      `${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${r.latency.p50.toFixed(1).padStart(6)} ms   p99 ${r.latency.p99.toFixed(1).padStart(6)} ms` +
        `   ${r['2xx'].toLocaleString()} ok${bad ? `, ${bad} failed` : ''}`,
    );
    console.log(rows[rows.length - 1]);
  }
  const health = await (await fetch(`${url}/healthz`)).json();
  console.log(`store holds ${(health as { snapshots: number }).snapshots.toLocaleString()} snapshots after the run`);
} finally {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  rmSync(dataDir, { recursive: true, force: true });
}
