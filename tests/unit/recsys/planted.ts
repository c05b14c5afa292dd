// A seeded planted interaction log: 20 people with irregular (exponential) gaps, one clockwork robot,
// exact duplicate events and one item-orphan row; the planted defects are the tests' expected answers.
import { buildInteractionLog, type InteractionLog, type RawInteraction } from '../../../src/core/recsys/interactions.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

export const T0 = 1_700_000_000;
export const PEOPLE = 20;
export const EVENTS_PER_PERSON = 12;
export const ROBOT_EVENTS = 30;
/** Rows appended as exact copies (same user, item, event, second; fractions differ). */
export const DUPLICATES = [
  { of: 'p0', times: 2 },
  { of: 'p1', times: 1 },
];

export function buildPlantedRows(): RawInteraction[] {
  const rand = mulberry32(7);
  const rows: RawInteraction[] = [];
  for (let p = 0; p < PEOPLE; p++) {
    let t = T0 + Math.floor(rand() * 3600);
    for (let e = 0; e < EVENTS_PER_PERSON; e++) {
      // Exponential gaps, mean 2 hours: people are irregular (gap CV ≈ 1).
      t += Math.max(1, Math.round(-Math.log(1 - rand()) * 7200));
      const item = `i${Math.floor(rand() ** 2 * 40)}`;
      rows.push({ user: `p${p}`, item, time: t, event: 'pv' });
    }
  }
  for (let e = 0; e < ROBOT_EVENTS; e++) rows.push({ user: 'bot', item: `i${e % 40}`, time: T0 + 10 * e, event: 'pv' });
  for (const d of DUPLICATES) {
    const first = rows.find((r) => r.user === d.of)!;
    for (let k = 0; k < d.times; k++) rows.push({ ...first, time: first.time! + 0.25 * (k + 1) });
  }
  rows.push({ user: 'p2', item: 'ghost', time: T0 + 99, event: 'pv', orphanItem: true });
  return rows;
}

export function buildPlantedLog(): InteractionLog {
  return buildInteractionLog(buildPlantedRows());
}
