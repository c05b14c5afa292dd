// Catalog search over an Olist-shaped import: table names, column names, semantic types (code and
// translated label) and PII kinds.
import { describe, expect, it } from 'vitest';
import type { ColumnProfile, PiiFinding, SemanticType, TableProfile } from '../../../src/core/types.ts';
import { formatMessage } from '../../../src/i18n/translate.ts';
import { searchCatalog, splitTerms } from '../../../src/features/catalog/search-catalog.ts';

function table(name: string): TableProfile {
  return {
    importId: 'imp', name, file: `olist/${name}.csv`, format: 'csv', encoding: 'utf-8', bytes: 1000, rowCount: 10,
    columnCount: 0, loadPath: 'memory', keyCandidates: [], issues: [], duplicateRows: 0,
  };
}

function column(tbl: string, index: number, name: string, semanticType: SemanticType, pii: PiiFinding['kind'] | null = null): ColumnProfile {
  return {
    importId: 'imp', table: tbl, name, index, engineType: 'VARCHAR', physicalType: 'varchar', semanticType, semanticReason: '',
    rowCount: 10, nullCount: 0, emptyCount: 0, placeholders: [], distinct: 10, isUnique: false, min: null, max: null, mean: null,
    std: null, quantiles: null, histogram: null, topValues: [], length: null, patterns: [], samples: [],
    pii: pii ? { kind: pii, confidence: 0.9, reason: 'r', matched: 9, sampled: 10 } : null,
  };
}

const tables = ['olist_customers_dataset', 'olist_orders_dataset', 'olist_sellers_dataset', 'olist_products_dataset'].map(table);
const columns = [
  column('olist_customers_dataset', 0, 'customer_id', 'id'),
  column('olist_customers_dataset', 1, 'customer_zip_code_prefix', 'zip'),
  column('olist_customers_dataset', 2, 'customer_city', 'city', 'address'),
  column('olist_orders_dataset', 0, 'order_id', 'id'),
  column('olist_orders_dataset', 1, 'customer_id', 'id'),
  column('olist_orders_dataset', 2, 'order_purchase_timestamp', 'timestamp'),
  column('olist_sellers_dataset', 0, 'seller_id', 'id'),
  column('olist_sellers_dataset', 1, 'seller_zip_code_prefix', 'zip'),
  column('olist_products_dataset', 0, 'product_id', 'id'),
  column('olist_products_dataset', 1, 'product_weight_g', 'measure'),
];
const labelsIn = (locale: 'en' | 'zh') => ({
  semantic: (s: SemanticType) => formatMessage(locale, `semantic.${s}`),
  pii: (k: PiiFinding['kind']) => formatMessage(locale, `pii.${k}`),
});
const names = (q: string, locale: 'en' | 'zh' = 'en') => searchCatalog(q, tables, columns, labelsIn(locale)).map((m) => m.table.name);

describe('searchCatalog', () => {
  it('returns every table, unmarked, for an empty query', () => {
    const all = searchCatalog('  ', tables, columns);
    expect(all.map((m) => m.table.name)).toEqual(tables.map((t) => t.name));
    expect(all.every((m) => !m.byName && m.columns.length === 0)).toBe(true);
  });

  it('matches table names and column names', () => {
    expect(names('orders')).toEqual(['olist_orders_dataset']);
    const m = searchCatalog('customer_id', tables, columns);
    expect(m.map((x) => x.table.name)).toEqual(['olist_customers_dataset', 'olist_orders_dataset']);
    expect(m[1].columns.map((c) => [c.column.name, c.via])).toEqual([['customer_id', ['name']]]);
  });

  it('matches semantic types by code and by translated label', () => {
    expect(names('zip')).toEqual(['olist_customers_dataset', 'olist_sellers_dataset']);
    expect(names('postal code')).toEqual(['olist_customers_dataset', 'olist_sellers_dataset']);
    expect(names('邮政编码', 'zh')).toEqual(['olist_customers_dataset', 'olist_sellers_dataset']);
    expect(names('timestamp')).toEqual(['olist_orders_dataset']);
  });

  it('matches PII kinds, and “pii” finds every table holding personal data', () => {
    expect(names('pii')).toEqual(['olist_customers_dataset']);
    const m = searchCatalog('street address', tables, columns, labelsIn('en'));
    expect(m.map((x) => x.table.name)).toEqual(['olist_customers_dataset']);
    expect(m[0].columns[0]).toMatchObject({ column: { name: 'customer_city' }, via: ['pii'] });
  });

  it('needs every term to match somewhere in the table', () => {
    expect(names('seller zip')).toEqual(['olist_sellers_dataset']);
    expect(names('product nothing-like-this')).toEqual([]);
  });

  it('splits terms case-insensitively', () => {
    expect(splitTerms('  Order  ID ')).toEqual(['order', 'id']);
  });
});
