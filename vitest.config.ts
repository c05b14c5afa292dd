import { defineConfig } from 'vitest/config';

// Unit and Dexie tests run in Node; browser behaviour is covered by Playwright (tests/e2e).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/db/**/*.test.ts', 'server/**/*.test.ts'],
    environment: 'node',
    // Two workers on the 2-core CI machine: ~1.5× faster than one. Several real-data tests (k-fold training on
    // 8,000 reviews) take 30–40 s alone and more beside another worker, hence the generous safety limits.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
