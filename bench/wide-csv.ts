// Seeded generator of a wide mixed-type CSV (20 columns: ids, numbers, dates, zh + en text) for benchmarks.
import { createWriteStream } from 'node:fs';
import { mulberry32 } from '../src/core/util/random.ts';

const words = ['red', 'blue', 'cotton', 'phone', 'case', 'shirt', 'laptop', 'bag', 'shoe', 'lamp', 'desk', 'pen'];
const zh = ['红色', '蓝色', '纯棉', '手机', '外壳', '衬衫', '笔记本', '背包', '运动鞋', '台灯', '书桌', '钢笔'];
const cities = ['São Paulo', 'Rio de Janeiro', '北京', '上海', 'Berlin', 'Paris', 'Curitiba', '深圳'];
const statuses = ['delivered', 'shipped', 'canceled', 'invoiced', 'processing'];

export async function writeWideCsv(path: string, rows: number, seed: number): Promise<void> {
  const rand = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const out = createWriteStream(path);
  const header = 'id,order_id,user_id,product_id,price,freight,quantity,rating,discount,weight_g,created_at,shipped_at,status,city,category,title,title_zh,email,is_gift,note\n';
  out.write(header);
  const start = Date.UTC(2023, 0, 1);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const created = start + Math.floor(rand() * 365 * 86400_000);
    const shipped = created + Math.floor(rand() * 10 * 86400_000);
    const price = Math.exp(rand() * 7).toFixed(2);
    buf += [
      i + 1,
      `o${Math.floor(rand() * rows / 2)}`,
      Math.floor(rand() * 50_000),
      `p${Math.floor(rand() * 20_000)}`,
      price,
      (rand() * 50).toFixed(2),
      1 + Math.floor(rand() * 5),
      rand() < 0.05 ? '' : 1 + Math.floor(rand() * 5),
      rand().toFixed(3),
      Math.floor(rand() * 5000),
      new Date(created).toISOString().slice(0, 19).replace('T', ' '),
      rand() < 0.1 ? '' : new Date(shipped).toISOString().slice(0, 19).replace('T', ' '),
      pick(statuses),
      pick(cities),
      pick(words),
      `"${pick(words)} ${pick(words)}, ${pick(words)}"`,
      pick(zh) + pick(zh),
      `user${Math.floor(rand() * 50_000)}@example.com`,
      rand() < 0.1 ? 'true' : 'false',
      rand() < 0.7 ? '' : `note ${Math.floor(rand() * 1000)}`,
    ].join(',') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r) => out.end(r));
}
