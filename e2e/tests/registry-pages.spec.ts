import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/accessibility';
import { signIn, signOut } from '../support/accounts';
import { DEMO } from '../support/demo';

// The device register, safety notices and statistics pages: each opens for the people it is
// for, shows its own heading (not the not-found or sign-in page), and passes axe (WCAG 2.1 AA).

async function opens(page: Page, path: string) {
  await page.goto(path);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toBeVisible();
  await expect(heading).not.toHaveText(/Page not found|Sign in|Loading/);
  await page.waitForLoadState('networkidle');
  await expectNoAxeViolations(page);
  return (await heading.textContent())?.trim();
}

test('registry administrators open the register, import, review queue, notices and statistics', async ({ page }) => {
  await signIn(page, DEMO.admin);
  const headings: Record<string, string | undefined> = {};
  for (const path of [
    '/admin/devices',
    '/admin/devices/new',
    '/admin/devices/import',
    '/admin/devices/review',
    '/admin/notices',
    '/admin/notices/new',
    '/statistics',
  ]) {
    headings[path] = await opens(page, path);
  }
  // Every page has a heading of its own.
  expect(new Set(Object.values(headings)).size).toBe(Object.keys(headings).length);
  await signOut(page);
});

test('an administrator finds a device by its identifier and opens it, by keyboard', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto('/admin/devices');
  const search = page.getByRole('textbox', { name: /Device identifier, brand/ });
  await search.focus();
  await page.keyboard.type('05060001340012');
  await page.keyboard.press('Enter');
  const results = page.getByRole('main').getByRole('table');
  await expect(results.getByRole('row')).toHaveCount(2);
  const device = results.getByRole('link', { name: /Meridian cementless hip stem/ });
  await device.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/admin\/devices\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Meridian cementless hip stem');
  await expect(page.getByRole('main')).toContainText('05060001340012');
  await expectNoAxeViolations(page);
  await signOut(page);
});

test('a clinic manager opens the safety notices and the clinic statistics', async ({ page }) => {
  await signIn(page, DEMO.manager);
  await opens(page, '/safety-notices');
  await opens(page, '/clinic-statistics');
  await signOut(page);
});

test('the public statistics need no sign-in', async ({ page }) => {
  await opens(page, '/statistics');
});
