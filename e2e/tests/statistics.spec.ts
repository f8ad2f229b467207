import { expect, type Locator, type Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectNoAxeViolations } from '../support/accessibility';
import { DEMO, signIn } from '../support/accounts';
import { acceptedRecordId, fillProcedure } from '../support/records';

// The server starts with a small synthetic registry (`--demo-registry` in playwright.config.ts)
// in synthetic clinics; the demo clinic records its own procedure below.

/** Presses Tab until `target` has focus, as a person without a mouse works. */
async function tabTo(page: Page, target: Locator, limit = 120) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} by Tab`);
}

async function dashboardLoaded(page: Page) {
  await expect(page.getByRole('heading', { level: 1, name: 'Registry statistics' })).toBeVisible();
  await expect(page.getByText(/^Figures as of /)).toBeVisible({ timeout: 30_000 });
}

test('the public dashboard works by keyboard, with a table for every chart', async ({ page }) => {
  await page.goto('/');
  const link = page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Statistics', exact: true });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Registry statistics' })).toBeFocused();
  await dashboardLoaded(page);

  // Every chart is a figure with a title and subtitle, followed by a table of its figures.
  const charts = page.locator('figure.app-chart');
  const count = await charts.count();
  expect(count).toBeGreaterThanOrEqual(6);
  for (let index = 0; index < count; index++) {
    const chart = charts.nth(index);
    await expect(chart.locator('.app-chart__title')).not.toBeEmpty();
    await expect(chart.locator('.app-chart__subtitle')).not.toBeEmpty();
    await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /table below the chart/);
    const table = chart.locator('xpath=following-sibling::*').getByRole('table').first();
    await expect(table).toBeVisible();
    await expect(table.locator('caption')).not.toBeEmpty();
  }
  for (const name of ['Procedures by year', 'Survival by body site', 'Survival of a device', 'Revision rates and outliers', 'Completeness', 'How these figures are made']) {
    await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
  }
  // The synthetic registry's worse devices are flagged, and said in words.
  await expect(page.getByText(/devices? (is|are) flagged as (an )?outliers?/)).toBeVisible();
  // Small counts are never shown exactly to the public.
  await expect(page.getByText(/counts of people or procedures from 1 to 7 are shown as "1–7"/)).toBeVisible();
  await expectNoAxeViolations(page);

  // Filter by keyboard: knees only.
  await tabTo(page, page.getByLabel('Body site'));
  await page.getByLabel('Body site').selectOption({ label: 'Knee' });
  await tabTo(page, page.getByRole('button', { name: 'Update the figures' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/body_site=knee/);
  await expect(page.getByRole('table', { name: 'Cumulative percent revised, knee' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Cumulative percent revised, hip' })).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('a filter that is not a date is named in the error summary, linked to its field', async ({ page }) => {
  await page.goto('/statistics?as_of=2099-01-01');
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeVisible();
  await summary.getByRole('link', { name: /analysis date must be today or in the past/ }).click();
  await expect(page.getByLabel('Analysis date')).toBeFocused();
  await expectNoAxeViolations(page);
});

test('at 375 px wide the page does not scroll sideways and stays accessible', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/statistics');
  await dashboardLoaded(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Wide tables scroll inside their own region, which the keyboard can reach.
  await expect(page.getByRole('region', { name: 'Revision rates by device, table' })).toHaveAttribute('tabindex', '0');
  await expectNoAxeViolations(page);
});

test('each figure downloads as CSV', async ({ page }) => {
  await page.goto('/statistics');
  await dashboardLoaded(page);
  for (const [button, header] of [
    ['Download procedures by year (CSV)', 'year,body_site,primaries,revisions_and_removals,figures'],
    ['Download survival by body site (CSV)', 'body_site,years,at_risk,revisions,cumulative_percent_revised,lower_95,upper_95,figures'],
    ['Download revision rates by device (CSV)', 'device_identifier,name,manufacturer,body_site,primaries,revisions'],
    ['Download completeness (CSV)', 'scope,year,procedures,linkable,linkable_percent'],
  ]) {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: button }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync(await file.path(), 'utf8');
    expect(text.startsWith(header)).toBe(true);
    expect(text).toContain('counts controlled');
    await expect(page.getByText(`Saved ${file.suggestedFilename()}.`)).toBeVisible();
  }
});

test('the clinic view shows that clinic only, beside the national figures', async ({ page }) => {
  await signIn(page, DEMO.clinician);
  // The clinic records a procedure of its own.
  await page.goto('/records/new');
  await fillProcedure(page, 'STATS1', 3, { consent: 'declined' });
  await page.getByRole('button', { name: 'Submit record' }).click();
  await acceptedRecordId(page, /Hip \(left\), 3\/11\/2026/);

  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: "Your clinic's statistics" }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Your clinic's statistics" })).toBeVisible();
  await expect(page.getByText(`Figures for ${DEMO.organisation} as of`)).toBeVisible({ timeout: 30_000 });
  const volumes = page.getByRole('table', { name: "Your clinic's procedures by year and body site" });
  await expect(volumes.getByRole('row').filter({ hasText: '2026' }).filter({ hasText: 'Hip' })).toBeVisible();
  const completeness = page.getByRole('table', { name: 'Completeness by year: your clinic and every clinic' });
  const who = await completeness.locator('tbody tr td:nth-child(2)').allTextContents();
  expect(new Set(who)).toEqual(new Set([DEMO.organisation, 'Every clinic']));
  // No other clinic is named anywhere on the page.
  await expect(page.getByText('(synthetic)')).toHaveCount(0);
  await expectNoAxeViolations(page);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download your completeness (CSV)' }).click();
  const text = readFileSync(await (await download).path(), 'utf8');
  const scopes = new Set(text.trim().split('\n').slice(1).map((line) => line.split(',')[0].replace(/"/g, '')));
  expect(scopes).toEqual(new Set([DEMO.organisation, 'national']));
});
