// Hash routes parse into typed routes and back, for any table or column name.
import { describe, expect, it } from 'vitest';
import { hrefFor, importIdOf, parseRoute, sectionOf, type Route } from '../../../src/state/route.ts';

describe('routes', () => {
  it('parses every view', () => {
    expect(parseRoute('')).toEqual({ view: 'home' });
    expect(parseRoute('#/')).toEqual({ view: 'home' });
    expect(parseRoute('#/import/abc')).toEqual({ view: 'catalog', importId: 'abc' });
    expect(parseRoute('#/import/abc/table/orders')).toEqual({ view: 'table', importId: 'abc', table: 'orders' });
    expect(parseRoute('#/import/abc/table/orders/column/order_id')).toEqual({
      view: 'column',
      importId: 'abc',
      table: 'orders',
      column: 'order_id',
    });
    expect(parseRoute('#/import/abc/relations')).toEqual({ view: 'relations', importId: 'abc' });
    expect(parseRoute('#/import/abc/monitor')).toEqual({ view: 'monitor', importId: 'abc' });
    expect(parseRoute('#/import/abc/monitor/alerts')).toEqual({ view: 'alerts', importId: 'abc' });
    expect(hrefFor({ view: 'alerts', importId: 'a b' })).toBe('#/import/a%20b/monitor/alerts');
    expect(sectionOf({ view: 'alerts', importId: 'abc' })).toBe('monitor');
    expect(parseRoute('#/import/abc/quality')).toEqual({ view: 'quality', importId: 'abc' });
    expect(hrefFor({ view: 'quality', importId: 'a b' })).toBe('#/import/a%20b/quality');
    expect(sectionOf({ view: 'quality', importId: 'abc' })).toBe('quality');
    expect(parseRoute('#/nowhere')).toEqual({ view: 'not-found', path: '/nowhere' });
    expect(parseRoute('#/import/abc/table')).toEqual({ view: 'not-found', path: '/import/abc/table' });
  });

  it('round-trips names with slashes, spaces, CJK and percent signs', () => {
    const routes: Route[] = [
      { view: 'table', importId: '7f3c-uuid', table: 'sales 2024/Q1.sheet' },
      { view: 'column', importId: 'x', table: '订单 明细', column: 'price %' },
      { view: 'column', importId: 'x', table: 'a#b', column: '?q=1&r' },
      { view: 'relations', importId: 'x' },
      { view: 'home' },
    ];
    for (const r of routes) expect(parseRoute(hrefFor(r))).toEqual(r);
  });

  it('keeps a malformed escape literally', () => {
    expect(parseRoute('#/import/abc/table/100%')).toEqual({ view: 'table', importId: 'abc', table: '100%' });
  });

  it('names the import and section a route belongs to', () => {
    expect(importIdOf({ view: 'home' })).toBeNull();
    expect(importIdOf({ view: 'column', importId: 'i', table: 't', column: 'c' })).toBe('i');
    expect(sectionOf({ view: 'column', importId: 'i', table: 't', column: 'c' })).toBe('catalog');
    expect(sectionOf({ view: 'relations', importId: 'i' })).toBe('relations');
    expect(sectionOf({ view: 'home' })).toBeNull();
  });
});
