import { expect, type Page, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoAxeViolations } from '../support/accessibility';
import { signIn } from '../support/accounts';
import { DEMO } from '../support/demo';
import { DEVICES, databaseFiles, query, udi } from '../support/registry';
import { acceptedRecordId, fillProcedure } from '../support/records';

test.describe.configure({ mode: 'serial' });

// One sign-in for the file, kept like a browser keeps its session.
const clinicianState = join(process.env.E2E_DATA_DIR!, 'clinician-state.json');
test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  await signIn(await context.newPage(), DEMO.clinician);
  await context.storageState({ path: clinicianState });
  await context.close();
});
test.use({ storageState: clinicianState });

/** Presses Tab until `target` has focus (keyboard only, as a person without a mouse works). */
async function tabTo(page: Page, target: ReturnType<Page['getByLabel']>, limit = 80) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} by Tab`);
}

test('a clinician records a procedure with the keyboard alone', async ({ page }) => {
  await page.goto('/records');
  await page.getByRole('link', { name: 'Record a procedure' }).first().press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Record a procedure' })).toBeFocused();
  await expect(page.getByText('For Riverside Implant Clinic (demo).')).toBeVisible();
  await expectNoAxeViolations(page);

  const keyboard = page.keyboard;
  await tabTo(page, page.getByLabel('Site'));
  await keyboard.press('ArrowDown');
  await tabTo(page, page.getByLabel("Responsible consultant's GMC number"));
  await keyboard.type('1234567');
  await tabTo(page, page.getByRole('group', { name: 'Procedure date' }).getByLabel('Day'));
  await keyboard.type('2');
  await keyboard.press('Tab');
  await keyboard.type('11');
  await keyboard.press('Tab');
  await keyboard.type('2026');
  await tabTo(page, page.getByRole('radio', { name: 'Primary implant' }));
  await keyboard.press('Space');
  await tabTo(page, page.getByLabel('Where the implant is'));
  await keyboard.press('ArrowDown'); // Hip, the first site
  await tabTo(page, page.getByRole('radio', { name: 'Left', exact: true }));
  await keyboard.press('Space');
  await tabTo(page, page.getByLabel('Component 1: UDI'));
  await keyboard.type(udi(DEVICES.stem, '281231', 'KEYBOARD1'));
  await expect(page.getByText(/Reads as: Meridian cementless hip stem/)).toBeVisible();
  // Tab reaches a radio group once; the arrow keys move within it (and choose).
  await tabTo(page, page.getByRole('radio', { name: /^Given/ }));
  await keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /^Declined/ })).toBeChecked();
  await tabTo(page, page.getByLabel('Year of birth'));
  await keyboard.type('1958');
  await tabTo(page, page.getByRole('radio', { name: 'Female', exact: true }));
  await keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Male', exact: true })).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Submit record' }));
  await keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: 'Procedure records' })).toBeVisible();
  const recordId = await acceptedRecordId(page, /Hip \(left\), 2 November 2026/);
  expect(query(`SELECT COUNT(*) FROM procedure_components WHERE lot = 'KEYBOARD1'`)).toEqual([[1]]);
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: `Record ${recordId}`, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Record ${recordId}` })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('errors are summarised, linked to their fields, and an expired device must be confirmed', async ({ page }) => {
  await page.goto('/records/new');
  await page.getByRole('button', { name: 'Submit record' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Choose the site where the procedure took place' })).toBeVisible();
  await expectNoAxeViolations(page);
  await summary.getByRole('link', { name: "Enter the consultant's GMC number: 7 digits" }).click();
  await expect(page.getByLabel("Responsible consultant's GMC number")).toBeFocused();

  await fillProcedure(page, 'EXPIRED1', 3, { consent: 'declined' });
  await page.getByLabel('Component 1: UDI').fill(udi(DEVICES.stem, '250131', 'EXPIRED1'));
  await page.getByLabel('NHS number').count();
  await page.getByRole('button', { name: 'Submit record' }).click();
  await expect(summary.getByRole('link', { name: /Component 1 expired on 31 January 2025/ })).toBeVisible();
  await expectNoAxeViolations(page);
  await summary.getByRole('link', { name: /Component 1 expired/ }).click();
  await expect(page.getByLabel(/^I have checked/)).toBeFocused();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Submit record' }).click();
  await acceptedRecordId(page, /Hip \(left\), 3 November 2026/);
});

test('what was typed survives a reload', async ({ page }) => {
  await page.goto('/records/new');
  await page.getByLabel("Responsible consultant's GMC number").fill('7654321');
  await page.getByLabel('Component 1: UDI').fill(udi(DEVICES.head, '290630', 'RELOAD1'));
  await page.getByRole('radio', { name: /^Given/ }).check();
  await page.getByLabel('NHS number').fill('999 123 4578');
  await expect(page.getByText(/Draft saved on this device, encrypted/)).toBeVisible();
  await page.reload();
  await expect(page.getByText('We restored the record you had started on this device.')).toBeVisible();
  await expect(page.getByLabel("Responsible consultant's GMC number")).toHaveValue('7654321');
  await expect(page.getByLabel('Component 1: UDI')).toHaveValue(udi(DEVICES.head, '290630', 'RELOAD1'));
  await expect(page.getByLabel('NHS number')).toHaveValue('999 123 4578');
  await page.getByRole('button', { name: 'Start again with an empty form' }).click();
  await expect(page.getByLabel("Responsible consultant's GMC number")).toHaveValue('');
});

test('a record made offline is sent when the connection returns, exactly once', async ({ page, context }) => {
  await page.goto('/records/new');
  await expect(page.getByText('For Riverside Implant Clinic (demo).')).toBeVisible();
  await context.setOffline(true);
  await fillProcedure(page, 'OFFLINE1', 4);
  await page.getByRole('button', { name: 'Submit record' }).click();
  const item = page.getByRole('listitem').filter({ hasText: 'Hip (left), 4 November 2026' });
  await expect(item.getByText('Waiting to send')).toBeVisible();
  await expect(page.getByText(/The registry cannot be reached/)).toBeVisible();
  await expectNoAxeViolations(page);
  expect(query(`SELECT COUNT(*) FROM procedure_components WHERE lot = 'OFFLINE1'`)).toEqual([[0]]);

  await context.setOffline(false);
  const recordId = await acceptedRecordId(page, /Hip \(left\), 4 November 2026/);
  expect(recordId).toBeGreaterThan(0);
  expect(query(`SELECT COUNT(*) FROM procedure_components WHERE lot = 'OFFLINE1'`)).toEqual([[1]]);
  // The outbox no longer holds the identifiers.
  const stored = await page.evaluate(async () => {
    const database: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('implant-registry');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const rows: unknown[] = await new Promise((resolve) => {
      const request = database.transaction('outbox').objectStore('outbox').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    return rows as { state: string; sealed: unknown }[];
  });
  expect(stored.filter((row) => row.state === 'accepted').every((row) => row.sealed === null)).toBe(true);
});

test('an answer lost after the registry stored the record does not make a second copy', async ({ page }) => {
  await page.goto('/records/new');
  await fillProcedure(page, 'LOSTREPLY1', 7, { consent: 'declined' });
  // The first submission reaches the registry, but its answer never reaches the browser, as
  // when a connection drops at the wrong moment. The outbox must retry, and the registry must
  // recognise the retry.
  let dropped = 0;
  await page.route('**/api/procedures/submit', async (route) => {
    if (dropped === 0) {
      dropped += 1;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Submit record' }).click();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Hip (left), 7 November 2026' }) });
  await expect(item.getByText(/Not sent yet/)).toBeVisible();
  await item.getByRole('button', { name: /Send .* now/ }).click();
  await acceptedRecordId(page, /Hip \(left\), 7 November 2026/);
  expect(dropped).toBe(1);
  expect(query(`SELECT COUNT(*) FROM procedure_components WHERE lot = 'LOSTREPLY1'`)).toEqual([[1]]);
});

test('no NHS number or date of birth reaches the network, the log, the database or the browser storage', async ({ page }) => {
  const bodies: string[] = [];
  page.on('request', (request) => {
    bodies.push(`${request.url()}\n${request.postData() ?? ''}`);
  });
  await page.goto('/records/new');
  await fillProcedure(page, 'PRIVACY1', 5);
  await page.getByRole('button', { name: 'Submit record' }).click();
  const recordId = await acceptedRecordId(page, /Hip \(left\), 5 November 2026/);
  await page.goto(`/records/${recordId}/card`);
  await expect(page.getByText(/The code works once/)).toBeVisible();

  const indexedDb = await page.evaluate(async () => {
    const database: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('implant-registry');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const dump: unknown[] = [];
    for (const store of Array.from(database.objectStoreNames)) {
      dump.push(
        await new Promise((resolve) => {
          const request = database.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
        }),
      );
    }
    return JSON.stringify(dump);
  });

  const forbidden = [
    /9991234578/, /999 123 4578/, /999-123-4578/, /999\s*123\s*4578/,
    /1960-05-13/, /13\/05\/1960/, /13\/5\/1960/, /13051960/, /19600513/, /13 May 1960/i, /1960-5-13/,
  ];
  const places: Record<string, string> = {
    'request bodies and URLs': bodies.join('\n'),
    'server log': readFileSync(process.env.E2E_SERVER_LOG!, 'utf8'),
    IndexedDB: indexedDb,
  };
  for (const file of databaseFiles().filter(existsSync)) {
    places[file] = readFileSync(file).toString('latin1');
  }
  expect(places['request bodies and URLs']).toContain('pseudonym/evaluate');
  expect(places['server log'].length).toBeGreaterThan(0);
  for (const [place, text] of Object.entries(places)) {
    for (const pattern of forbidden) {
      expect(pattern.test(text), `${pattern} found in ${place}`).toBe(false);
    }
  }
});

test('a correction keeps the earlier version and the implant card is printable', async ({ page }) => {
  await page.goto('/records/new');
  await fillProcedure(page, 'BEFORE1', 6);
  await page.getByRole('button', { name: 'Submit record' }).click();
  const recordId = await acceptedRecordId(page, /Hip \(left\), 6 November 2026/);
  await page.goto(`/records/${recordId}/correct`);
  await expect(page.getByRole('heading', { level: 1, name: 'Correct a record' })).toBeVisible();
  await expect(page.getByLabel('Component 1: UDI')).toHaveValue(udi(DEVICES.stem, '281231', 'BEFORE1'));
  await expectNoAxeViolations(page);
  await page.getByLabel('Component 1: UDI').fill(udi(DEVICES.stem, '281231', 'AFTER1'));
  await page.getByLabel('What was wrong and what you corrected').fill('Lot number mistyped');
  await page.getByRole('button', { name: 'Submit correction' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Procedure records' })).toBeVisible();
  expect(await acceptedRecordId(page, new RegExp(`Correction of record ${recordId}: Hip \\(left\\), 6 November 2026`))).toBe(recordId);
  await page.goto(`/records/${recordId}`);
  await expect(page.getByText('Version 2 corrected this record: Lot number mistyped')).toBeVisible();
  await page.getByText('Earlier versions (1)').click();
  await expect(page.getByRole('cell', { name: 'BEFORE1', exact: true })).toBeVisible();
  expect(query(`SELECT version, patient_pseudonym IS NOT NULL FROM procedure_versions WHERE procedure_id = ${recordId} ORDER BY version`)).toEqual([[1, 1], [2, 1]]);

  await page.getByRole('link', { name: 'Print the implant card' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Implant card' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Meridian cementless hip stem/ })).toBeVisible();
  await expect(page.locator('.app-claim-code')).toHaveText(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await expectNoAxeViolations(page);
});
