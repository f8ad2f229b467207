import { expect, type Page } from '@playwright/test';
import { DEVICES, udi } from './registry';

export interface ProcedureOptions {
  consent?: 'given' | 'declined';
  /** With consent: the patient's NHS number and date of birth (day, month, year). */
  nhsNumber?: string;
  born?: [number, number, number];
  /** The implanted device's GTIN (a demo register device). */
  device?: string;
}

/** Fills a complete record. `day` (of November 2026) keeps each test's outbox label apart. */
export async function fillProcedure(page: Page, lot: string, day: number, options: ProcedureOptions = {}) {
  await page.getByLabel('Site').selectOption({ label: 'Main theatre' });
  await page.getByLabel("Responsible consultant's GMC number").fill('1234567');
  const date = page.getByRole('group', { name: 'Procedure date' });
  await date.getByLabel('Day').fill(String(day));
  await date.getByLabel('Month').fill('11');
  await date.getByLabel('Year').fill('2026');
  await page.getByRole('radio', { name: 'Primary implant' }).check();
  await page.getByLabel('Where the implant is').selectOption({ label: 'Hip' });
  await page.getByRole('radio', { name: 'Left', exact: true }).check();
  await page.getByLabel('Component 1: UDI').fill(udi(options.device ?? DEVICES.stem, '281231', lot));
  if (options.consent === 'declined') {
    await page.getByRole('radio', { name: /^Declined/ }).check();
    await page.getByLabel('Year of birth').fill('1960');
  } else {
    const [day, month, year] = options.born ?? [13, 5, 1960];
    await page.getByRole('radio', { name: /^Given/ }).check();
    await page.getByLabel('NHS number').fill(options.nhsNumber ?? '999 123 4578');
    const birth = page.getByRole('group', { name: 'Date of birth' });
    await birth.getByLabel('Day').fill(String(day));
    await birth.getByLabel('Month').fill(String(month));
    await birth.getByLabel('Year').fill(String(year));
  }
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByLabel('Postcode district (optional)').fill('LS1');
}

/** Waits for the outbox item headed `label` to be accepted; returns its record id. */
export async function acceptedRecordId(page: Page, label: RegExp): Promise<number> {
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: label }) });
  await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 20_000 });
  const text = (await item.textContent()) ?? '';
  return Number(/record (\d+)/.exec(text)![1]);
}
