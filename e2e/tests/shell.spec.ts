import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/accessibility';

test.describe('the service frame', () => {
  test('home page: name, landmarks and a working footer status from the server', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveTitle('Implant Registry');
    await expect(page.getByRole('heading', { level: 1, name: 'Implant Registry' })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('Implant Registry');
    await expect(page.getByRole('main')).toBeVisible();
    // Browser → WASM → server function → database and back; what it runs on is not told.
    const status = page.getByRole('contentinfo').getByRole('status');
    await expect(status).toContainText(/working normally \(version \d+\.\d+\.\d+\)/);
    await expect(status).not.toContainText('SQLite');
  });

  test('the first Tab reaches the skip link, which moves focus to the main content', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
  });

  test('an unknown address shows the page-not-found page', async ({ page }) => {
    await page.goto('/no/such/page');
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page).toHaveTitle('Page not found – Implant Registry');
    await page.getByRole('link', { name: 'Go to the Implant Registry home page' }).click();
    await expect(page).toHaveURL('/');
    // Focus follows the navigation to the new page's heading.
    await expect(page.getByRole('heading', { level: 1, name: 'Implant Registry' })).toBeFocused();
  });

  for (const path of ['/', '/no/such/page', '/udi']) {
    test(`accessibility scan (WCAG 2.1 A/AA) of ${path}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('contentinfo').getByRole('status')).not.toContainText('checking');
      await expectNoAxeViolations(page);
    });
  }

  test('the app loads with the security headers and no CSP violations', async ({ page }) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const response = await page.goto('/');
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("'wasm-unsafe-eval'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cache-control']).toBe('no-cache');
    await expect(page.getByRole('contentinfo').getByRole('status')).toContainText('working normally');
    expect(problems).toEqual([]);
  });
});
