// Dataset names guessed from picked paths.
import { describe, expect, it } from 'vitest';
import { pickedFromFileList } from '../../../src/features/import/pick-files.ts';
import { guessDatasetName } from '../../../src/core/inventory/build-inventory.ts';

describe('guessDatasetName', () => {
  it('uses the shared folder, else the first file stem (zip names included)', () => {
    expect(guessDatasetName(['olist/orders.csv', 'olist/sub/items.csv'])).toBe('olist');
    expect(guessDatasetName(['orders.csv', 'items.csv'])).toBe('orders');
    expect(guessDatasetName(['shop-2024.zip'])).toBe('shop-2024');
    expect(guessDatasetName(['a/x.csv', 'b/y.csv'])).toBe('x');
    expect(guessDatasetName(['.env'])).toBe('.env');
    expect(guessDatasetName([])).toBe('');
  });
});

describe('pickedFromFileList', () => {
  it('keeps folder paths, drops OS litter and sorts by path', () => {
    const mk = (name: string, rel: string) => Object.assign(new File(['x'], name), { webkitRelativePath: rel });
    const picked = pickedFromFileList([
      mk('b.csv', 'shop/b.csv'),
      mk('.DS_Store', 'shop/.DS_Store'),
      mk('a.csv', 'shop/a.csv'),
      mk('x.csv', 'shop/__MACOSX/._x.csv'),
    ]);
    expect(picked.map((p) => p.path)).toEqual(['shop/a.csv', 'shop/b.csv']);
  });
});
