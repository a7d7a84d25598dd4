import { defineConfig } from 'vitest/config';

// Inside this repository the packages resolve to their TypeScript sources, not their build.
const conditions = ['@pusher-auth-server/source'];
// Packing builds the packages and briefly copies pusher-core into their node_modules (prepack):
// it runs after every other test, alone, so nothing resolves a package while it is being packed.
const PACKING = 'test/packages/packed.test.ts';

const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions } },
};

export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        ...shared,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', PACKING],
          testTimeout: 20_000,
          hookTimeout: 30_000,
          pool: 'forks',
          sequence: { groupOrder: 0 },
        },
      },
      {
        ...shared,
        test: { name: 'packed', include: [PACKING], testTimeout: 60_000, hookTimeout: 300_000, pool: 'forks', sequence: { groupOrder: 1 } },
      },
    ],
  },
});
