import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/accessibility';

test.describe('Check a UDI', () => {
  test('typing a UDI by keyboard shows what it says, and the result is announced', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Check a UDI' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Check a UDI' })).toBeFocused();
    await expect(page).toHaveTitle('Check a UDI – Implant Registry');
    await page.getByLabel('Barcode text').pressSequentially('(01)09506000134352(17)270630(10)AB12');
    const summary = page.getByRole('definition');
    await expect(page.getByRole('heading', { name: 'What the barcode says' })).toBeVisible();
    await expect(summary.filter({ hasText: 'AB12' })).toBeVisible();
    await expect(summary.filter({ hasText: '30 June 2027' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'UDI read' })).toHaveText(
      'GS1 UDI read, device identifier 09506000134352, lot AB12, expires 30 June 2027',
    );
    await expectNoAxeViolations(page);
  });

  test('a wrong check digit is reported at the field with the characters involved', async ({ page }) => {
    await page.goto('/udi');
    await page.getByLabel('Barcode text').fill(']d201095060001343531727063010AB12');
    await expect(page.getByText('The GTIN check digit should be 2, not 3: a character was probably misread or mistyped (AI 01, characters 6–19)')).toBeVisible();
    await expect(page.getByLabel('Barcode text')).toHaveAttribute('aria-describedby', /udi-text-error/);
    await expectNoAxeViolations(page);
  });

  test('a separator lost by a handheld scanner is not guessed: the user picks the reading', async ({ page }) => {
    await page.goto('/udi');
    await page.getByLabel('Barcode text').fill('010950600013435210AB1221XYZ9');
    await expect(page.getByText('can be read in 2 ways')).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Use: lot or batch number AB12, serial number XYZ9' }).press('Enter');
    await expect(page.getByRole('definition').filter({ hasText: 'XYZ9' })).toBeVisible();
  });
});
