import { expect, type Browser, type Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectNoAxeViolations } from '../support/accessibility';
import { enrol, signIn, signOut } from '../support/accounts';
import { DEMO, DEMO_PASSWORD } from '../support/demo';
import { emailedLink, fillClaim, testNhsNumber } from '../support/patients';
import { acceptedRecordId, fillProcedure } from '../support/records';
import { DEVICES, query } from '../support/registry';
// FHIR.js (Lantana) validates resources against the FHIR R4 (4.0) structure definitions.
import { Fhir } from 'fhir';


test.describe.configure({ mode: 'serial' });

const patient = {
  name: 'Robin Example',
  email: `robin.${Date.now()}@example.test`,
  password: 'amber orchard lantern 77',
  nhsNumber: testNhsNumber(),
  born: [21, 3, 1968] as [number, number, number],
};
let recordId = 0;
let claimCode = '';

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
}

test('a clinic records an implant and prints the card with its claim code', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, DEMO.clinician);
  await page.goto('/records/new');
  await fillProcedure(page, 'H2291', 9, { nhsNumber: patient.nhsNumber, born: patient.born, device: DEVICES.head });
  await page.getByRole('button', { name: 'Submit record' }).click();
  recordId = await acceptedRecordId(page, /Hip \(left\), 9 November 2026/);
  await page.goto(`/records/${recordId}/card`);
  await expect(page.getByRole('heading', { level: 2, name: 'See your implant record online' })).toBeVisible();
  claimCode = ((await page.locator('.app-claim-code').textContent()) ?? '').trim();
  expect(claimCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
});

test('a patient creates an account, claims the record with the card, sees it and downloads it', async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeFocused();
  await expectNoAxeViolations(page);
  await page.getByLabel('Your name').fill(patient.name);
  await page.getByLabel('Email address').fill(patient.email);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

  await page.goto(await emailedLink(patient.email));
  await expect(page.getByRole('heading', { level: 1, name: 'Choose your password' })).toBeVisible();
  await page.getByLabel('New password').fill(patient.password);
  await page.getByLabel('Type the password again').fill(patient.password);
  await page.getByRole('button', { name: 'Save password' }).click();
  // The emailed link proved the address: the patient is signed in, and offered a second step.
  await expect(page.getByRole('heading', { level: 1, name: 'Your account is ready' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Set up an authenticator app' })).toBeVisible();
  await expectNoAxeViolations(page);
  await signOut(page);

  await signIn(page, patient.email, patient.password);
  await expect(page.getByRole('heading', { level: 1, name: 'Your implants' })).toBeVisible();
  await expect(page.getByText('There is no implant record linked to your account yet.')).toBeVisible();
  await expectNoAxeViolations(page);

  // The card's code with someone else's NHS number links nothing.
  await page.getByRole('link', { name: 'Add your record' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add your implant record' })).toBeVisible();
  await expectNoAxeViolations(page);
  await fillClaim(page, claimCode, testNhsNumber(), patient.born);
  await page.getByRole('button', { name: 'Add record' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  // Said to the patient, in the second person.
  await expect(summary.getByRole('link', { name: /^The claim code, your NHS number and your date of birth do not match a record/ })).toBeVisible();
  await expectNoAxeViolations(page);
  // And a wrong date of birth neither.
  await fillClaim(page, claimCode, patient.nhsNumber, [22, 3, 1968]);
  await page.getByRole('button', { name: 'Add record' }).click();
  await expect(summary.getByRole('link', { name: /do not match a record/ })).toBeVisible();
  expect(query('SELECT COUNT(*) FROM patient_links')).toEqual([[0]]);

  // Typed as people do: lower case, spaces for hyphens.
  await fillClaim(page, claimCode.toLowerCase().replaceAll('-', ' '), patient.nhsNumber, patient.born);
  await page.getByRole('button', { name: 'Add record' }).click();
  // The claim goes straight on to Your implants, with a success banner.
  await expect(page.getByRole('heading', { level: 1, name: 'Your implants' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Record added' })).toBeVisible();
  await expectNoAxeViolations(page);
  const notice = page.locator('.app-safety-notice');
  await expect(notice.getByRole('heading', { name: /Safety notice: Meridian ceramic heads from lot H2291 may chip/ })).toBeVisible();
  await expect(notice.getByRole('heading', { name: 'What you should do' })).toBeVisible();
  const devices = page.getByRole('table', { name: 'Devices implanted on 9 November 2026' });
  await expect(devices.getByRole('row').nth(1)).toContainText('Meridian ceramic femoral head, 32 mm (demo)');
  await expect(devices.getByRole('row').nth(1)).toContainText('Acme Orthopaedics');
  await expect(devices.getByRole('row').nth(1)).toContainText('H2291');
  await expect(page.getByText('Riverside Implant Clinic (demo), Main theatre')).toBeVisible();
  await expectNoAxeViolations(page);

  // A phone-sized screen: nothing runs off the side, and it still passes the scan.
  await page.setViewportSize({ width: 375, height: 812 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  // The rows stack: the last column is on the screen too.
  const lastCell = devices.getByRole('row').nth(1).getByRole('cell').last();
  await expect(lastCell).toContainText('Serial number');
  await lastCell.scrollIntoViewIfNeeded();
  const cellBox = (await lastCell.boundingBox())!;
  expect(cellBox.x + cellBox.width).toBeLessThanOrEqual(375);
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 1280, height: 720 });

  // Download: FHIR R4, valid against the structure definitions.
  const fhirDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as FHIR (JSON)' }).click();
  const fhirFile = await fhirDownload;
  expect(fhirFile.suggestedFilename()).toMatch(/^implant-record-\d{4}-\d{2}-\d{2}\.fhir\.json$/);
  const bundle = JSON.parse(readFileSync((await fhirFile.path())!, 'utf8'));
  const validation = new Fhir().validate(bundle, { errorOnUnexpected: true });
  expect(validation.messages.filter((m: { severity: string }) => m.severity === 'error')).toEqual([]);
  expect(validation.valid).toBe(true);
  const resources = bundle.entry.map((entry: { resource: { resourceType: string } }) => entry.resource);
  expect(resources.map((r: { resourceType: string }) => r.resourceType)).toEqual(['Patient', 'Procedure', 'Device', 'DetectedIssue']);
  // The safety notice on the head travels with the download, implicating that device.
  expect(resources[3].implicated[0].reference).toBe(`urn:uuid:${resources[2].id}`);
  expect(Object.keys(resources[0]).sort()).toEqual(['id', 'identifier', 'resourceType']);
  expect(resources[2].udiCarrier[0].deviceIdentifier).toBe(DEVICES.head);
  expect(resources[2].udiCarrier[0].issuer).toBe('http://hl7.org/fhir/NamingSystem/gs1-di');
  expect(resources[2].lotNumber).toBe('H2291');
  const text = JSON.stringify(bundle);
  // Neither identifier, in any form (the bundle's random ids may hold any short digit run).
  for (const identifier of [patient.nhsNumber, patient.nhsNumber.replaceAll(' ', ''), '1968-03-21', '21/03/1968', '19680321']) {
    expect(text).not.toContain(identifier);
  }
  await expect(page.getByText(/Your file implant-record-.*\.fhir\.json has been saved/)).toBeVisible();

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as a spreadsheet (CSV)' }).click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8').split('\r\n');
  expect(csv[0]).toBe(
    'Record,Procedure date,Procedure,Body site,Side,Clinic,Site,Device,Manufacturer,Device identifier,UDI,Catalogue number,Lot,Serial number,Expiry date,Safety notices',
  );
  expect(csv[1]).toContain(`${recordId},2026-11-09,`);
  expect(csv[1]).toContain('FSN-2026-0142 (demo)');

  // A mistake goes to the clinic that made the record.
  await page.getByRole('link', { name: `Report a mistake in this record (record ${recordId})` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Report a mistake in your record' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('What is wrong in the record?').fill('The side is wrong: it was my right hip.');
  await page.getByRole('button', { name: 'Send to the clinic' }).click();
  await expect(page.getByRole('heading', { name: 'Your report has been sent' })).toBeVisible();
  await expectNoAxeViolations(page);
  await expect
    .poll(() => readFileSync(process.env.E2E_SERVER_LOG!, 'utf8').split('\n').some(
      (line) => line.includes(`to="${DEMO.manager}"`) && line.includes('it was my right hip'),
    ))
    .toBe(true);
  await page.getByRole('link', { name: 'Back to your implants' }).click();

  // Who has looked: the clinic that recorded it and printed the card, in plain words.
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Who has looked at your record' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who has looked at your record' })).toBeVisible();
  const log = page.getByRole('table');
  await expect(log.getByRole('row').filter({ hasText: 'Recorded your procedure' })).toContainText(
    'Riverside Implant Clinic (demo) (clinic user)',
  );
  await expect(log.getByRole('row').filter({ hasText: 'Printed your implant card' })).toHaveCount(1);
  await expect(log.getByRole('row').filter({ hasText: 'but the details did not match' })).toHaveCount(2);
  await expect(log.getByRole('row').filter({ hasText: 'Linked a procedure record to this account' })).toContainText('You');
  await expectNoAxeViolations(page);
});

test('a claim shows one clinic\'s records: another clinic\'s record of the same person needs its own card', async ({ browser }) => {
  // A second clinic, set up as the registry does it: an organisation and an invited user.
  const admin = await newPage(browser);
  await signIn(admin, DEMO.admin, DEMO_PASSWORD);
  await admin.goto('/admin/organisations');
  await admin.getByLabel('Name', { exact: true }).fill('Hilltop Clinic (test)');
  await admin.getByLabel('Sites').fill('Main theatre');
  await admin.getByRole('button', { name: 'Add organisation' }).click();
  await expect(admin.getByRole('heading', { name: 'Organisation added' })).toBeVisible();
  await admin.goto('/admin/users');
  await admin.getByLabel('Full name', { exact: true }).fill('Hana Hilltop');
  const hanaEmail = `hana.${Date.now()}@example.test`;
  await admin.getByLabel('Email address', { exact: true }).fill(hanaEmail);
  await admin.getByRole('radio', { name: 'Clinic user' }).check();
  await admin.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Hilltop Clinic (test)' });
  await admin.getByRole('button', { name: 'Send invitation' }).click();
  const panel = admin.getByRole('heading', { name: 'Invitation created' }).locator('..');
  const link = /(\/account\/set-password\?token=[\w-]+)/.exec((await panel.textContent()) ?? '')![1];

  // The invitation leads straight to the authenticator: the only way to a first one.
  const hana = await newPage(browser);
  await hana.goto(link);
  await hana.getByLabel('New password').fill('granite willow parcel 19');
  await hana.getByLabel('Type the password again').fill('granite willow parcel 19');
  await hana.getByRole('button', { name: 'Save password' }).click();
  await expect(hana.getByRole('heading', { level: 1, name: 'Set up your authenticator app' })).toBeVisible();
  await enrol(hana, hanaEmail);
  await hana.goto('/records/new');
  await fillProcedure(hana, 'HT-2', 10, { nhsNumber: patient.nhsNumber, born: patient.born, device: DEVICES.head });
  await hana.getByRole('button', { name: 'Submit record' }).click();
  const hilltopRecord = await acceptedRecordId(hana, /Hip \(left\), 10 November 2026/);
  await hana.goto(`/records/${hilltopRecord}/card`);
  const hilltopCode = ((await hana.locator('.app-claim-code').textContent()) ?? '').trim();

  // The patient, who claimed Riverside's card, does not see Hilltop's record of them...
  const page = await newPage(browser);
  await signIn(page, patient.email, patient.password);
  await page.goto('/my-implants');
  await expect(page.getByText('Riverside Implant Clinic (demo), Main theatre')).toBeVisible();
  await expect(page.getByText('Hilltop Clinic (test)')).toHaveCount(0);
  // ...until they add Hilltop's own card.
  await page.goto('/my-implants/add');
  await fillClaim(page, hilltopCode, patient.nhsNumber, patient.born);
  await page.getByRole('button', { name: 'Add record' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your implants' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Record added' })).toBeVisible();
  await expect(page.getByText('Hilltop Clinic (test), Main theatre')).toBeVisible();
  await expect(page.getByText('Riverside Implant Clinic (demo), Main theatre')).toBeVisible();

  // The registry sees the claims it should look at, and the page passes the scan.
  await admin.goto('/admin/claims');
  await expect(admin.getByRole('heading', { level: 1, name: 'Claims to review' })).toBeVisible();
  await expect(admin.getByRole('table')).toContainText('Robin Example');
  await expectNoAxeViolations(admin);
});

test('a used claim code cannot be used again, and one patient never sees another\'s record', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, DEMO.patient, DEMO_PASSWORD);
  await page.goto('/my-implants/add');
  await fillClaim(page, claimCode, patient.nhsNumber, patient.born);
  await page.getByRole('button', { name: 'Add record' }).click();
  await expect(page.getByRole('alert').getByRole('link', { name: /already been used/ })).toBeVisible();

  await page.goto('/my-implants');
  await expect(page.getByText('There is no implant record linked to your account yet.')).toBeVisible();
  await expect(page.getByText('Meridian ceramic femoral head')).toHaveCount(0);
  // Straight to the clinic's page for the record, and straight to the server functions.
  await page.goto(`/records/${recordId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this page' })).toBeVisible();
  await expectNoAxeViolations(page);
  const answers = await page.evaluate(async (id) => {
    const call = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
      fetch(`/api/${path}`, { method: 'POST', headers: { 'Content-Type': type }, body }).then(async (r) => ({
        status: r.status,
        body: await r.text(),
      }));
    return {
      detail: await call('procedures/detail', `record_id=${id}`),
      card: await call('procedures/card', `record_id=${id}`),
      implants: await call('patients/implants', ''),
      log: await call('patients/access-log', 'page=1'),
      download: await call('patients/export', JSON.stringify({ format: 'Fhir' }), 'application/json'),
    };
  }, recordId);
  expect(answers.detail.status).toBe(403);
  expect(answers.card.status).toBe(403);
  expect(JSON.parse(answers.implants.body)).toEqual({ linked: false, procedures: [] });
  expect(JSON.parse(answers.log.body).total).toBe(0);
  expect(answers.download.status).toBe(409);
});
