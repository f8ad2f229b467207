import { expect, type Page } from '@playwright/test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PASSWORD } from './demo';
import { expectNoAxeViolations } from './accessibility';
import { fromBase32, totp } from './totp';

export { DEMO_PASSWORD };

/**
 * The authenticators set up during this run, like a phone that stays with the tester: each
 * account's secret and the last time step used (a code works once). Kept in the run's data
 * folder, so that every test worker shares them.
 */
type Authenticators = Record<string, { secret: string; usedStep: number }>;
const authenticatorsFile = () => join(process.env.E2E_DATA_DIR!, 'authenticators.json');

function authenticators(): Authenticators {
  return existsSync(authenticatorsFile()) ? JSON.parse(readFileSync(authenticatorsFile(), 'utf8')) : {};
}

function remember(all: Authenticators) {
  writeFileSync(authenticatorsFile(), JSON.stringify(all));
}

/** The server's clock (`--test-clock`), in seconds since 1970. */
async function serverSeconds(): Promise<number> {
  const response = await fetch(`${registryUrl()}/test/clock`);
  return ((await response.json()) as { unix_seconds: number }).unix_seconds;
}

/** Moves the server's clock on by `seconds` (it never moves back); returns its new time. */
async function moveServerClockOn(seconds: number): Promise<number> {
  const response = await fetch(`${registryUrl()}/test/clock/advance`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: registryUrl() },
    body: JSON.stringify({ seconds }),
  });
  if (!response.ok) throw new Error(`the test clock did not move: ${await response.text()}`);
  return ((await response.json()) as { unix_seconds: number }).unix_seconds;
}

function registryUrl(): string {
  return `http://127.0.0.1:${process.env.E2E_PORT ?? 18080}`;
}

/**
 * The next unused code for `email`, by the server's clock. A code works once, and the server
 * accepts one step either side of its own: when both are used, the server's clock is moved
 * on to the next step instead of waiting for it.
 */
export async function nextCode(email: string): Promise<string> {
  const all = authenticators();
  const entry = all[email];
  if (!entry) throw new Error(`${email} has no authenticator yet`);
  let seconds = await serverSeconds();
  let now = Math.floor(seconds / 30);
  if (entry.usedStep > now) {
    seconds = await moveServerClockOn((entry.usedStep - now) * 30 - (seconds % 30));
    now = Math.floor(seconds / 30);
  }
  const step = entry.usedStep >= now ? entry.usedStep + 1 : now;
  entry.usedStep = step;
  remember(all);
  return totp(Buffer.from(entry.secret, 'hex'), step);
}

/** Signs in through the page; staff set up or use their authenticator. Checks each page with axe. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).not.toHaveText('Sign in');
  const title = await heading.textContent();
  if (title === 'Set up your authenticator app') {
    await enrol(page, email);
  } else if (title === 'Enter your security code') {
    await page.getByLabel('Security code').fill(await nextCode(email));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  // The header offers "Sign out" during a half-finished sign-in too: wait until it is finished.
  await expect(heading).not.toHaveText(/^(Sign in|Enter your security code|Set up your authenticator app|Save your recovery codes)$/);
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' })).toBeVisible();
  await waitForWholePortal(page);
}

/**
 * Signing in from the first bundle opens the whole portal with a page load: until it has
 * mounted, a click or key press could go with the page being replaced. On one of the portal's
 * pages it is running once its start script is in the page and the account menu is shown
 * (the first bundle shows nothing of its own there).
 */
export async function waitForWholePortal(page: Page) {
  // The first bundle's own pages (app::public::PAGES) are shown without a page load.
  await page.waitForFunction(
    () =>
      ['/', '/sign-in', '/forgot-password', '/register'].includes(location.pathname) ||
      document.querySelector('script[src="/portal-start.js"]') !== null,
  );
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** On the set-up page: reads the key, confirms a code, keeps the recovery codes. */
export async function enrol(page: Page, email: string): Promise<string[]> {
  const key = page.getByLabel('Set-up key');
  await expect(key).toBeVisible();
  await expectNoAxeViolations(page);
  const secret = fromBase32((await key.textContent()) ?? '');
  remember({ ...authenticators(), [email]: { secret: secret.toString('hex'), usedStep: 0 } });
  await page.getByLabel('Code from the app').fill(await nextCode(email));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  await expectNoAxeViolations(page);
  const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
  expect(codes).toHaveLength(10);
  // Ways to keep them, styled as actions (not as errors).
  for (const name of ['Print the codes', 'Copy the codes']) {
    await expect(page.getByRole('button', { name })).toHaveClass(/nhsuk-button--secondary/);
  }
  await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
  return codes;
}

export async function signOut(page: Page) {
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
}
