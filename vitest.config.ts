import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: [
      'lib/**/*.test.ts',
      'cli/**/*.test.ts',
      'entrypoints/**/*.test.ts',
      'scripts/**/*.test.ts',
      'tests/support/**/*.test.ts',
    ],
    setupFiles: ['fake-indexeddb/auto'],
  },
});
