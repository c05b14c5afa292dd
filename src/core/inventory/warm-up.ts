// A small import run once while the engine starts (before the user's files arrive), so the engine's
// code for every step of a real import is compiled when the first real file comes: Chromium compiles
// wasm lazily, function by function, and each query shape paid for it on its first run. On the 1M-row
// benchmark file the sample-values query took 0.36 s cold and 0.07 s warm, the patterns 0.19 and 0.09 s;
// the older warm-up (one CSV read and one aggregate) only covered the load and the wide aggregate.
import { ident, type SqlEngine } from '../engine/sql-engine.ts';
import { sourceFromBytes, type SourceFile } from '../ingest/source.ts';
import type { Inventory } from '../types.ts';
import { mulberry32, randomInt } from '../util/random.ts';
import { profileTable } from '../profile/profile-table.ts';
import { buildInventory } from './build-inventory.ts';

const STATUSES = ['delivered', 'shipped', 'canceled', 'processing', 'N/A'];
const CITIES = ['São Paulo', 'Berlin', '北京', '上海', 'Lyon', 'unknown'];
const WORDS = ['cotton', 'shirt', 'red', 'lamp', '台灯', '手机', 'bag', 'steel'];

/** Two related tables (orders, their items) with the column kinds a profile meets: ids, text, dates, money, PII, placeholders, quoted commas. */
export function warmUpSources(seed = 7): SourceFile[] {
  const rand = mulberry32(seed);
  const orders = ['order_id,user_id,status,city,created_at,amount,email,phone,note,is_gift'];
  for (let i = 0; i < 3000; i++) {
    const day = String(1 + randomInt(rand, 28)).padStart(2, '0');
    orders.push(
      [
        `o${String(i).padStart(5, '0')}`,
        randomInt(rand, 900),
        STATUSES[randomInt(rand, STATUSES.length)],
        CITIES[randomInt(rand, CITIES.length)],
        `2024-03-${day} 1${randomInt(rand, 10)}:0${randomInt(rand, 10)}:00`,
        (rand() * 500).toFixed(2),
        `user${randomInt(rand, 900)}@example.com`,
        `13${String(randomInt(rand, 1e9)).padStart(9, '0')}`,
        rand() < 0.8 ? '' : `"note, ${WORDS[randomInt(rand, WORDS.length)]}"`,
        rand() < 0.1,
      ].join(','),
    );
  }
  const items = ['order_id,product_id,title,price,quantity,rating'];
  for (let i = 0; i < 30000; i++) {
    items.push(
      [
        `o${String(randomInt(rand, 3000)).padStart(5, '0')}`,
        `p${randomInt(rand, 400)}`,
        `"${WORDS[randomInt(rand, WORDS.length)]} ${WORDS[randomInt(rand, WORDS.length)]}, ${WORDS[randomInt(rand, WORDS.length)]}"`,
        (1 + rand() * 200).toFixed(2),
        1 + randomInt(rand, 5),
        rand() < 0.05 ? '' : 1 + randomInt(rand, 5),
      ].join(','),
    );
  }
  const encode = (lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');
  return [sourceFromBytes('stocktake_warmup_orders.csv', encode(orders)), sourceFromBytes('stocktake_warmup_items.csv', encode(items))];
}

/**
 * Profiles `loaded` (a larger table the engine already holds, so the profile's hot loops run long
 * enough to be optimised), then imports `warmUpSources()` through the real path (the items table
 * through the large-file parts path, with small parts) and drops its tables again, also when `signal`
 * stops it midway. Returns the inventory of the small import.
 */
export async function warmUpInventory(engine: SqlEngine, loaded?: string, signal?: AbortSignal): Promise<Inventory> {
  if (loaded) await profileTable(engine, loaded, { importId: 'warm-up', signal });
  const sources = warmUpSources();
  try {
    const { inventory } = await buildInventory(sources, engine, {
      importId: 'warm-up',
      signal,
      streamBytes: 64 * 1024,
      partBytes: 64 * 1024,
      groupBytes: 128 * 1024,
    });
    return inventory;
  } finally {
    for (const s of sources) await engine.query(`DROP TABLE IF EXISTS ${ident(s.path.replace(/\.csv$/, ''))}`);
  }
}
