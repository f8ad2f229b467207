import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from './demo';
import { expectNoAxeViolations } from './accessibility';
import { fromBase32, totp } from './totp';

export { DEMO_PASSWORD };

/** Authenticator secrets of the accounts enrolled during this run, by email. */
const secrets = new Map<string, Buffer>();

/** Steps already used per account: a code works once. */
const usedSteps = new Map<string, number>();

export function nextCode(email: string): string {
  const secret = secrets.get(email);
  if (!secret) throw new Error(`${email} has no authenticator yet`);
  const used = usedSteps.get(email) ?? 0;
  const now = Math.floor(Date.now() / 1000 / 30);
  const offset = used >= now ? used - now + 1 : 0;
  if (offset > 1) throw new Error(`${email} signed in too often this half-minute`);
  usedSteps.set(email, now + offset);
  return totp(secret, offset);
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
    await page.getByLabel('Security code').fill(nextCode(email));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** On the set-up page: reads the key, confirms a code, keeps the recovery codes. */
export async function enrol(page: Page, email: string): Promise<string[]> {
  const key = page.getByLabel('Set-up key');
  await expect(key).toBeVisible();
  await expectNoAxeViolations(page);
  const secret = fromBase32((await key.textContent()) ?? '');
  secrets.set(email, secret);
  await page.getByLabel('Code from the app').fill(nextCode(email));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  await expectNoAxeViolations(page);
  const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
  expect(codes).toHaveLength(10);
  await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
  return codes;
}

export async function signOut(page: Page) {
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}
