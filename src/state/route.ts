// Hash routes of the app: parsing `#/import/<id>/table/<name>` into a typed route and back.
// Pure, so the mapping is tested in Node; router.svelte.ts wires it to `location.hash`.

/** Sections of one import shown in the nav bar. Later views get added here and to parseRoute. */
export type ImportSection = 'catalog' | 'relations' | 'quality' | 'tagging' | 'models' | 'graph' | 'monitor' | 'recs' | 'features' | 'runs' | 'share';

/** Sections the app can show today, in nav order; the rest are reserved for later views. */
export const AVAILABLE_SECTIONS: readonly ImportSection[] = ['catalog', 'relations', 'quality', 'tagging', 'models', 'graph', 'monitor', 'recs', 'features', 'runs', 'share'];
export const PLANNED_SECTIONS: readonly ImportSection[] = [];

export type Route =
  | { view: 'home' }
  | { view: 'catalog'; importId: string }
  | { view: 'table'; importId: string; table: string }
  | { view: 'column'; importId: string; table: string; column: string }
  | { view: 'relations'; importId: string }
  | { view: 'quality'; importId: string }
  | { view: 'tagging'; importId: string }
  | { view: 'models'; importId: string }
  | { view: 'monitor'; importId: string }
  | { view: 'alerts'; importId: string }
  | { view: 'graph'; importId: string }
  | { view: 'recs'; importId: string }
  | { view: 'features'; importId: string }
  | { view: 'runs'; importId: string }
  | { view: 'share'; importId: string }
  | { view: 'planned'; importId: string; section: ImportSection }
  | { view: 'not-found'; path: string };

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a hand-typed `%` that is not an escape: keep it literally
  }
}

/** Parses a location hash (`#/import/abc/table/orders`) into a route. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const parts = path.split('/').filter((p) => p !== '').map(decode);
  if (parts.length === 0) return { view: 'home' };
  if (parts[0] !== 'import' || parts.length < 2) return { view: 'not-found', path };
  const importId = parts[1];
  const rest = parts.slice(2);
  if (rest.length === 0) return { view: 'catalog', importId };
  if (rest[0] === 'table' && rest.length === 2) return { view: 'table', importId, table: rest[1] };
  if (rest[0] === 'table' && rest.length === 4 && rest[2] === 'column') {
    return { view: 'column', importId, table: rest[1], column: rest[3] };
  }
  if (rest.length === 1 && rest[0] === 'relations') return { view: 'relations', importId };
  if (rest.length === 1 && rest[0] === 'quality') return { view: 'quality', importId };
  if (rest.length === 1 && (rest[0] === 'tagging' || rest[0] === 'models')) return { view: rest[0], importId };
  if (rest.length === 1 && rest[0] === 'monitor') return { view: 'monitor', importId };
  if (rest.length === 1 && rest[0] === 'graph') return { view: 'graph', importId };
  if (rest.length === 2 && rest[0] === 'monitor' && rest[1] === 'alerts') return { view: 'alerts', importId };
  if (rest.length === 1 && rest[0] === 'recs') return { view: 'recs', importId };
  if (rest.length === 1 && rest[0] === 'features') return { view: 'features', importId };
  if (rest.length === 1 && rest[0] === 'runs') return { view: 'runs', importId };
  if (rest.length === 1 && rest[0] === 'share') return { view: 'share', importId };
  if (rest.length === 1 && (PLANNED_SECTIONS as readonly string[]).includes(rest[0])) {
    return { view: 'planned', importId, section: rest[0] as ImportSection };
  }
  return { view: 'not-found', path };
}

/** The hash (with `#`) of a route; names are URI-encoded so any table or column name round-trips. */
export function hrefFor(route: Route): string {
  const e = encodeURIComponent;
  switch (route.view) {
    case 'home':
      return '#/';
    case 'catalog':
      return `#/import/${e(route.importId)}`;
    case 'table':
      return `#/import/${e(route.importId)}/table/${e(route.table)}`;
    case 'column':
      return `#/import/${e(route.importId)}/table/${e(route.table)}/column/${e(route.column)}`;
    case 'relations':
      return `#/import/${e(route.importId)}/relations`;
    case 'quality':
      return `#/import/${e(route.importId)}/quality`;
    case 'tagging':
    case 'models':
      return `#/import/${e(route.importId)}/${route.view}`;
    case 'monitor':
      return `#/import/${e(route.importId)}/monitor`;
    case 'alerts':
      return `#/import/${e(route.importId)}/monitor/alerts`;
    case 'graph':
      return `#/import/${e(route.importId)}/graph`;
    case 'recs':
      return `#/import/${e(route.importId)}/recs`;
    case 'features':
      return `#/import/${e(route.importId)}/features`;
    case 'runs':
      return `#/import/${e(route.importId)}/runs`;
    case 'share':
      return `#/import/${e(route.importId)}/share`;
    case 'planned':
      return `#/import/${e(route.importId)}/${route.section}`;
    case 'not-found':
      return `#${route.path}`;
  }
}

/** Link to a section of an import. */
export function sectionHref(importId: string, section: ImportSection): string {
  if (section === 'catalog') return hrefFor({ view: 'catalog', importId });
  if (section === 'relations') return hrefFor({ view: 'relations', importId });
  if (section === 'quality') return hrefFor({ view: 'quality', importId });
  if (section === 'tagging' || section === 'models') return hrefFor({ view: section, importId });
  if (section === 'monitor') return hrefFor({ view: 'monitor', importId });
  if (section === 'graph') return hrefFor({ view: 'graph', importId });
  if (section === 'recs') return hrefFor({ view: 'recs', importId });
  if (section === 'features') return hrefFor({ view: 'features', importId });
  if (section === 'runs') return hrefFor({ view: 'runs', importId });
  if (section === 'share') return hrefFor({ view: 'share', importId });
  return hrefFor({ view: 'planned', importId, section });
}

/** The import a route is about, if any (drives the nav bar and the catalog state). */
export function importIdOf(route: Route): string | null {
  return 'importId' in route ? route.importId : null;
}

/** The section a route belongs to, for highlighting the nav bar. */
export function sectionOf(route: Route): ImportSection | null {
  switch (route.view) {
    case 'catalog':
    case 'table':
    case 'column':
      return 'catalog';
    case 'relations':
      return 'relations';
    case 'quality':
      return 'quality';
    case 'tagging':
    case 'models':
      return route.view;
    case 'monitor':
    case 'alerts':
      return 'monitor';
    case 'graph':
      return 'graph';
    case 'recs':
      return 'recs';
    case 'features':
      return 'features';
    case 'runs':
      return 'runs';
    case 'share':
      return 'share';
    case 'planned':
      return route.section;
    default:
      return null;
  }
}
