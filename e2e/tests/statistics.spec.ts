import { expect, type Locator, type Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectNoAxeViolations } from '../support/accessibility';
import { signIn } from '../support/accounts';
import { DEMO } from '../support/demo';
import { acceptedRecordId, fillProcedure } from '../support/records';

// Issue 14's dashboards in a browser. The server starts with a small synthetic registry
// (`--demo-registry` in playwright.config.ts) in synthetic clinics; the demo clinic records a
// procedure of its own for the clinic view.

/** Presses Tab until `target` has focus, as a person without a mouse works. */
async function tabTo(page: Page, target: Locator, limit = 150) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} by Tab`);
}

/** Waits for the figures; returns the analysis date they are for. */
async function dashboardLoaded(page: Page): Promise<string> {
  await expect(page.getByRole('heading', { level: 1, name: 'Registry statistics' })).toBeVisible();
  const status = page.getByText(/^Figures as of \d{1,2} [A-Z][a-z]+ \d{4}:/);
  await expect(status).toBeVisible({ timeout: 30_000 });
  const [, day, month, year] = /as of (\d{1,2}) ([A-Z][a-z]+) (\d{4})/.exec((await status.textContent()) ?? '')!;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${year}-${String(months.indexOf(month) + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** A published count as the REST API gives it: a number, or "1–7" for a small one. */
type Count = number | string;

/** A table cell's number ("1,234", "12.50"), or its text where it is not a number. */
function cellValue(text: string): number | string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  const plain = trimmed.replaceAll(',', '');
  if (/^-?\d+(\.\d+)?$/.test(plain)) return Number(plain);
  // A range: "1–7" (a small count; it reads "1 to 7" to a screen reader, the dash hidden from
  // it) or an interval "1.23 to 4.56", both as "a–b".
  const range = /^(-?[\d.]+)\s*–?\s*(?:to|–)\s*(-?[\d.]+)$/.exec(trimmed);
  return range ? `${range[1]}–${range[2]}` : trimmed;
}

/** The page shows `rest` at `decimals` decimals (or "Not available" for null). */
function expectSameNumber(cell: number | string, rest: number | null | Count, decimals: number, what: string) {
  if (rest === null) {
    expect(cell, what).toBe('Not available');
  } else if (typeof rest === 'string') {
    expect(cell, what).toBe(rest);
  } else {
    expect(typeof cell, `${what}: ${cell}`).toBe('number');
    expect(Math.abs((cell as number) - rest), `${what}: page ${cell}, API ${rest}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
  }
}

/** Each body row of `table`: its header cell then its data cells, as text. */
async function rows(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => (cell as HTMLElement).innerText)),
  );
}

interface SurvivalPoint {
  years: number;
  at_risk: Count;
  revisions: Count;
  cumulative_percent_revised: number | null;
  lower_95: number | null;
  upper_95: number | null;
}

async function expectSurvivalTable(table: Locator, points: SurvivalPoint[]) {
  const shown = await rows(table);
  expect(shown.map((row) => Number(row[0]))).toEqual(points.map((point) => point.years));
  for (const [index, point] of points.entries()) {
    const [, atRisk, revisions, percent, interval] = shown[index].map(cellValue);
    const what = `year ${point.years}`;
    expectSameNumber(atRisk, point.at_risk, 0, `${what} at risk`);
    expectSameNumber(revisions, point.revisions, 0, `${what} revisions`);
    expectSameNumber(percent, point.cumulative_percent_revised, 2, `${what} cumulative % revised`);
    if (point.lower_95 === null || point.upper_95 === null) {
      expect(interval).toBe('Not available');
    } else {
      const [lower, upper] = String(interval).split('–').map(Number);
      expectSameNumber(lower, point.lower_95, 2, `${what} lower 95 %`);
      expectSameNumber(upper, point.upper_95, 2, `${what} upper 95 %`);
    }
  }
}

test('the public dashboard works by keyboard, with a table for every chart', async ({ page }) => {
  await page.goto('/');
  const link = page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Statistics', exact: true });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await dashboardLoaded(page);

  // Every chart is a figure with a title and subtitle, followed by a table of its figures.
  const charts = page.locator('figure.app-chart');
  const count = await charts.count();
  expect(count).toBeGreaterThanOrEqual(6);
  for (let index = 0; index < count; index++) {
    const chart = charts.nth(index);
    await expect(chart.locator('.app-chart__title')).not.toBeEmpty();
    await expect(chart.locator('.app-chart__subtitle')).not.toBeEmpty();
    await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /.+/);
    const table = chart.locator('xpath=following-sibling::*').getByRole('table').first();
    await expect(table).toBeVisible();
    await expect(table.locator('caption')).not.toBeEmpty();
  }
  for (const name of ['Procedures by year', 'Survival by body site', 'Survival of a device', 'Revision rates and outliers', 'Completeness', 'How these figures are made']) {
    await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
  }
  // The synthetic registry's worse devices are flagged, and said in words.
  await expect(page.getByText(/^\d+ devices? (is|are) flagged as (an )?outliers?:$/)).toBeVisible();
  await expect(page.getByText(/counts of people or procedures from 1 to 7 are shown as "1–7"/)).toBeVisible();
  await expectNoAxeViolations(page);

  // Filter by keyboard: knees only.
  await tabTo(page, page.getByLabel('Body site', { exact: true }));
  await page.getByLabel('Body site', { exact: true }).selectOption({ label: 'Knee' });
  await tabTo(page, page.getByRole('button', { name: 'Update the figures' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/body_site=knee/);
  await expect(page.getByRole('table', { name: 'Cumulative percent revised, knee' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Cumulative percent revised, hip' })).toHaveCount(0);

  // Wide tables scroll in a region the keyboard reaches.
  await expect(page.getByRole('region', { name: 'Revision rates by device, table' })).toHaveAttribute('tabindex', '0');
});

test('the tables hold the same figures as the REST API', async ({ page, request }) => {
  await page.goto('/statistics');
  const asOf = await dashboardLoaded(page);

  // Survival of every hip primary.
  const hip = await request.get(`/api/v1/statistics/survival?body_site=hip&as_of=${asOf}`);
  expect(hip.ok()).toBe(true);
  const hipReport = (await hip.json()) as { table: SurvivalPoint[] };
  // Both say when the registry's records behind the figures were read.
  const readAt = new Date(hip.headers()['last-modified']);
  expect(Number.isNaN(readAt.getTime())).toBe(false);
  expect(readAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  await expect(page.getByText(/^Worked out from the registry's records as they were on \d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}(:\d{2})?(am|pm)\./)).toBeVisible();
  expect(hipReport.table.some((point) => point.cumulative_percent_revised !== null)).toBe(true);
  await expectSurvivalTable(page.getByRole('table', { name: 'Cumulative percent revised, hip' }), hipReport.table);

  // The device shown in "Survival of a device" (the most used one, by default).
  const deviceCsv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download survival of this device (CSV)' }).click();
  const deviceLines = readFileSync((await (await deviceCsv).path())!, 'utf8').trim().split('\n');
  const identifier = deviceLines[1].split(',')[0].replace(/"/g, '');
  const device = await request.get(`/api/v1/statistics/survival?device_identifier=${identifier}&as_of=${asOf}`);
  expect(device.ok()).toBe(true);
  const deviceTable = page.locator('section[aria-labelledby="survival-of-device"]').getByRole('table');
  await expectSurvivalTable(deviceTable, ((await device.json()) as { table: SurvivalPoint[] }).table);

  // Revision rates and outliers: every device of the API's answer (the flagged ones) is a row
  // of the table, with the same figures.
  const outliers = await request.get(`/api/v1/statistics/outliers?as_of=${asOf}`);
  expect(outliers.ok()).toBe(true);
  const answer = (await outliers.json()) as {
    outliers: {
      device_identifier: string;
      primaries: Count;
      revisions: Count;
      component_years: number;
      rate_per_100: number | null;
      group_rate_per_100: number | null;
      ratio: number | null;
      p_value: number | null;
      njr_level: number | null;
      flagged: boolean;
    }[];
  };
  expect(answer.outliers.length).toBeGreaterThan(0);
  const rates = await rows(page.getByRole('table', { name: /^Revision rates by device/ }));
  for (const rest of answer.outliers) {
    const row = rates.find((cells) => cells[0].includes(`(${rest.device_identifier})`));
    expect(row, `a table row for ${rest.device_identifier}`).toBeDefined();
    const [, , primaries, revisions, years, rate, , group, ratio, pValue] = row!.map(cellValue);
    const what = rest.device_identifier;
    expectSameNumber(primaries, rest.primaries, 0, `${what} primaries`);
    expectSameNumber(revisions, rest.revisions, 0, `${what} revisions`);
    expectSameNumber(years, rest.component_years, 1, `${what} component-years`);
    expectSameNumber(rate, rest.rate_per_100, 2, `${what} rate`);
    expectSameNumber(group, rest.group_rate_per_100, 2, `${what} group rate`);
    expectSameNumber(ratio, rest.ratio, 2, `${what} ratio`);
    if (rest.p_value !== null && rest.p_value < 0.001) expect(pValue).toBe('less than 0.001');
    else expectSameNumber(pValue, rest.p_value, 3, `${what} p-value`);
    expect(String(row![11]).trim(), `${what} flagged`).toBe(rest.flagged ? 'Outlier' : 'No');
  }
  // The API lists the flagged devices: exactly those the table marks as outliers.
  const flaggedOnPage = rates.filter((cells) => cells[11].trim() === 'Outlier').map((cells) => /\(([^()]+)\)$/.exec(cells[0].trim())![1]);
  expect(answer.outliers.every((rest) => rest.flagged)).toBe(true);
  expect(flaggedOnPage.sort()).toEqual(answer.outliers.map((rest) => rest.device_identifier).sort());
});

test('at 375 px the dashboard fits the screen, and its wide tables scroll in their own region', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  for (const path of ['/statistics', '/statistics?body_site=knee']) {
    await page.goto(path);
    await dashboardLoaded(page);
    expect(await pageWidth(), `${path} is no wider than the screen`).toBeLessThanOrEqual(375);
  }
  // The survival table is wider than a phone: its region scrolls, from the keyboard too.
  const region = page.getByRole('region', { name: 'Cumulative percent revised, knee, table', exact: true });
  const overflow = await region.evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(overflow).toBeGreaterThan(0);
  await region.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
  expect(await pageWidth()).toBeLessThanOrEqual(375);
});

test('a filter that is not a date is named in the error summary, linked to its field', async ({ page }) => {
  await page.goto('/statistics?as_of=2099-01-01');
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeVisible();
  await summary.getByRole('link', { name: /analysis date must be today or in the past/i }).click();
  await expect(page.getByLabel('Analysis date')).toBeFocused();
  await expectNoAxeViolations(page);
});

test('each figure downloads as CSV, with its header row and the figures of its table', async ({ page }) => {
  await page.goto('/statistics');
  await dashboardLoaded(page);
  const volumes = await rows(page.getByRole('table', { name: 'Procedures by year and body site' }));
  for (const [button, header] of [
    ['Download procedures by year (CSV)', 'year,body_site,primaries,revisions_and_removals'],
    ['Download survival by body site (CSV)', 'body_site,years,at_risk,revisions,cumulative_percent_revised,lower_95,upper_95'],
    ['Download survival of this device (CSV)', 'device_identifier,name,manufacturer,years,at_risk'],
    ['Download revision rates by device (CSV)', 'device_identifier,name,manufacturer,body_site,primaries,revisions'],
    ['Download completeness (CSV)', 'scope,year,procedures,linkable,linkable_percent'],
  ]) {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: button }).focus();
    await page.keyboard.press('Enter');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync((await file.path())!, 'utf8');
    expect(text.startsWith(header), `${button}: ${text.slice(0, 120)}`).toBe(true);
    expect(text.trim().split('\n').length).toBeGreaterThan(1);
    await expect(page.getByText(`Saved ${file.suggestedFilename()}.`)).toBeVisible();
    if (button === 'Download procedures by year (CSV)') {
      // A value: the table's last row (the latest year), its primaries as the CSV has them.
      const lines = text.trim().split('\n').map((line) => line.split(','));
      const [year, site, primaries] = volumes[volumes.length - 1].map((cell) => cell.trim());
      const line = lines.find((cells) => cells[0] === year && cells[1] === site.toLowerCase());
      expect(line, `a CSV line for ${year}, ${site}`).toBeDefined();
      expect(cellValue(line![2])).toEqual(cellValue(primaries));
    }
  }
});

test('the clinic view shows that clinic only, beside the national figures', async ({ page }) => {
  await signIn(page, DEMO.clinician);
  // The clinic records a procedure of its own.
  await page.goto('/records/new');
  await fillProcedure(page, 'STATS1', 14, { consent: 'declined' });
  await page.getByRole('button', { name: 'Submit record' }).click();
  await acceptedRecordId(page, /Hip \(left\), 14 November 2026/);

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
  const text = readFileSync((await (await download).path())!, 'utf8');
  const scopes = new Set(text.trim().split('\n').slice(1).map((line) => line.split(',')[0].replace(/"/g, '')));
  expect(scopes).toEqual(new Set([DEMO.organisation, 'national']));
});
