import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript source (the "source" export condition),
// so a test never depends on a stale build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
