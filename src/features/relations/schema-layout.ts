// A layered layout for the schema diagram: parent tables (referenced keys) to the left, each child one
// layer right of its deepest parent; arrows run from a child's FK column to the parent's key column.
import type { ForeignKey } from '../../core/types.ts';

export interface SchemaBox {
  table: string;
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Key and foreign-key columns shown in the box, in order. */
  columns: string[];
}

export interface SchemaEdge {
  fk: ForeignKey;
  /** SVG path from the child column to the parent column. */
  path: string;
}

export interface SchemaLayout {
  width: number;
  height: number;
  boxes: SchemaBox[];
  edges: SchemaEdge[];
}

export const BOX_WIDTH = 210;
export const HEADER_HEIGHT = 26;
export const ROW_HEIGHT = 20;
const GAP_X = 90;
const GAP_Y = 24;
const MARGIN = 12;

/** Layer of every table: 0 for tables referencing no other table, else 1 + the deepest parent's. */
export function assignLayers(tables: string[], fks: ForeignKey[]): Map<string, number> {
  const parents = new Map<string, string[]>();
  for (const t of tables) parents.set(t, []);
  for (const fk of fks) if (fk.fromTable !== fk.toTable) parents.get(fk.fromTable)?.push(fk.toTable);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (t: string): number => {
    const known = layer.get(t);
    if (known !== undefined) return known;
    if (visiting.has(t)) return -1; // a cycle: ignore this edge, so the layers stay packed from 0
    visiting.add(t);
    let l = 0;
    for (const p of parents.get(t) ?? []) l = Math.max(l, visit(p) + 1);
    visiting.delete(t);
    layer.set(t, l);
    return l;
  };
  for (const t of tables) visit(t);
  return layer;
}

/** Lays out the tables taking part in `fks` (sorted by name within a layer for stable pictures). */
export function layoutSchema(fks: ForeignKey[], primaryKeys: Record<string, string | undefined> = {}): SchemaLayout {
  const tables = [...new Set(fks.flatMap((fk) => [fk.fromTable, fk.toTable]))].sort();
  const layers = assignLayers(tables, fks);
  const columnsOf = new Map<string, string[]>();
  const addColumn = (table: string, col: string) => {
    const list = columnsOf.get(table) ?? [];
    if (!list.includes(col)) list.push(col);
    columnsOf.set(table, list);
  };
  for (const t of tables) if (primaryKeys[t]) addColumn(t, primaryKeys[t]!);
  for (const fk of fks) {
    addColumn(fk.toTable, fk.toColumn);
    addColumn(fk.fromTable, fk.fromColumn);
  }

  const byLayer = new Map<number, string[]>();
  for (const t of tables) {
    const l = layers.get(t)!;
    byLayer.set(l, [...(byLayer.get(l) ?? []), t]);
  }
  const boxes: SchemaBox[] = [];
  let height = 0;
  // Order each layer by the mean position of its tables' parents (barycenter) to cut crossings.
  const position = new Map<string, number>();
  for (const [l, unordered] of [...byLayer.entries()].sort((a, b) => a[0] - b[0])) {
    const names = l === 0 ? unordered : orderByParents(unordered, fks, position);
    names.forEach((name, i) => position.set(name, i));
    let y = MARGIN;
    for (const table of names) {
      const columns = columnsOf.get(table) ?? [];
      const h = HEADER_HEIGHT + ROW_HEIGHT * columns.length + 6;
      boxes.push({ table, layer: l, x: MARGIN + l * (BOX_WIDTH + GAP_X), y, width: BOX_WIDTH, height: h, columns });
      y += h + GAP_Y;
    }
    height = Math.max(height, y - GAP_Y + MARGIN);
  }
  const layerCount = byLayer.size === 0 ? 0 : Math.max(...byLayer.keys()) + 1;
  const width = layerCount === 0 ? 0 : MARGIN * 2 + layerCount * BOX_WIDTH + (layerCount - 1) * GAP_X;

  const boxOf = new Map(boxes.map((b) => [b.table, b]));
  const rowY = (b: SchemaBox, col: string) => b.y + HEADER_HEIGHT + ROW_HEIGHT * b.columns.indexOf(col) + ROW_HEIGHT / 2;
  const edges = fks.map((fk) => {
    const child = boxOf.get(fk.fromTable)!;
    const parent = boxOf.get(fk.toTable)!;
    const y1 = rowY(child, fk.fromColumn);
    const y2 = rowY(parent, fk.toColumn);
    let path: string;
    if (child.x > parent.x) {
      const x1 = child.x;
      const x2 = parent.x + parent.width;
      const mid = (x1 + x2) / 2;
      path = `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
    } else {
      // Same layer (a cycle or self-reference): loop out to the right.
      const x1 = child.x + child.width;
      const x2 = parent.x + parent.width;
      const out = Math.max(x1, x2) + 40;
      path = `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2},${y2}`;
    }
    return { fk, path };
  });
  return { width: edges.some((e) => !(boxOf.get(e.fk.fromTable)!.x > boxOf.get(e.fk.toTable)!.x)) ? width + 50 : width, height, boxes, edges };
}

function orderByParents(names: string[], fks: ForeignKey[], position: Map<string, number>): string[] {
  const center = (t: string) => {
    const ps = fks.filter((fk) => fk.fromTable === t && position.has(fk.toTable)).map((fk) => position.get(fk.toTable)!);
    return ps.length === 0 ? Number.POSITIVE_INFINITY : ps.reduce((a, b) => a + b, 0) / ps.length;
  };
  const c = new Map(names.map((n) => [n, center(n)]));
  return [...names].sort((a, b) => c.get(a)! - c.get(b)! || a.localeCompare(b));
}
