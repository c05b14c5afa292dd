// Semantic types from names (English, Portuguese, Chinese), physical types and sample values.
import { describe, expect, it } from 'vitest';
import { inferSemanticType, type SemanticInput } from '../../../src/core/profile/semantic-type.ts';
import type { PhysicalType, SemanticType } from '../../../src/core/types.ts';

function col(name: string, physicalType: PhysicalType, extra: Partial<SemanticInput> = {}): SemanticInput {
  return { name, physicalType, rowCount: 1000, nullCount: 0, distinct: 500, samples: [], ...extra };
}

const cases: [string, SemanticInput, SemanticType][] = [
  ['olist order id', col('order_id', 'varchar', { samples: ['e481f51cbdc54678b7cc49136f2d6af7'] }), 'id'],
  ['camelCase id', col('customerId', 'integer'), 'id'],
  ['Chinese 编号', col('商品编号', 'varchar'), 'id'],
  ['price', col('price', 'double', { min: 0.85, max: 6735 }), 'price'],
  ['olist freight', col('freight_value', 'double', { min: 0, max: 409 }), 'price'],
  ['Chinese 价格', col('价格', 'decimal', { min: 1, max: 99 }), 'price'],
  ['Chinese 金额', col('实付金额', 'double', { min: 1, max: 99 }), 'price'],
  ['currency text', col('selling_price', 'varchar', { samples: ['₹1,099', '₹349', '₹12,999'] }), 'price'],
  ['quantity', col('quantity', 'integer', { min: 1, max: 20 }), 'quantity'],
  ['Chinese 数量', col('购买数量', 'integer', { min: 1, max: 20 }), 'quantity'],
  ['olist installments', col('payment_installments', 'integer', { min: 0, max: 24 }), 'quantity'],
  ['rating', col('review_score', 'integer', { min: 1, max: 5, distinct: 5 }), 'rating'],
  ['Chinese 评分', col('评分', 'double', { min: 1, max: 5 }), 'rating'],
  ['score out of range is not a rating', col('credit_score', 'integer', { min: 300, max: 850 }), 'number'],
  ['percentage text', col('discount', 'varchar', { samples: ['64%', '43%', '90%'] }), 'percentage'],
  ['latitude', col('geolocation_lat', 'double', { min: -33, max: 5 }), 'latitude'],
  ['longitude', col('geolocation_lng', 'double', { min: -72, max: -34 }), 'longitude'],
  ['zip as integer', col('customer_zip_code_prefix', 'integer', { min: 1003, max: 99990 }), 'zip'],
  ['Chinese 邮编', col('邮编', 'varchar'), 'zip'],
  ['city', col('customer_city', 'varchar', { samples: ['sao paulo'] }), 'city'],
  ['Chinese 城市', col('城市', 'varchar'), 'city'],
  ['state', col('seller_state', 'varchar', { distinct: 27 }), 'state'],
  ['Chinese 省', col('省', 'varchar'), 'state'],
  ['country', col('Country', 'varchar'), 'country'],
  ['address', col('收货地址', 'varchar'), 'address'],
  ['phone by name', col('手机', 'varchar'), 'phone'],
  ['Chinese 电话', col('联系电话', 'varchar'), 'phone'],
  ['email by name', col('邮箱', 'varchar'), 'email'],
  ['email by pii', col('contact', 'varchar', { pii: 'email' }), 'email'],
  ['resident id by pii', col('证件', 'varchar', { pii: 'cn_id' }), 'code'],
  ['category', col('product_category_name', 'varchar', { distinct: 70, samples: ['beleza_saude'] }), 'category'],
  ['Chinese 类别', col('类别', 'varchar', { distinct: 10 }), 'category'],
  ['brand', col('brand', 'varchar', { distinct: 40 }), 'category'],
  ['Chinese 品牌', col('品牌', 'varchar', { distinct: 40 }), 'category'],
  ['status', col('order_status', 'varchar', { distinct: 8 }), 'category'],
  ['title', col('title', 'varchar', { distinct: 990, lengthMean: 42 }), 'title'],
  ['Chinese 标题', col('商品标题', 'varchar', { distinct: 990, lengthMean: 30 }), 'title'],
  ['Chinese 名称', col('商品名称', 'varchar', { distinct: 990, lengthMean: 30 }), 'title'],
  ['review text', col('review_comment_message', 'varchar', { lengthMean: 70 }), 'text'],
  ['Chinese 评论', col('评论内容', 'varchar', { lengthMean: 40 }), 'text'],
  ['long text by length', col('blob_of_words', 'varchar', { lengthMean: 120, distinct: 990 }), 'text'],
  ['timestamp', col('order_purchase_timestamp', 'timestamp'), 'timestamp'],
  ['date', col('day', 'date'), 'date'],
  ['Chinese 时间 as mixed text', col('下单时间', 'varchar', { samples: ['2023-01-05 10:00:00', '2023-01-06 11:30:00', '07/01/2023'] }), 'timestamp'],
  ['Chinese 日期 as text', col('日期', 'varchar', { samples: ['2023-01-05', '2023/01/06', '07/01/2023'] }), 'date'],
  ['boolean', col('is_active', 'boolean'), 'boolean'],
  ['yes/no text', col('returned', 'varchar', { distinct: 2, samples: ['yes', 'no'] }), 'boolean'],
  ['url', col('img_link', 'varchar', { samples: ['https://m.media-amazon.com/a.jpg'] }), 'url'],
  ['json', col('attrs', 'varchar', { samples: ['{"a":1}', '{"b":[1,2]}'] }), 'json'],
  ['weight', col('product_weight_g', 'integer', { min: 0, max: 40425 }), 'measure'],
  ['Chinese 重量', col('重量', 'double', { min: 0, max: 10 }), 'measure'],
  ['unique integers', col('seq', 'integer', { isUnique: true, distinct: 1000, min: 1, max: 1000 }), 'id'],
  ['plain number', col('x1', 'double', { min: -3, max: 3 }), 'number'],
  ['low-cardinality text', col('segment_x', 'varchar', { distinct: 4, samples: ['A', 'B'] }), 'category'],
  ['hex ids without a name', col('ref', 'varchar', { distinct: 1000, samples: ['e481f51cbdc54678b7cc49136f2d6af7', '53cdb2fc8bc7dce0b6741e2150273451'] }), 'id'],
  ['person name', col('customer_name', 'varchar'), 'person_name'],
  ['Chinese 姓名', col('姓名', 'varchar'), 'person_name'],
];

describe('inferSemanticType', () => {
  it.each(cases.map(([label, input, want]) => ({ label, input, want })))('$label → $want', ({ input, want }) => {
    const r = inferSemanticType(input);
    expect(r.type).toBe(want);
    expect(r.reason.length).toBeGreaterThan(5);
  });
});
