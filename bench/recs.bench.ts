// `npm run bench:recs`: item-kNN train + leave-last-out evaluation on a seeded synthetic 1M-interaction
// log (50k users, 20k items, Zipf popularity) in Node, in headless Chromium (bench/recs-browser.bench.ts)
// and in the same algorithm in C++ (g++ -O2, written and compiled here), printed as one table with peak
// memory and ratios; then baseline metrics on UCI Online Retail and Olist order items.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildInventory } from '../src/core/inventory/build-inventory.ts';
import { detectInteractions, loadInteractions } from '../src/core/recsys/detect-interactions.ts';
import { evaluateLog } from '../src/core/recsys/evaluate.ts';
import { loadSourcesFromArgs } from '../src/cli/sources.ts';
import { DuckDbNodeEngine } from '../src/engine/duckdb-node.ts';
import { measureInChromium, type BrowserKnnResult } from './recs-browser.bench.ts';
import { generateLog, INTERACTIONS, ITEMS, K, NEIGHBOURS, prepareSynthetic, SEED, SHRINK, timeItemKnn, USERS, type KnnTiming } from './recs-synthetic.ts';

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

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function benchSynthetic(): Promise<void> {
  const { m, targets } = prepareSynthetic(generateLog(SEED));
  const node: KnnTiming = timeItemKnn(m, targets);
  // Peak RSS of this process so far (the log, matrix, targets and model; DuckDB is not loaded yet).
  const nodePeak = process.resourceUsage().maxRSS * 1024;
  console.log(`synthetic: ${INTERACTIONS.toLocaleString('en-US')} interactions, ${USERS} users × ${ITEMS} items (Zipf 1.0), ${targets.users.length} users evaluated, leave-last-out, item-kNN ${NEIGHBOURS} neighbours, shrink ${SHRINK}, @${K}`);

  let cpp: (KnnTiming & { peakBytes: number }) | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'stocktake-recs-'));
  try {
    writeFileSync(join(dir, 'knn.cpp'), CPP);
    execFileSync('g++', ['-O2', '-std=c++17', '-o', join(dir, 'knn'), join(dir, 'knn.cpp')]);
    writeVectors(join(dir, 'data.bin'), [
      Int32Array.from([m.nUsers, m.nItems, NEIGHBOURS, K, SHRINK]),
      m.userOffsets, m.userItems, m.itemOffsets, m.itemUsers, m.itemCounts,
      targets.users, targets.offsets, targets.items,
    ]);
    const [trainMs, evalMs, recall, ndcg, maxrssKb] = execFileSync(join(dir, 'knn'), [join(dir, 'data.bin')], { encoding: 'utf8' }).trim().split(' ').map(Number);
    cpp = { trainMs, evalMs, recall, ndcg, evaluatedUsers: targets.users.length, peakBytes: maxrssKb * 1024 };
  } catch (e) {
    console.log(`  c++ peer unavailable: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  let browser: BrowserKnnResult | null = null;
  try {
    browser = await measureInChromium();
  } catch (e) {
    console.log(`  chromium run failed: ${(e as Error).message.split('\n')[0]}`);
  }

  const row = (what: string, t: KnnTiming, memory: string) =>
    `| ${what} | ${fmtMs(t.trainMs)} | ${fmtMs(t.evalMs)} | ${fmtMs(t.trainMs + t.evalMs)} | ${memory} | ${t.recall.toFixed(4)} | ${t.ndcg.toFixed(4)} |`;
  const ratio = (a: KnnTiming, b: KnnTiming) =>
    `| ${'%'} | ${(a.trainMs / b.trainMs).toFixed(2)}x | ${(a.evalMs / b.evalMs).toFixed(2)}x | ${((a.trainMs + a.evalMs) / (b.trainMs + b.evalMs)).toFixed(2)}x | | | |`;
  console.log('');
  console.log(`| side | train | eval@${K} | total | peak memory | recall@${K} | ndcg@${K} |`);
  console.log('|---|---|---|---|---|---|---|');
  console.log(row(`Node ${process.version} (core, main thread)`, node, `${mib(nodePeak)} process peak RSS`));
  if (browser) {
    const ua = browser.uaMemoryPeakBytes === null ? 'n/a' : `${mib(browser.uaMemoryPeakBytes)} (${browser.uaMemorySamples} samples)`;
    console.log(row(`Chromium ${browser.chromiumVersion} headless (core, module worker)`, browser, `${mib(browser.rendererRssPeakBytes)} renderer RSS peak (+${mib(browser.rendererRssPeakBytes - browser.rendererRssIdleBytes)} over idle); measureUserAgentSpecificMemory ${ua}`));
  }
  if (cpp) console.log(row('C++ g++ -O2 (same algorithm)', cpp, `${mib(cpp.peakBytes)} process peak RSS`));
  if (browser && cpp) console.log(ratio(browser, cpp).replace('%', 'ratio Chromium / C++'));
  if (browser) console.log(ratio(browser, node).replace('%', 'ratio Chromium / Node'));
  if (cpp) console.log(ratio(node, cpp).replace('%', 'ratio Node / C++'));
  const recalls = [node, browser, cpp].filter((t): t is KnnTiming => t !== null).map((t) => t.recall.toFixed(6));
  const agree = recalls.every((r) => r === recalls[0]);
  console.log(`recall@${K} ${agree ? 'agrees' : 'DISAGREES'} across sides: ${recalls.join(' / ')}${browser ? `; chromium untimed: generate ${fmtMs(browser.generateMs)}, split + matrix + targets ${fmtMs(browser.prepareMs)}` : ''}`);
  console.log('');
  if (!agree) process.exitCode = 1;
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
