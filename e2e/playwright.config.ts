import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from './support/demo';

// Each run gets a fresh server with a fresh SQLite database in a temporary folder.
const port = Number(process.env.E2E_PORT ?? 18080);
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'mdis-e2e-'));
process.env.E2E_DATA_DIR = dataDir;
/** The server's log, read by the privacy test. */
export const serverLog = join(dataDir, 'server.log');
process.env.E2E_SERVER_LOG = serverLog;
const server = process.env.E2E_SERVER ?? '../target/debug/mdis-server';


export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browsers here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `${server} --listen 127.0.0.1:${port} --data-dir ${dataDir} --dist-dir ../dist --demo --demo-registry 3000 --test-clock --demo-password '${DEMO_PASSWORD}' --log-file ${serverLog}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
