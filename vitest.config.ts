import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts', 'test/support/postgres-global.ts'],
    // Upper bounds only, never a measure: a whole-library run takes ~4 s alone, and a loaded 2-core CI machine can make it several times that.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
