// Splits never leak the future; metrics, models and the cleaning comparison against hand-computed values.
import { describe, expect, it } from 'vitest';
import { detectInteractions, loadInteractions } from '../../../src/core/recsys/detect-interactions.ts';
import { bootstrapMean, compareCleaning, evaluateSplit } from '../../../src/core/recsys/evaluate.ts';
import { RecsError, type InteractionLog } from '../../../src/core/recsys/interactions.ts';
import { buildTrainMatrix, computeItemNeighbours, invertSpdInPlace, trainEase } from '../../../src/core/recsys/models.ts';
import { splitLeaveLastOut, splitTemporal, type Split } from '../../../src/core/recsys/split.ts';
import { loadShared, logOf } from './helpers.ts';
import { buildPlantedLog, DUPLICATES, PEOPLE, ROBOT_EVENTS } from './planted.ts';

/** Every training row of an evaluated user is strictly before that user's test time; test rows are at/after it. */
function expectNoLeak(log: InteractionLog, split: Split): void {
  const testTimeOf = new Map<number, number>();
  split.testUsers.forEach((u, j) => testTimeOf.set(u, split.testTime[j]));
  let leaks = 0;
  for (const r of split.trainRows) {
    const t = testTimeOf.get(log.user[r]);
    if (t !== undefined && !(log.time[r] < t)) leaks++;
    if (split.cutoff !== null && !(log.time[r] < split.cutoff)) leaks++;
  }
  for (let j = 0; j < split.testUsers.length; j++) {
    for (let p = split.testOffsets[j]; p < split.testOffsets[j + 1]; p++) {
      const r = split.testRows[p];
      if (log.user[r] !== split.testUsers[j] || log.time[r] < split.testTime[j]) leaks++;
    }
  }
  expect(leaks).toBe(0);
}

// a, b, c, d; u3's two last items share one instant.
const small = () => logOf([
  ['u1', 'a', 1], ['u1', 'b', 2], ['u1', 'c', 10],
  ['u2', 'a', 1], ['u2', 'c', 2], ['u2', 'd', 10],
  ['u3', 'a', 1], ['u3', 'b', 2], ['u3', 'c', 3], ['u3', 'd', 10],
  ['u4', 'b', 5], ['u4', 'a', 5],
]);

describe('splits', () => {
  it('leave-last-out holds out every row at the last instant and trains on strictly earlier rows', () => {
    const log = logOf([['u', 'a', 1], ['u', 'b', 5], ['u', 'c', 5], ['v', 'a', 3], ['v', 'b', 4], ['w', 'a', 2], ['w', 'c', 2]]);
    const s = splitLeaveLastOut(log);
    expect([...s.testUsers].map((u) => log.users[u])).toEqual(['u', 'v']);
    expect([...s.testRows].map((r) => log.items[log.item[r]])).toEqual(['b', 'c', 'b']);
    // w's two rows share one instant: no history to learn from, so w is not evaluated and its rows train.
    expect(s.trainRows.length).toBe(4);
    expectNoLeak(log, s);
  });

  it('temporal split: train strictly before the cut-off; users without history are cold', () => {
    const log = small();
    const s = splitTemporal(log, { cutoff: 10 });
    expect(s.trainRows.length).toBe(9);
    expect(s.testRows.length).toBe(3);
    expect(s.coldTestUsers).toBe(0);
    expectNoLeak(log, s);
  });

  it('refuses an empty split and says why', () => {
    const log = logOf([['u', 'a', 1], ['v', 'b', 1]]);
    expect(() => splitLeaveLastOut(log)).toThrow(RecsError);
    expect(() => splitLeaveLastOut(log)).toThrow(/EMPTY_SPLIT: .*two or more distinct timestamps/);
    expect(() => splitTemporal(logOf([['u', 'a', null], ['v', 'b', null]]))).toThrow(/NO_TIMESTAMPS/);
  });

  it('no leakage on the real clickstream and on UCI invoices', async () => {
    for (const folder of ['taobao-userbehavior', 'uci-online-retail']) {
      const { engine, inventory } = await loadShared(folder);
      try {
        const d = detectInteractions(inventory);
        if (!d.ok) throw new Error(d.message);
        const { log } = await loadInteractions(engine, d.spec, inventory);
        const loo = splitLeaveLastOut(log);
        const tmp = splitTemporal(log);
        expectNoLeak(log, loo);
        expectNoLeak(log, tmp);
        expect(loo.trainRows.length + loo.testRows.length + loo.untimedRows).toBe(log.user.length);
      } finally {
        engine.close();
      }
    }
  });
});

describe('models and metrics', () => {
  it('popularity: Recall, NDCG, MAP, coverage and popularity bias by hand', () => {
    const log = small();
    const ev = evaluateSplit(log, splitLeaveLastOut(log), { models: ['popularity'], ks: [5], bootstrap: 50 });
    // Train popularity a 4, b 3, c 2, d 0. u1 sees [c, d] (c hit at 1), u2 [b, d] (d hit at 2),
    // u3 [d] (hit at 1); u4 bought a and b together, so has no earlier history and is not evaluated.
    expect(ev.evaluatedUsers).toBe(3);
    const m = ev.models[0].metrics![0];
    expect(m.recall).toEqual({ mean: 1, low: 1, high: 1 });
    expect(m.ndcg.mean).toBeCloseTo((1 + 1 / Math.log2(3) + 1) / 3, 12);
    expect(m.map.mean).toBeCloseTo((1 + 0.5 + 1) / 3, 12);
    // Recommended b, c, d; of the training catalogue {a, b, c} that covers b and c.
    expect(m.coverage).toBeCloseTo(2 / 3, 12);
    // Recs' popularity (c 2, d 0, b 3, d 0, d 0) = 5 over 5 recs, over the catalogue mean 9/3.
    expect(m.popularityBias).toBeCloseTo(1 / 3, 12);
  });

  it('item-kNN similarity is shrunk cosine on co-occurrence', () => {
    const log = small();
    const all = Int32Array.from(log.user.keys());
    const m = buildTrainMatrix(log, all);
    const nb = computeItemNeighbours(m, { shrink: 10 });
    const [a, b] = [log.items.indexOf('a'), log.items.indexOf('b')];
    const pos = [...nb.items.subarray(nb.offsets[a], nb.offsets[a + 1])].indexOf(b);
    // a: u1 u2 u3 u4; b: u1 u3 u4 → co 3, sim = 3 / (√(4·3) + 10).
    expect(nb.sims[nb.offsets[a] + pos]).toBeCloseTo(3 / (Math.sqrt(12) + 10), 6);
  });

  it('EASE: exact inverse, trained under the limit, refused with the reason above it', () => {
    const g = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const inv = Float64Array.from(g);
    invertSpdInPlace(inv, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += g[i * 3 + k] * inv[k * 3 + j];
      expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
    }
    const log = small();
    const m = buildTrainMatrix(log, splitLeaveLastOut(log).trainRows);
    expect(trainEase(m, { lambda: 1 }).ok).toBe(true);
    expect(trainEase(m, { maxItems: 3 })).toMatchObject({ ok: false, reason: expect.stringMatching(/4 items > 3; its dense 4×4 matrices/) });
  });

  it('bootstrap intervals are seeded and bracket the mean', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const a = bootstrapMean(v, 200, 9);
    expect(a).toEqual(bootstrapMean(v, 200, 9));
    expect(a.mean).toBe(0.25);
    expect(a.low).toBeLessThan(0.25);
    expect(a.high).toBeGreaterThan(0.25);
  });
});

describe('cleaning comparison', () => {
  it('removes exactly the planted duplicates, robot and orphan, and evaluates both sides', () => {
    const log = buildPlantedLog();
    const c = compareCleaning(log, { seed: 1, bootstrap: 50 });
    expect(c.cleaning).toEqual({
      duplicateRows: DUPLICATES.reduce((n, d) => n + d.times, 0),
      robotUsers: ['bot'],
      robotRows: ROBOT_EVENTS,
      orphanRows: 1,
      rowsBefore: log.user.length,
      rowsAfter: log.user.length - 3 - ROBOT_EVENTS - 1,
    });
    const loo = (side: typeof c.before) => side.results.find((r) => r.split === 'leave-last-out')!;
    expect(loo(c.before).models.map((m) => m.model)).toEqual(['popularity', 'item-knn', 'ease']);
    // The robot is an evaluated user before cleaning and gone after.
    expect(loo(c.before).evaluatedUsers + loo(c.before).usersSkipped).toBe(PEOPLE + 1);
    expect(loo(c.after).evaluatedUsers + loo(c.after).usersSkipped).toBe(PEOPLE);
  });
});
