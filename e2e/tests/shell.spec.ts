import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/accessibility';

test.describe('the service frame', () => {
  test('home page: name, landmarks and a working footer status from the server', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveTitle('Implant Registry');
    await expect(page.getByRole('heading', { level: 1, name: 'Implant Registry' })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('Implant Registry');
    await expect(page.getByRole('main')).toBeVisible();
    // Staff are pointed to their own way in.
    await expect(page.getByRole('main').getByRole('link', { name: 'If you work in a clinic, sign in' })).toHaveAttribute('href', '/sign-in');
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

  test('an unknown address answers 404 and shows the page-not-found page', async ({ page }) => {
    // A fresh load (no service worker yet): the server's own answer.
    const response = await page.goto('/no/such/page');
    expect(response!.status()).toBe(404);
    expect(response!.headers()['content-type']).toContain('text/html');
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page).toHaveTitle('Page not found – Implant Registry');
    await page.getByRole('link', { name: 'Go to the Implant Registry home page' }).click();
    await expect(page).toHaveURL('/');
    // Focus follows the navigation to the new page's heading.
    await expect(page.getByRole('heading', { level: 1, name: 'Implant Registry' })).toBeFocused();
  });

  test("the footer's support pages open from every page and pass the scan", async ({ page }) => {
    const footerPages = [
      ['Accessibility statement', '/accessibility', 'Accessibility statement'],
      ['Privacy notice', '/privacy', 'Privacy notice'],
      ['Cookies', '/cookies', 'Cookies'],
      ['Contact the helpdesk', '/contact', 'Contact the helpdesk'],
    ] as const;
    const response = await page.goto('/');
    expect(response!.status()).toBe(200);
    // Demo mode says "test data only" as a banner, not in the footer.
    await expect(page.getByRole('region', { name: 'Important' })).toContainText('Test data only');
    await expect(page.getByRole('contentinfo')).not.toContainText(/test data/i);
    for (const [link, path, heading] of footerPages) {
      await page.getByRole('contentinfo').getByRole('link', { name: link, exact: true }).click();
      await expect(page).toHaveURL(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(page).toHaveTitle(`${heading} – Implant Registry`);
      await expect(page.getByRole('contentinfo').getByRole('status')).not.toContainText('checking');
      await expectNoAxeViolations(page);
    }
    // The cookies page says the one cookie set is essential.
    await page.goto('/cookies');
    await expect(page.getByRole('main')).toContainText(/essential/i);
    // And each answers 200 on a fresh load.
    for (const [, path] of footerPages) {
      expect((await page.request.get(path)).status(), path).toBe(200);
    }
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
