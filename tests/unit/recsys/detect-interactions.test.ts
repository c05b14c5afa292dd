// Interaction-table detection and loading on the real exports, and the typed refusals on bad input.
import { afterAll, describe, expect, it } from 'vitest';
import { detectInteractions, loadInteractions } from '../../../src/core/recsys/detect-interactions.ts';
import { RecsError } from '../../../src/core/recsys/interactions.ts';
import type { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadFiles, loadShared, SHARED_DATA } from './helpers.ts';

const engines: DuckDbNodeEngine[] = [];
afterAll(() => engines.forEach((e) => e.close()));

async function shared(folder: string) {
  const r = await loadShared(folder);
  engines.push(r.engine);
  return r;
}

async function files(f: Record<string, string>) {
  const r = await loadFiles(f);
  engines.push(r.engine);
  return r;
}

async function loadError(f: Record<string, string>): Promise<RecsError> {
  const { engine, inventory } = await files(f);
  const d = detectInteractions(inventory);
  if (!d.ok) throw new Error(`detection failed: ${d.message}`);
  const e = await loadInteractions(engine, d.spec, inventory).then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(RecsError);
  return e as RecsError;
}

describe('detectInteractions on real exports', () => {
  it('taobao UserBehavior (no header): user, item, behaviour and unix time by shape', async () => {
    const { engine, inventory } = await shared('taobao-userbehavior');
    const d = detectInteractions(inventory);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.spec).toMatchObject({
      user: { column: 'column0' }, item: { column: 'column1' }, time: { column: 'column4' },
      timeEncoding: 'epoch-seconds', event: { column: 'column3' }, joins: [],
    });
    const { log, report } = await loadInteractions(engine, d.spec, inventory);
    const [truth] = await engine.query<{ n: number; u: number; i: number }>(
      `SELECT count(*) n, count(DISTINCT column0) u, count(DISTINCT column1) i FROM read_csv('${SHARED_DATA}/taobao-userbehavior/UserBehavior_head.csv', header = false)`,
    );
    expect([log.user.length, log.users.length, log.items.length]).toEqual([truth.n, truth.u, truth.i]);
    expect(new Set(log.events)).toEqual(new Set(['pv', 'cart', 'fav', 'buy']));
    expect(report.nullTimeRows).toBe(0);
    expect(log.time[0]).toBe(1511544070);
  });

  it('UCI Online Retail: CustomerID × StockCode at InvoiceDate with Quantity; null customers dropped and counted', async () => {
    const { engine, inventory } = await shared('uci-online-retail');
    const d = detectInteractions(inventory);
    if (!d.ok) throw new Error(d.message);
    expect(d.spec).toMatchObject({ user: { column: 'CustomerID' }, item: { column: 'StockCode' }, time: { column: 'InvoiceDate' }, quantity: { column: 'Quantity' }, timeEncoding: 'timestamp' });
    const { log, report } = await loadInteractions(engine, d.spec, inventory);
    const [truth] = await engine.query<{ nulls: number; kept: number; u: number; i: number }>(
      `SELECT count(*) FILTER (WHERE CustomerID IS NULL) AS nulls, count(CustomerID) AS kept, count(DISTINCT CustomerID) u, count(DISTINCT StockCode) FILTER (WHERE CustomerID IS NOT NULL) i
       FROM read_csv('${SHARED_DATA}/uci-online-retail/OnlineRetail_head10k.csv', header = true)`,
    );
    expect(report.nullUserRows).toBe(truth.nulls);
    expect([log.user.length, log.users.length, log.items.length]).toEqual([truth.kept, truth.u, truth.i]);
    // CustomerID is read as DOUBLE (17850.0): ids are written as integers.
    expect(log.users[0]).toBe('17850');
  });

  it('Olist: order items joined to orders for time and to customers for the person key', async () => {
    const { engine, inventory } = await shared('olist');
    const d = detectInteractions(inventory);
    if (!d.ok) throw new Error(d.message);
    expect(d.spec.factTable).toBe('olist_order_items_dataset');
    expect(d.spec.item).toEqual({ table: 'olist_order_items_dataset', column: 'product_id' });
    expect(d.spec.user).toEqual({ table: 'olist_customers_dataset', column: 'customer_unique_id' });
    expect(d.spec.time).toEqual({ table: 'olist_orders_dataset', column: 'order_purchase_timestamp' });
    expect(d.spec.joins.map((j) => `${j.fromTable}.${j.fromColumn}->${j.toTable}.${j.toColumn}`)).toEqual([
      'olist_order_items_dataset.order_id->olist_orders_dataset.order_id',
      'olist_orders_dataset.customer_id->olist_customers_dataset.customer_id',
    ]);
    expect(d.spec.itemParent).toEqual({ table: 'olist_products_dataset', column: 'product_id' });
    expect(d.spec.reasons.join(' ')).toMatch(/customer_unique_id .* rather than olist_orders_dataset\.customer_id .*one per order/);
    const { log, report } = await loadInteractions(engine, d.spec, inventory);
    const [truth] = await engine.query<{ n: number; u: number }>(
      `SELECT count(*) n, count(DISTINCT c.customer_unique_id) u FROM olist_order_items_dataset i
       JOIN olist_orders_dataset o USING (order_id) JOIN olist_customers_dataset c USING (customer_id)`,
    );
    expect([log.user.length, log.users.length]).toEqual([truth.n, truth.u]);
    // The Olist copy is a consistent subset: any orphan would be a bug.
    expect([report.itemOrphanRows, report.userOrphanRows, report.nullUserRows]).toEqual([0, 0, 0]);
  });
});

describe('bad input', () => {
  it('no user column: says what was looked for', async () => {
    const { inventory } = await files({ 'reviews.csv': 'product_id,comment\nA,x\nA,y\nB,z\n' });
    const d = detectInteractions(inventory);
    expect(d).toMatchObject({ ok: false, code: 'NO_USER_COLUMN' });
    if (!d.ok) expect(d.lookedFor.join(' ')).toMatch(/customer/);
  });

  it('no item column', async () => {
    const { inventory } = await files({ 'pay.csv': 'customer_id,amount\n1,2\n1,3\n2,4\n' });
    expect(detectInteractions(inventory)).toMatchObject({ ok: false, code: 'NO_ITEM_COLUMN' });
  });

  it('a single user or a single item', async () => {
    const ts = ['2020-01-01 00:00:00', '2020-01-02 00:00:00', '2020-01-03 00:00:00'];
    expect((await loadError({ 'ev.csv': `user_id,item_id,ts\n1,10,${ts[0]}\n1,11,${ts[1]}\n1,10,${ts[2]}\n` })).reason).toBe('SINGLE_USER');
    expect((await loadError({ 'ev.csv': `user_id,item_id,ts\n1,10,${ts[0]}\n2,10,${ts[1]}\n1,10,${ts[2]}\n` })).reason).toBe('SINGLE_ITEM');
  });

  it('all timestamps null', async () => {
    const e = await loadError({ 'ev.csv': 'user_id,item_id,event_time\n1,10,\n2,11,\n1,11,\n' });
    expect(e.reason).toBe('NO_TIMESTAMPS');
    expect(e.message).toMatch(/event_time is null .* all 3 interactions/);
  });

  it('item ids of mixed types: one number written as text and as a number ("123", 123.0, 0123)', async () => {
    const csv = 'user_id,item_id,ts\n1,123,2020-01-01 00:00:00\n2,123.0,2020-01-02 00:00:00\n2,A7,2020-01-03 00:00:00\n3,0123,2020-01-04 00:00:00\n3,A7,2020-01-05 00:00:00\n';
    const e = await loadError({ 'ev.csv': csv });
    expect(e.reason).toBe('MIXED_ITEM_IDS');
    expect(e.code).toBe('BAD_ARGUMENT');
    expect(e.message).toContain('"0123" vs "123" vs "123.0"');
  });

  it('item ids of mixed JSON types ("123" and 123) are refused or, once ingest made them one text, seen as one id', async () => {
    const rows = [['1', '"123"'], ['2', '123'], ['2', '"abc"'], ['1', '"abc"']].map(([u, i]) => `{"user_id":${u},"item_id":${i},"ts":"2020-01-0${u} 00:00:00"}`);
    const { engine, inventory } = await files({ 'ev.jsonl': rows.join('\n') + '\n' });
    const d = detectInteractions(inventory);
    if (!d.ok) throw new Error(d.message);
    const typed = inventory.columns.find((c) => c.name === 'item_id')!.engineType === 'JSON';
    const r = await loadInteractions(engine, d.spec, inventory).then((x) => x.log.items.slice().sort(), (x: unknown) => x);
    if (typed) expect((r as RecsError).reason).toBe('MIXED_ITEM_IDS');
    else expect(r).toEqual(['123', 'abc']);
  });
});
