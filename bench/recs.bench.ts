// `npm run bench:recs`: item-kNN train + leave-last-out evaluation on a seeded synthetic 1M-interaction
// log (50k users, 20k items, Zipf popularity) in Node against the same algorithm in C++ (g++ -O2,
// written and compiled here), then baseline metrics on UCI Online Retail and Olist order items.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildInventory } from '../src/core/inventory/build-inventory.ts';
import { detectInteractions, loadInteractions } from '../src/core/recsys/detect-interactions.ts';
import { buildTargets, evaluateLog, scoreRecommender } from '../src/core/recsys/evaluate.ts';
import { buildInteractionLog, type InteractionLog } from '../src/core/recsys/interactions.ts';
import { buildTrainMatrix, trainItemKnn } from '../src/core/recsys/models.ts';
import { splitLeaveLastOut } from '../src/core/recsys/split.ts';
import { mulberry32 } from '../src/core/util/random.ts';
import { loadSourcesFromArgs } from '../src/cli/sources.ts';
import { DuckDbNodeEngine } from '../src/engine/duckdb-node.ts';

const USERS = 50_000;
const ITEMS = 20_000;
const INTERACTIONS = 1_000_000;
const NEIGHBOURS = 100;
const SHRINK = 10;
const K = 20;

/** Zipf(1.0) items via the inverse CDF; users uniform; times increasing per user. Seeded. */
function generateLog(seed: number): InteractionLog {
  const rand = mulberry32(seed);
  const cdf = new Float64Array(ITEMS);
  let acc = 0;
  for (let i = 0; i < ITEMS; i++) cdf[i] = acc += 1 / (i + 1);
  for (let i = 0; i < ITEMS; i++) cdf[i] /= acc;
  const user = new Int32Array(INTERACTIONS);
  const item = new Int32Array(INTERACTIONS);
  const time = new Float64Array(INTERACTIONS);
  for (let r = 0; r < INTERACTIONS; r++) {
    user[r] = Math.floor(rand() * USERS);
    const x = rand();
    let lo = 0;
    let hi = ITEMS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    item[r] = lo;
    time[r] = 1_600_000_000 + r; // row order is time order
  }
  return {
    users: Array.from({ length: USERS }, (_, u) => `u${u}`),
    items: Array.from({ length: ITEMS }, (_, i) => `i${i}`),
    events: [],
    user, item, time,
    event: new Int16Array(INTERACTIONS).fill(-1),
    quantity: null,
    orphanItem: new Uint8Array(INTERACTIONS),
  };
}

// The same algorithm as computeItemNeighbours + trainItemKnn + scoreRecommender (recall and NDCG only).
const CPP = String.raw`
#include <cstdio>
#include <cstdint>
#include <cmath>
#include <vector>
#include <algorithm>
#include <chrono>
#include <sys/resource.h>
using namespace std;
static vector<int32_t> readv(FILE* f) { int32_t n; fread(&n, 4, 1, f); vector<int32_t> v(n); fread(v.data(), 4, n, f); return v; }
int main(int argc, char** argv) {
  FILE* f = fopen(argv[1], "rb");
  auto head = readv(f); int nU = head[0], nI = head[1], NN = head[2], K = head[3]; float shrink = (float)head[4];
  auto uo = readv(f), ui = readv(f), io = readv(f), iu = readv(f), cnt = readv(f), tu = readv(f), to = readv(f), ti = readv(f);
  fclose(f);
  auto t0 = chrono::steady_clock::now();
  vector<float> acc(nI, 0), cs(nI, 0); vector<int32_t> touched(nI), off(nI + 1, 0); vector<int32_t> nbI; vector<float> nbS;
  for (int i = 0; i < nI; i++) {
    int nt = 0;
    for (int p = io[i]; p < io[i + 1]; p++) { int u = iu[p]; for (int q = uo[u]; q < uo[u + 1]; q++) { int j = ui[q]; if (j == i) continue; if (acc[j] == 0) touched[nt++] = j; acc[j] += 1; } }
    for (int t = 0; t < nt; t++) { int j = touched[t]; cs[j] = (float)(acc[j] / (sqrt((double)cnt[i] * cnt[j]) + shrink)); acc[j] = 0; }
    int keep = min(NN, nt);
    partial_sort(touched.begin(), touched.begin() + keep, touched.begin() + nt, [&](int a, int b) { return cs[a] != cs[b] ? cs[a] > cs[b] : a < b; });
    for (int t = 0; t < keep; t++) { nbI.push_back(touched[t]); nbS.push_back(cs[touched[t]]); }
    off[i + 1] = off[i] + keep;
  }
  auto t1 = chrono::steady_clock::now();
  vector<int32_t> pop(nI); for (int i = 0; i < nI; i++) pop[i] = i;
  sort(pop.begin(), pop.end(), [&](int a, int b) { return cnt[a] != cnt[b] ? cnt[a] > cnt[b] : a < b; });
  vector<float> sc(nI, 0); vector<int32_t> stamp(nI, -1), isT(nI, -1); double sumR = 0, sumN = 0; int nE = (int)tu.size();
  for (int x = 0; x < nE; x++) {
    int u = tu[x]; int nt = 0;
    for (int p = uo[u]; p < uo[u + 1]; p++) stamp[ui[p]] = x;
    for (int p = to[x]; p < to[x + 1]; p++) isT[ti[p]] = x;
    for (int p = uo[u]; p < uo[u + 1]; p++) { int i = ui[p]; for (int q = off[i]; q < off[i + 1]; q++) { int j = nbI[q]; if (sc[j] == 0) touched[nt++] = j; sc[j] += nbS[q]; } }
    vector<int32_t> cand; for (int t = 0; t < nt; t++) if (stamp[touched[t]] != x) cand.push_back(touched[t]);
    int keep = min(K, (int)cand.size());
    partial_sort(cand.begin(), cand.begin() + keep, cand.end(), [&](int a, int b) { return sc[a] != sc[b] ? sc[a] > sc[b] : a < b; });
    cand.resize(keep);
    for (int j : cand) stamp[j] = x;
    for (int p = 0; p < nI && (int)cand.size() < K; p++) if (stamp[pop[p]] != x) cand.push_back(pop[p]);
    for (int t = 0; t < nt; t++) sc[touched[t]] = 0;
    int hits = 0; double dcg = 0, idcg = 0; int nT = to[x + 1] - to[x];
    for (int r = 0; r < (int)cand.size(); r++) if (isT[cand[r]] == x) { hits++; dcg += 1 / log2(r + 2.0); }
    for (int r = 0; r < min(nT, K); r++) idcg += 1 / log2(r + 2.0);
    sumR += (double)hits / nT; sumN += dcg / idcg;
  }
  auto t2 = chrono::steady_clock::now();
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  printf("%.1f %.1f %.6f %.6f %ld\n", chrono::duration<double, milli>(t1 - t0).count(), chrono::duration<double, milli>(t2 - t1).count(), sumR / nE, sumN / nE, ru.ru_maxrss);
}
`;

function writeVectors(path: string, vectors: Int32Array[]): void {
  const total = vectors.reduce((n, v) => n + 4 + v.byteLength, 0);
  const buf = Buffer.alloc(total);
  let o = 0;
  for (const v of vectors) {
    buf.writeInt32LE(v.length, o);
    o += 4;
    Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(buf, o);
    o += v.byteLength;
  }
  writeFileSync(path, buf);
}

function fmtMs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function benchSynthetic(): Promise<void> {
  const log = generateLog(20_241_123);
  const split = splitLeaveLastOut(log);
  const m = buildTrainMatrix(log, split.trainRows);
  const targets = buildTargets(log, split, m);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = trainItemKnn(m, { neighbours: NEIGHBOURS, shrink: SHRINK });
  const t1 = performance.now();
  const metrics = scoreRecommender(model, targets, m, [K], 0, 1)[0];
  const t2 = performance.now();
  const rss1 = process.memoryUsage().rss;
  console.log(`synthetic: ${INTERACTIONS.toLocaleString('en-US')} interactions, ${USERS} users × ${ITEMS} items (Zipf 1.0), ${targets.users.length} users evaluated, leave-last-out`);
  console.log(`  node item-kNN     train ${fmtMs(t1 - t0)}  eval@${K} ${fmtMs(t2 - t1)}  recall ${metrics.recall.mean.toFixed(4)}  ndcg ${metrics.ndcg.mean.toFixed(4)}  rss ${(rss1 / 2 ** 20).toFixed(0)} MB (+${((rss1 - rss0) / 2 ** 20).toFixed(0)} MB)`);

  const dir = mkdtempSync(join(tmpdir(), 'stocktake-recs-'));
  try {
    writeFileSync(join(dir, 'knn.cpp'), CPP);
    execFileSync('g++', ['-O2', '-std=c++17', '-o', join(dir, 'knn'), join(dir, 'knn.cpp')]);
    writeVectors(join(dir, 'data.bin'), [
      Int32Array.from([m.nUsers, m.nItems, NEIGHBOURS, K, SHRINK]),
      m.userOffsets, m.userItems, m.itemOffsets, m.itemUsers, m.itemCounts,
      targets.users, targets.offsets, targets.items,
    ]);
    const [train, evalMs, recall, ndcg, maxrssKb] = execFileSync(join(dir, 'knn'), [join(dir, 'data.bin')], { encoding: 'utf8' }).trim().split(' ').map(Number);
    console.log(`  c++ item-kNN (g++ -O2) train ${fmtMs(train)}  eval@${K} ${fmtMs(evalMs)}  recall ${recall.toFixed(4)}  ndcg ${ndcg.toFixed(4)}  peak rss ${(maxrssKb / 1024).toFixed(0)} MB`);
    console.log(`  ratio node / c++: train ${((t1 - t0) / train).toFixed(2)}x, eval ${((t2 - t1) / evalMs).toFixed(2)}x, total ${((t2 - t0) / (train + evalMs)).toFixed(2)}x`);
  } catch (e) {
    console.log(`  c++ peer unavailable: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchReal(folder: string): Promise<void> {
  const dir = resolve(process.cwd(), '../shared/data', folder);
  const engine = await DuckDbNodeEngine.create();
  try {
    const { inventory } = await buildInventory(loadSourcesFromArgs([dir]), engine);
    const d = detectInteractions(inventory);
    if (!d.ok) throw new Error(`${folder}: ${d.message}`);
    const { log } = await loadInteractions(engine, d.spec, inventory);
    const { results, refused } = evaluateLog(log, { models: ['popularity', 'item-knn', 'ease'], seed: 42 });
    console.log(`${folder}: ${d.spec.factTable}, ${log.users.length} users × ${log.items.length} items, ${log.user.length} interactions`);
    for (const s of results) {
      for (const mm of s.models) {
        const at = mm.metrics?.find((x) => x.k === 10);
        console.log(at
          ? `  ${s.split.padEnd(14)} ${mm.model.padEnd(10)} (${s.evaluatedUsers} users) recall@10 ${at.recall.mean.toFixed(4)} [${at.recall.low.toFixed(4)}, ${at.recall.high.toFixed(4)}]  ndcg@10 ${at.ndcg.mean.toFixed(4)}  map@10 ${at.map.mean.toFixed(4)}  coverage ${at.coverage.toFixed(3)}  train ${mm.trainMs.toFixed(0)} ms`
          : `  ${s.split.padEnd(14)} ${mm.model.padEnd(10)} ${mm.skipped}`);
      }
    }
    for (const r of refused) console.log(`  ${r.split}: refused: ${r.reason}`);
  } finally {
    engine.close();
  }
}

await benchSynthetic();
await benchReal('uci-online-retail');
await benchReal('olist');
