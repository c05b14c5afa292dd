// Train/test splits of an interaction log that never let training see the future: leave-last-out per
// user and a global temporal cut-off. Rows without a timestamp are left out of both.
import type { InteractionLog } from './interactions.ts';
import { RecsError, sortByUserTime } from './interactions.ts';

export type SplitKind = 'leave-last-out' | 'temporal';

/**
 * A split as row indices into the log. Test rows are grouped per evaluated user (CSR): user
 * `testUsers[j]`'s test rows are `testRows[testOffsets[j] .. testOffsets[j+1])`. `testTime[j]` is the
 * instant from which that user's rows are test: every training row of that user is strictly earlier.
 */
export interface Split {
  kind: SplitKind;
  trainRows: Int32Array;
  testUsers: Int32Array;
  testOffsets: Int32Array;
  testRows: Int32Array;
  testTime: Float64Array;
  /** Global cut-off (temporal split only). */
  cutoff: number | null;
  /** Users with test rows but no training history (temporal split), left out of evaluation. */
  coldTestUsers: number;
  untimedRows: number;
}

function buildSplit(kind: SplitKind, trainRows: number[], groups: { user: number; rows: number[]; time: number }[], cutoff: number | null, coldTestUsers: number, untimedRows: number): Split {
  const testOffsets = new Int32Array(groups.length + 1);
  const testRows: number[] = [];
  groups.forEach((g, j) => {
    testRows.push(...g.rows);
    testOffsets[j + 1] = testRows.length;
  });
  return {
    kind,
    trainRows: Int32Array.from(trainRows),
    testUsers: Int32Array.from(groups.map((g) => g.user)),
    testOffsets,
    testRows: Int32Array.from(testRows),
    testTime: Float64Array.from(groups.map((g) => g.time)),
    cutoff,
    coldTestUsers,
    untimedRows,
  };
}

function refuseEmpty(kind: SplitKind, split: Split, why: string): Split {
  if (split.trainRows.length === 0 || split.testUsers.length === 0) {
    throw new RecsError('EMPTY_SPLIT', `the ${kind} split has ${split.trainRows.length} training rows and ${split.testUsers.length} test users: ${why}`);
  }
  return split;
}

/**
 * Leave-last-out: each user's interactions at their latest timestamp are the test set (all of them, so
 * a basket bought at one instant is not half in training); everything strictly earlier trains. Users
 * whose interactions all share one instant have no history and are not evaluated (their rows train).
 */
export function splitLeaveLastOut(log: InteractionLog): Split {
  const order = sortByUserTime(log);
  const train: number[] = [];
  const groups: { user: number; rows: number[]; time: number }[] = [];
  let untimed = 0;
  let p = 0;
  while (p < order.length) {
    const u = log.user[order[p]];
    let end = p;
    while (end < order.length && log.user[order[end]] === u) end++;
    let lastTimed = end - 1;
    while (lastTimed >= p && Number.isNaN(log.time[order[lastTimed]])) lastTimed--;
    untimed += end - 1 - lastTimed;
    if (lastTimed >= p) {
      const tLast = log.time[order[lastTimed]];
      let firstTest = lastTimed;
      while (firstTest - 1 >= p && log.time[order[firstTest - 1]] === tLast) firstTest--;
      for (let q = p; q < firstTest; q++) train.push(order[q]);
      if (firstTest > p) {
        const rows: number[] = [];
        for (let q = firstTest; q <= lastTimed; q++) rows.push(order[q]);
        groups.push({ user: u, rows, time: tLast });
      } else for (let q = firstTest; q <= lastTimed; q++) train.push(order[q]);
    }
    p = end;
  }
  const split = buildSplit('leave-last-out', train, groups, null, 0, untimed);
  return refuseEmpty('leave-last-out', split, 'every user needs interactions at two or more distinct timestamps to hold one out.');
}

/**
 * Global temporal split: rows at or after the cut-off (the `testShare` quantile of timestamps, default
 * 0.2 of rows are test) are test, earlier rows train. Test users without training rows are cold and
 * counted, not evaluated.
 */
export function splitTemporal(log: InteractionLog, options: { testShare?: number; cutoff?: number } = {}): Split {
  const timed: number[] = [];
  let untimed = 0;
  for (let r = 0; r < log.time.length; r++) (Number.isNaN(log.time[r]) ? untimed++ : timed.push(log.time[r]));
  if (timed.length === 0) throw new RecsError('NO_TIMESTAMPS', 'a temporal split needs timestamps and none are set.');
  let cutoff = options.cutoff;
  if (cutoff === undefined) {
    const s = Float64Array.from(timed).sort();
    cutoff = s[Math.min(s.length - 1, Math.floor(s.length * (1 - (options.testShare ?? 0.2))))];
  }
  const train: number[] = [];
  const hasTrain = new Uint8Array(log.users.length);
  const testByUser = new Map<number, number[]>();
  for (let r = 0; r < log.time.length; r++) {
    const t = log.time[r];
    if (Number.isNaN(t)) continue;
    if (t < cutoff) {
      train.push(r);
      hasTrain[log.user[r]] = 1;
    } else {
      const list = testByUser.get(log.user[r]);
      if (list) list.push(r);
      else testByUser.set(log.user[r], [r]);
    }
  }
  let cold = 0;
  const groups: { user: number; rows: number[]; time: number }[] = [];
  for (const [user, rows] of [...testByUser].sort((a, b) => a[0] - b[0])) {
    if (hasTrain[user]) groups.push({ user, rows, time: cutoff });
    else cold++;
  }
  const split = buildSplit('temporal', train, groups, cutoff, cold, untimed);
  return refuseEmpty('temporal', split, `no user has interactions both before and at/after ${new Date(cutoff * 1000).toISOString()}.`);
}
