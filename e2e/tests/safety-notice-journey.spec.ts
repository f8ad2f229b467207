import { expect, type Browser, type Locator, type Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoAxeViolations } from '../support/accessibility';
import { signIn, signOut } from '../support/accounts';
import { DEMO } from '../support/demo';
import { emailedLink, testNhsNumber } from '../support/patients';
import { acceptedRecordId, fillProcedure } from '../support/records';
import { gtin } from '../support/registry';

// Issue 13 end to end, as the people do it: a clinic records an implant whose box label the
// register does not know, and its patient links the record to their account; an
// administrator imports a GUDID release (e2e/fixtures/gudid, synthetic brands), clears the
// review-queue item by matching the unknown identifier to an imported device, and publishes
// a safety notice for a lot range of it; the clinic manager sees the affected record and
// says what was done; the patient sees the notice and was emailed. Text is typed with the
// keyboard; every new page and its error states pass axe.
//
// The name sorts this file after patients.spec.ts, which counts every patient link.

test.describe.configure({ mode: 'serial' });

const fixtures = join(__dirname, '..', 'fixtures', 'gudid');
/** The imported stem, its box (in identifiers.txt), and a box label GUDID does not list. */
const STEM = gtin('0506077700001');
const UNLISTED_BOX = gtin('0506077700009');
const LOT = 'LK150';
const REFERENCE = `FSN-E2E-${Date.now() % 100000}`;
const TITLE = 'Larkspur hip stems from lots LK100 to LK199 may loosen';

const patient = {
  name: 'Morgan Sample',
  email: `morgan.${Date.now()}@example.test`,
  password: 'copper meadow lantern 51',
  nhsNumber: testNhsNumber(),
  born: [4, 7, 1957] as [number, number, number],
};
let recordId = 0;
/** How much of the server's log (its dev-mode mail) there was before publishing. */
let logBeforePublishing = 0;

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
}

/** Types into a field as a person does: focus, then key by key. */
async function type(field: Locator, text: string) {
  await field.focus();
  await field.page().keyboard.type(text);
}

function serverLog(): string {
  return readFileSync(process.env.E2E_SERVER_LOG!, 'utf8');
}

/** The mail lines written to the log since `from` (characters), for `email`. */
function mailSince(from: number, email: string): string[] {
  return serverLog()
    .slice(from)
    .split('\n')
    .filter((line) => line.includes(`to="${email}"`));
}

test('a clinic records an implant from a box the register does not know, and its patient adds it to their account', async ({ browser }) => {
  const clinic = await newPage(browser);
  await signIn(clinic, DEMO.clinician);
  await clinic.goto('/records/new');
  await fillProcedure(clinic, LOT, 12, { nhsNumber: patient.nhsNumber, born: patient.born, device: UNLISTED_BOX });
  await clinic.getByRole('button', { name: 'Submit record' }).click();
  recordId = await acceptedRecordId(clinic, /Hip \(left\), 12 November 2026/);
  await clinic.goto(`/records/${recordId}/card`);
  const claimCode = ((await clinic.locator('.app-claim-code').textContent()) ?? '').trim();
  expect(claimCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await clinic.context().close();

  const page = await newPage(browser);
  await page.goto('/register');
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible();
  await type(page.getByLabel('Your name'), patient.name);
  await type(page.getByLabel('Email address'), patient.email);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await page.goto(await emailedLink(patient.email));
  await type(page.getByLabel('New password'), patient.password);
  await type(page.getByLabel('Type the password again'), patient.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Your account is ready' })).toBeVisible();
  await page.goto('/my-implants/add');
  await expect(page.getByRole('heading', { level: 1, name: 'Add your implant record' })).toBeVisible();
  await type(page.getByLabel('Claim code'), claimCode);
  await type(page.getByLabel('NHS number'), patient.nhsNumber);
  const birth = page.getByRole('group', { name: 'Date of birth' });
  await type(birth.getByLabel('Day'), String(patient.born[0]));
  await type(birth.getByLabel('Month'), String(patient.born[1]));
  await type(birth.getByLabel('Year'), String(patient.born[2]));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Record added' })).toBeVisible();
  // No notice yet: the register does not even know the device.
  await expect(page.locator('.app-safety-notice')).toHaveCount(0);
});

test('an administrator imports a GUDID release and reads the row report; a wrong file is refused', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Device register' }).click();
  await page.getByRole('navigation', { name: 'Device register' }).getByRole('link', { name: 'Import devices' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import devices' })).toBeVisible();
  const upload = page.getByRole('button', { name: 'Upload and import' });

  // Nothing chosen: both files are asked for, linked from the summary.
  await upload.focus();
  await page.keyboard.press('Enter');
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary.getByRole('link', { name: 'Choose the device.txt file' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Choose the identifiers.txt file' })).toBeVisible();
  await expectNoAxeViolations(page);

  // The two files the wrong way round: device.txt's header lacks its columns.
  await page.getByLabel('device.txt', { exact: true }).setInputFiles(join(fixtures, 'identifiers.txt'));
  await page.getByLabel('identifiers.txt', { exact: true }).setInputFiles(join(fixtures, 'device.txt'));
  await upload.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: /brandName|column/ }).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('heading', { name: 'Import report' })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByLabel('device.txt', { exact: true }).setInputFiles(join(fixtures, 'device.txt'));
  await page.getByLabel('identifiers.txt', { exact: true }).setInputFiles(join(fixtures, 'identifiers.txt'));
  await upload.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Import report' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('Import finished.')).toBeVisible();
  const devices = page.locator('.nhsuk-summary-list').first();
  const count = (key: string) => devices.locator('.nhsuk-summary-list__row').filter({ has: page.getByText(key, { exact: true }) }).locator('dd');
  await expect(count('Rows')).toHaveText('3');
  await expect(count('Added')).toHaveText('2');
  await expect(count('Rejected')).toHaveText('1');
  // The head's identifier has a mistyped check digit: its line and the reason.
  const rejected = page.getByRole('table', { name: 'Rows of device.txt left out, and why' });
  await expect(rejected.getByRole('row').nth(1)).toContainText('4');
  await expect(rejected.getByRole('row').nth(1)).toContainText('check digit');
  await expectNoAxeViolations(page);

  // The register finds the stem by its box's identifier.
  await page.goto('/admin/devices');
  await type(page.getByRole('textbox', { name: /Device identifier, brand/ }), gtin('1506077700001'));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main').getByRole('table').getByRole('link', { name: /Larkspur Hip Stem/ })).toBeVisible();
});

test('the administrator clears the review-queue item by matching it to the imported stem', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto('/admin/devices/review');
  const item = page.locator('.nhsuk-card').filter({ has: page.getByRole('heading', { name: new RegExp(`^${UNLISTED_BOX} `) }) });
  await expect(item).toContainText('1 component in 1 record');
  await expect(item).toContainText(`${DEMO.organisation}: 1`);
  await expectNoAxeViolations(page);
  const match = item.getByLabel(`Match ${UNLISTED_BOX} to the register entry with this device identifier`);

  // An identifier the register does not hold is said at the field.
  await type(match, gtin('0506077799999'));
  await page.keyboard.press('Enter');
  await expect(item.getByRole('alert').getByRole('link', { name: /No register entry matches/ })).toBeVisible();
  await expectNoAxeViolations(page);

  await match.fill('');
  await type(match, STEM);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: `${UNLISTED_BOX} is now in the register: 1 component in 1 record linked to it.` })).toBeVisible();
  await expect(page.getByRole('heading', { name: new RegExp(`^${UNLISTED_BOX} `) })).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('the administrator publishes a notice for a lot range; a missing field and an unchecked review are said', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Safety notices' }).click();
  await page.getByRole('link', { name: 'Create a safety notice' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create a safety notice' })).toBeVisible();
  await expectNoAxeViolations(page);

  await type(page.getByLabel('Notice reference'), REFERENCE);
  // The title is left out for now.
  await type(page.getByLabel("Manufacturer's FSN reference"), 'FEN-FSN-2026-3');
  const fsnDate = page.getByRole('group', { name: "Date of the manufacturer's notice" });
  await type(fsnDate.getByLabel('Day'), '20');
  await type(fsnDate.getByLabel('Month'), '11');
  await type(fsnDate.getByLabel('Year'), '2026');
  await type(page.getByLabel('The problem'), 'Some stems from these lots may loosen in the bone earlier than expected.');
  await type(page.getByLabel('The risk'), 'A loose stem can cause thigh pain and may need another operation.');
  await type(page.getByLabel('What clinics must do'), 'Contact each patient and offer a review with an X-ray within three months.');
  await type(page.getByLabel('What patients should do'), 'You do not need to do anything now. Your clinic will contact you about a check-up.');
  const device = page.getByRole('group', { name: 'Device 1' });
  await type(device.getByLabel('Device identifier (UDI-DI)'), STEM);
  await device.getByRole('radio', { name: /range of lots/i }).check();
  await type(device.getByLabel('First lot or serial number of the range'), 'LK100');
  await type(device.getByLabel('Last lot or serial number of the range'), 'LK199');
  const save = page.getByRole('button', { name: 'Save draft' });
  await save.focus();
  await page.keyboard.press('Enter');
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  const titleError = summary.getByRole('link', { name: /title/i });
  await expect(titleError).toBeVisible();
  await expectNoAxeViolations(page);
  await titleError.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Title')).toBeFocused();
  await page.keyboard.type(TITLE);
  await save.focus();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/admin\/notices\/\d+$/);

  await expect(page.getByRole('heading', { level: 1, name: `${REFERENCE}: ${TITLE}` })).toBeVisible();
  // Before publishing, the preview already finds the record cleared from the review queue.
  const preview = page.getByRole('table', { name: 'Records concerned, acknowledged and outstanding, by clinic' });
  await expect(preview.getByRole('row').filter({ hasText: DEMO.organisation })).toContainText(/Affected\s*1/);
  await expectNoAxeViolations(page);

  const publish = page.getByRole('button', { name: 'Publish version 1' });
  await publish.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').getByRole('link', { name: /Confirm you have checked the notice/ })).toBeVisible();
  await expectNoAxeViolations(page);

  logBeforePublishing = serverLog().length;
  await page.getByLabel(/I have checked the notice/).focus();
  await page.keyboard.press('Space');
  await publish.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/^Version 1 is published\. 1 clinic told \(\d+ managers? emailed\); 1 patient emailed\.$/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Version 1 in force' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the clinic manager sees the affected record and says what was done; "not affected" needs a reason', async ({ page }) => {
  // The manager was emailed, without any patient named.
  let managerMail: string[] = [];
  await expect.poll(() => (managerMail = mailSince(logBeforePublishing, DEMO.manager)).length).toBeGreaterThan(0);
  expect(managerMail[0]).toContain(`Safety notice ${REFERENCE}: action needed`);
  expect(managerMail[0]).not.toContain(patient.nhsNumber);

  await signIn(page, DEMO.manager);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Safety notices' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Safety notices' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: REFERENCE });
  await expect(row).toContainText('1 affected, 0 possibly affected');
  await expect(row).toContainText('1 record');
  await expectNoAxeViolations(page);
  await row.getByRole('link', { name: `${REFERENCE}: ${TITLE}` }).focus();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: `${REFERENCE}: ${TITLE}` })).toBeVisible();
  const card = page.locator('.app-concerned-record').filter({ has: page.getByRole('link', { name: `Record ${recordId}` }) });
  await expect(card).toContainText('Affected');
  await expect(card).toContainText('Linked to the patient');
  await expect(card).toContainText(`lot ${LOT}`);
  await expectNoAxeViolations(page);

  const choice = card.getByRole('group', { name: `What was done for record ${recordId}?` });
  const saveIt = card.getByRole('button', { name: `Save for record ${recordId}` });
  await choice.getByRole('radio', { name: 'Not affected: give the reason' }).check();
  await saveIt.focus();
  await page.keyboard.press('Enter');
  await expect(card.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await expectNoAxeViolations(page);

  await choice.getByRole('radio', { name: 'Patient contacted' }).check();
  await saveIt.focus();
  await page.keyboard.press('Enter');
  await expect(card.getByRole('status')).toContainText('Patient contacted. Recorded by');
  await expectNoAxeViolations(page);

  // The list now has nothing left to do for this notice.
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Safety notices' }).click();
  await expect(page.getByRole('row').filter({ hasText: REFERENCE })).toContainText('0 records');
  await signOut(page);
});

test('the patient was emailed without health details and reads the notice on their implants', async ({ page }) => {
  let mail: string[] = [];
  await expect.poll(() => (mail = mailSince(logBeforePublishing, patient.email)).length).toBeGreaterThan(0);
  expect(mail).toHaveLength(1);
  expect(mail[0]).toContain('subject="New information about your implant"');
  expect(mail[0]).toContain('There is new information about your implant. Sign in to read it');
  for (const detail of [REFERENCE, 'Larkspur', LOT, 'hip']) expect(mail[0]).not.toContain(detail);

  await signIn(page, patient.email, patient.password);
  await expect(page.getByRole('heading', { level: 1, name: 'Your implants' })).toBeVisible();
  const notice = page.locator('.app-safety-notice');
  await expect(notice.getByRole('heading', { name: `Safety notice: ${TITLE}` })).toBeVisible();
  await expect(notice).toContainText('Your clinic will contact you about a check-up.');
  await expect(notice).toContainText(`Notice ${REFERENCE}`);
  await expectNoAxeViolations(page);
});
