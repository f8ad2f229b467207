import { defineConfig } from '@playwright/test';
import { dirname } from 'node:path';
import base from '../playwright.config';

// Lighthouse on the portal's main pages: `npm run bench:lighthouse` (or
// `npx playwright test --config bench/lighthouse.config.ts`), against a fresh server with the
// demo accounts, like the end-to-end tests. Pages: LIGHTHOUSE_PAGES="/,/sign-in" to choose.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'lighthouse.bench.ts',
  timeout: 15 * 60_000,
  // The server's paths in the base config are relative to e2e/.
  webServer: { ...base.webServer!, cwd: dirname(__dirname) } as typeof base.webServer,
});
