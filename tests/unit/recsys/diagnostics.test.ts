// Diagnostics on planted logs (exact expectations) and on the real clickstream.
import { describe, expect, it } from 'vitest';
import { computeGini, computeKCore, diagnoseInteractions, findSuspiciousUsers } from '../../../src/core/recsys/diagnostics.ts';
import { buildPlantedLog, ROBOT_EVENTS } from './planted.ts';
import { logOf } from './helpers.ts';
import { detectInteractions, loadInteractions } from '../../../src/core/recsys/detect-interactions.ts';
import { loadShared } from './helpers.ts';

describe('diagnostics on planted logs', () => {
  it('size, density, cold start and k-core of a hand-made log', () => {
    // A and B share items 1 and 2; C alone has item 3.
    const log = logOf([['A', '1', 1], ['A', '2', 2], ['B', '1', 3], ['B', '2', 4], ['C', '3', 5]]);
    const d = diagnoseInteractions(log, { coldK: 2, nowSeconds: 100 });
    expect(d.size).toMatchObject({ users: 3, items: 3, interactions: 5, distinctPairs: 5, density: 5 / 9 });
    expect(d.coldStart).toEqual({ k: 2, users: 1, items: 1, userShare: 1 / 3, itemShare: 1 / 3 });
    expect(d.kCore).toEqual([
      { k: 2, users: 2, items: 2, interactions: 4, droppedUsers: 1, droppedItems: 1, droppedInteractions: 1 },
      { k: 5, users: 0, items: 0, interactions: 0, droppedUsers: 3, droppedItems: 3, droppedInteractions: 5 },
      { k: 10, users: 0, items: 0, interactions: 0, droppedUsers: 3, droppedItems: 3, droppedInteractions: 5 },
    ]);
    expect(d.perUser).toMatchObject({ edges: [1, 2, 4], counts: [1, 2], min: 1, median: 2, max: 2 });
    // Items 1 and 2 hold 4 of 5 interactions (≥ 80%): the tail is item 3, one of three items.
    expect(d.popularity.longTailItemShare).toBeCloseTo(1 / 3, 12);
  });

  it('k-core iterates: dropping a user can push an item under k', () => {
    // X holds item 9 together with Y; Y has only that one interaction, so at k = 2 Y goes, then 9 goes.
    const log = logOf([['X', '9', 1], ['X', '8', 2], ['Y', '9', 3], ['Z', '8', 4], ['Z', '7', 5], ['X', '7', 6]]);
    expect(computeKCore(log, 2)).toEqual({ users: 2, items: 2, interactions: 4 });
  });

  it('Gini of item popularity', () => {
    expect(computeGini(Int32Array.from([1, 1, 1, 1]))).toBe(0);
    // Sorted [1, 3]: 2·(1·1 + 2·3) / (2·4) − 3/2 = 0.25.
    expect(computeGini(Int32Array.from([3, 1]))).toBeCloseTo(0.25, 12);
  });

  it('time: nulls, future and before-start timestamps, per-day counts', () => {
    const day = 86_400;
    const base = 1_600_000_000 - (1_600_000_000 % day);
    const log = logOf([
      ['A', '1', base], ['A', '2', base + 10], ['B', '1', base + 2 * day], ['B', '2', null],
      ['C', '1', 0], ['C', '2', base + 400 * day],
    ]);
    const d = diagnoseInteractions(log, { nowSeconds: base + 3 * day });
    expect(d.time).toMatchObject({ timed: 5, nullTime: 1, future: 1, beforeStart: 1, emptyDays: 1 });
    expect(d.time.perDay).toEqual({ startDay: base / day, counts: [2, 0, 1] });
    expect(d.time.largestGaps[0]).toEqual({ from: base + 10, to: base + 2 * day, seconds: 2 * day - 10 });
  });

  it('finds exactly the planted duplicates, the robot and only them', () => {
    const log = buildPlantedLog();
    const d = diagnoseInteractions(log, { nowSeconds: 2e9 });
    // p0's first event copied twice, p1's once: 3 extra rows in 2 groups.
    expect(d.duplicates).toMatchObject({ rows: 3, groups: 2 });
    expect(d.suspicious.users.map((u) => u.user)).toEqual(['bot']);
    const bot = d.suspicious.users[0];
    expect(bot).toMatchObject({ interactions: ROBOT_EVENTS, maxBurst: 6, gapCv: 0, reasons: ['burst', 'regular'] });
    expect(d.suspicious.thresholds.z).toBe(3.5);
    // A stricter threshold still catches the clockwork robot; regularity alone with a huge burst window.
    expect(findSuspiciousUsers(log, { burstWindowSeconds: 1 }).users.map((u) => [u.user, u.reasons])).toEqual([['bot', ['regular']]]);
  });
});

describe('diagnostics on the real clickstream', () => {
  it('taobao: one timestamp months before the window, no duplicates, events by type add up', async () => {
    const { engine, inventory } = await loadShared('taobao-userbehavior');
    try {
      const d0 = detectInteractions(inventory);
      if (!d0.ok) throw new Error(d0.message);
      const { log } = await loadInteractions(engine, d0.spec, inventory);
      const d = diagnoseInteractions(log, { nowSeconds: Date.parse('2024-01-01') / 1000 });
      const [truth] = await engine.query<{ early: number; pv: number; dups: number }>(
        `SELECT count(*) FILTER (WHERE column4 < ${d.time.startSeconds}) AS early, count(*) FILTER (WHERE column3 = 'pv') AS pv,
                count(*) - count(DISTINCT (column0, column1, column3, column4)) AS dups FROM ${inventory.tables[0].name}`,
      );
      expect(d.time.beforeStart).toBe(truth.early);
      expect(d.time.beforeStart).toBe(1); // 2017-09-11, while the rest is late November 2017
      expect(d.size.events.pv).toBe(truth.pv);
      expect(d.duplicates.rows).toBe(truth.dups);
      expect(Object.values(d.size.events).reduce((a, b) => a + b, 0)).toBe(log.user.length);
    } finally {
      engine.close();
    }
  });
});
