import { mkdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Browsers and their profiles write temp files here (gitignored), not to the system's /tmp.
const tmp = new URL('./tests/e2e/.tmp', import.meta.url).pathname;
mkdirSync(tmp, { recursive: true });

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**', 'tests/e2e/.tmp/**'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    env: { TMPDIR: tmp },
  },
});
