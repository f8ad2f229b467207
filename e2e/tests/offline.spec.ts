import { expect, type Page, test } from '@playwright/test';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoAxeViolations } from '../support/accessibility';
import { signIn } from '../support/accounts';
import { DEMO } from '../support/demo';
import { query } from '../support/registry';
import { acceptedRecordId, fillProcedure } from '../support/records';

test.describe.configure({ mode: 'serial' });

/** Waits until the service worker has installed this version and controls the page. */
async function serviceWorkerInControl(page: Page) {
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  }, undefined, { timeout: 30_000 });
}

test('offline, a reload still opens the record form with what was typed, and Submit queues it; sent once back online', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, DEMO.clinician);
  await page.goto('/records/new');
  await expect(page.getByText('For Riverside Implant Clinic (demo).')).toBeVisible();
  await serviceWorkerInControl(page);
  await page.getByLabel("Responsible consultant's GMC number").fill('7654321');
  await expect(page.getByText(/Draft saved on this device, encrypted/)).toBeVisible();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Record a procedure' })).toBeVisible();
  await expect(page.getByText(/You are offline\. What you enter is kept on this device/)).toBeVisible();
  await expect(page.getByText('We restored the record you had started on this device.')).toBeVisible();
  await expect(page.getByLabel("Responsible consultant's GMC number")).toHaveValue('7654321');
  await expectNoAxeViolations(page);

  await fillProcedure(page, 'SWOFFLINE1', 9);
  await page.getByRole('button', { name: 'Submit record' }).click();
  const item = page.getByRole('listitem').filter({ hasText: 'Hip (left), 9 November 2026' });
  await expect(item.getByText('Waiting to send')).toBeVisible();
  expect(query(`SELECT COUNT(*) FROM procedure_components WHERE lot = 'SWOFFLINE1'`)).toEqual([[0]]);

  // A page that needs the registry says so instead of failing silently.
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link').first().click();
  await expect(page.getByText('You are offline: this page needs a connection to the registry.', { exact: false })).toBeVisible();

  await context.setOffline(false);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Records', exact: true }).click();
  await acceptedRecordId(page, /Hip \(left\), 9 November 2026/);
  expect(query(`SELECT COUNT(*) FROM procedure_components WHERE lot = 'SWOFFLINE1'`)).toEqual([[1]]);
  await context.close();
});

test.describe('a new version', () => {
  // Its own server on its own copy of the build, so that a "deploy" changes nothing for the
  // other tests: the same port (one origin, one service worker) for both versions.
  const port = Number(process.env.E2E_PORT ?? 18080) + 7;
  const origin = `http://127.0.0.1:${port}`;
  const work = mkdtempSync(join(tmpdir(), 'mdis-update-'));
  let server: ChildProcess | undefined;

  async function serve(dist: string) {
    server = spawn('../target/debug/mdis-server', ['--listen', `127.0.0.1:${port}`, '--data-dir', join(work, 'data'),
      '--dist-dir', dist, '--dev-mail'], { stdio: 'ignore' });
    await expect.poll(async () => (await fetch(`${origin}/healthz`).catch(() => undefined))?.status, { timeout: 30_000 }).toBe(200);
  }
  async function stop() {
    if (!server) return;
    const stopped = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await stopped;
    server = undefined;
  }
  test.afterAll(stop);

  test('is fetched in the background, announced by a banner, and taken at reload', async ({ browser }) => {
    const first = join(work, 'first');
    cpSync('../dist', first, { recursive: true });
    await serve(first);
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto(`${origin}/udi`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await serviceWorkerInControl(page);
    await expect(page.locator('meta[name="mdis-build"]')).toHaveCount(0);

    // Deploy a changed build: another index.html, so another file list and sw.js.
    await stop();
    const second = join(work, 'second');
    cpSync(first, second, { recursive: true });
    const index = join(second, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', '<head>\n  <meta name="mdis-build" content="second">'));
    execFileSync('node', ['../scripts/build-shell.mjs', second]);
    await serve(second);

    // The open page keeps its version until the person chooses.
    await page.reload();
    const banner = page.getByRole('region', { name: 'Update' });
    await expect(banner.getByText('A new version is ready — reload')).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('meta[name="mdis-build"]')).toHaveCount(0);
    await expectNoAxeViolations(page);
    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect(page.locator('meta[name="mdis-build"]')).toHaveAttribute('content', 'second', { timeout: 30_000 });
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Update' })).toHaveCount(0);
    await context.close();
  });
});
