// A small seeded shop export with one or more planted defects of every quality kind, and the exact
// count of each, derived from what was planted (the quality checks' acceptance fixture until the
// shared generator lands).
import { mulberry32, randomInt } from '../../../src/core/util/random.ts';

export interface PlantedExport {
  files: Record<string, string>;
  /** Reference time for future dates and age. */
  now: number;
  /** Issue id → exact count expected from runQualityChecks. */
  expected: Record<string, number>;
  /** Rows affected where it differs from the count. */
  expectedRows: Record<string, number>;
  /** The malicious values planted in products.title. */
  malicious: string[];
}

function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(v);
    return /[",\n\r]|^\s|\s$/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
  };
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function generatePlantedExport(seed = 7): PlantedExport {
  const rand = mulberry32(seed);
  const expected: Record<string, number> = {};
  const expectedRows: Record<string, number> = {};
  const start = Date.UTC(2023, 0, 1);

  // customers: nulls, blanks, placeholders, 1970-01-01, malformed emails and zips.
  const cities = ['sao paulo', 'curitiba', 'recife', 'salvador'];
  const customers: (string | number | null)[][] = [];
  for (let i = 0; i < 120; i++) {
    customers.push([
      `c${i}`,
      `user${i}@shop.example.com`,
      `+55 11 9${String(1000 + i).padStart(4, '0')}-${String(2000 + i)}`,
      `${10000 + i * 7}-${String(100 + i).slice(-3)}`,
      cities[i % cities.length],
      day(start - randomInt(rand, 900) * DAY),
    ]);
  }
  for (const i of [3, 17, 40]) customers[i][1] = null;
  expected['completeness:null:customers.email'] = 3;
  for (const i of [5, 60]) customers[i][1] = `user${i}(at)shop.example.com`;
  expected['validity:malformed:customers.email'] = 2;
  for (const i of [7, 8]) customers[i][2] = 'N/A';
  expected['completeness:placeholder:customers.phone'] = 2;
  for (const i of [9, 70]) customers[i][3] = '1234';
  expected['validity:malformed:customers.zip'] = 2;
  for (const i of [11, 12]) customers[i][4] = '   ';
  expected['completeness:empty:customers.city'] = 2;
  for (const i of [13, 14]) customers[i][5] = '1970-01-01';
  expected['completeness:placeholder:customers.signup_date'] = 2;

  // products: outlier price, negative-free, numbers as text, spelling variants, malicious titles.
  const brands = ['Samsung', 'Apple', 'Xiaomi'];
  const malicious = ['<img src=x onerror=alert(1)>', '=HYPERLINK("http://evil.example","click")'];
  const products: (string | number | null)[][] = [];
  for (let i = 0; i < 60; i++) {
    products.push([`p${i}`, `Product ${i}`, i % 3 === 0 ? 'Kitchen' : i % 3 === 1 ? 'Toys' : 'Books', brands[i % 3], (1000 + randomInt(rand, 9000)) / 100, ((50 + randomInt(rand, 500)) / 100).toFixed(2)]);
  }
  products[1][1] = malicious[0];
  products[2][1] = malicious[1];
  products[59][4] = 99999;
  expected['outlier:outlier:products.price'] = 1;
  for (const i of [3, 6]) products[i][2] = 'KITCHEN';
  products[9][2] = 'kitchen.';
  expected['consistency:spellings:products.category'] = 3;
  products[4][3] = 'ＳＡＭＳＵＮＧ';
  products[7][3] = 'Sam sung';
  expected['consistency:spellings:products.brand'] = 2;
  products[10][5] = 'heavy';
  expected['validity:not-a-number:products.weight_kg'] = 1;
  expected['validity:number-as-text:products.weight_kg'] = 59;

  // orders and items: totals, event order, future and ancient dates, orphans, negative prices.
  const orders: (string | number | null)[][] = [];
  const items: (string | number | null)[][] = [];
  let undelivered = 0;
  for (let i = 0; i < 100; i++) {
    const purchase = start + randomInt(rand, 300) * DAY + randomInt(rand, DAY);
    const status = i % 10 === 0 ? 'shipped' : i % 10 === 5 ? 'canceled' : 'delivered';
    const delivered = status === 'delivered' ? purchase + (1 + randomInt(rand, 9)) * DAY : null;
    if (delivered === null) undelivered++;
    let cents = 0;
    const lines = 1 + (i % 3);
    for (let l = 0; l < lines; l++) {
      const p = (i * 3 + l) % 59; // product 59 (the outlier) is never sold
      const qty = 1 + randomInt(rand, 3);
      const priceCents = Math.round(Number(products[p][4]) * 100);
      cents += priceCents * qty;
      items.push([`o${i}`, `p${p}`, p === 1 && l === 0 ? 'Old title' : products[p][1], qty, priceCents / 100]);
    }
    orders.push([`o${i}`, `c${i % 120}`, status, iso(purchase), delivered === null ? null : iso(delivered), cents / 100]);
  }
  expected['completeness:null:orders.delivered_at'] = undelivered;
  for (const i of [2, 3, 4]) orders[i][4] = iso(Date.parse(String(orders[i][3]).replace(' ', 'T') + 'Z') - 2 * DAY);
  expected['consistency:before:purchased_at:orders.delivered_at'] = 3;
  orders[30][3] = '2031-05-01 10:00:00';
  if (orders[30][4] !== null) expected['completeness:null:orders.delivered_at']++;
  orders[30][4] = null;
  orders[30][2] = 'shipped';
  expected['validity:future-date:orders.purchased_at'] = 1;
  orders[31][3] = '1985-06-01 10:00:00';
  expected['validity:too-old:orders.purchased_at'] = 1;
  // Every defect in the lines sits in the two orders whose totals are planted wrong, so fixing the
  // lines cannot break another order's total.
  const badOrders = ['o20', 'o23'];
  for (const o of badOrders) {
    const idx = items.findIndex((r) => r[0] === o) + 1; // the second line of a three-line order
    items[idx][4] = -1;
  }
  expected['validity:negative:order_items.price'] = 2;
  expected['consistency:several-values:order_items.product_id.product_title'] = 1;
  expectedRows['consistency:several-values:order_items.product_id.product_title'] = items.filter((r) => r[1] === 'p1').length;
  items.push(['o20', 'p-missing', 'Ghost', 1, 12.5], ['o23', 'p-missing2', 'Ghost 2', 1, 12.5]);
  for (const order of orders) {
    const cents = items.filter((r) => r[0] === order[0]).reduce((sum, r) => sum + Math.round(Number(r[4]) * 100) * Number(r[3]), 0);
    order[5] = (cents + (badOrders.includes(String(order[0])) ? 1000 : 0)) / 100;
  }
  expected['consistency:total-vs-items:order_items:orders.total'] = 2;
  expected['integrity:orphan:products.product_id:order_items.product_id'] = 2;

  // reviews: duplicate ids, off-scale ratings, mixed date formats, an orphan order.
  const reviews: (string | number | null)[][] = [];
  for (let i = 0; i < 90; i++) {
    const d = new Date(start + (30 + randomInt(rand, 300)) * DAY);
    reviews.push([`r${i}`, `o${i}`, 1 + (i % 5), day(d.getTime())]);
  }
  reviews[10][0] = 'r9';
  reviews[21][0] = 'r20';
  expected['uniqueness:duplicate-key:reviews.review_id'] = 2;
  expectedRows['uniqueness:duplicate-key:reviews.review_id'] = 4;
  reviews[30][2] = 7;
  reviews[31][2] = 0;
  expected['validity:off-scale:reviews.rating'] = 2;
  for (const i of [40, 41, 42]) {
    const [y, m, dd] = String(reviews[i][3]).split('-');
    reviews[i][3] = `${dd}/${m}/${y}`;
  }
  expected['validity:mixed-date-format:reviews.review_date'] = 3;
  reviews[50][1] = 'o-missing';
  expected['integrity:orphan:orders.order_id:reviews.order_id'] = 1;

  // visits: fully duplicated rows.
  const visits: (string | number | null)[][] = [];
  for (let i = 0; i < 40; i++) visits.push([day(start + i * DAY), `/page/${i % 7}`, 10 + i]);
  visits.push(visits[3], visits[3], visits[8]);
  expected['uniqueness:duplicate-row:visits'] = 3;
  expectedRows['uniqueness:duplicate-row:visits'] = 5;

  return {
    files: {
      customers: toCsv(['customer_id', 'email', 'phone', 'zip', 'city', 'signup_date'], customers),
      products: toCsv(['product_id', 'title', 'category', 'brand', 'price', 'weight_kg'], products),
      orders: toCsv(['order_id', 'customer_id', 'status', 'purchased_at', 'delivered_at', 'total'], orders),
      order_items: toCsv(['order_id', 'product_id', 'product_title', 'qty', 'price'], items),
      reviews: toCsv(['review_id', 'order_id', 'rating', 'review_date'], reviews),
      visits: toCsv(['day', 'page', 'views'], visits),
    },
    now: Date.UTC(2024, 2, 1),
    expected,
    expectedRows,
    malicious,
  };
}
