import { defineConfig } from '@playwright/test';
import { dirname } from 'node:path';
import base from '../playwright.config';

// Time from label to field with Chromium's fake camera: `npm run bench:camera` (or
// `npx playwright test --config bench/camera.config.ts`), against a fresh server with the demo
// accounts, like the end-to-end tests. See camera.bench.ts for its settings.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'camera.bench.ts',
  timeout: 60 * 60_000,
  // The server's paths in the base config are relative to e2e/.
  webServer: { ...base.webServer!, cwd: dirname(__dirname) } as typeof base.webServer,
});
