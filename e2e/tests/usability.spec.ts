import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/accessibility';
import { signIn, signOut } from '../support/accounts';
import { DEMO } from '../support/demo';
import { acceptedRecordId, fillProcedure } from '../support/records';
import { DEVICES, gtin, query, udi } from '../support/registry';

// What a usability test found (issue 12), one clinician's journey in one browser context:
// the start page, the record form's errors, the confirmation after Submit (online and
// offline), the records list on a phone, and the signed-out page.
test.describe.configure({ mode: 'serial' });

const RIGHT_KNEE_COMPONENT = gtin('0506000134006');
let page: Page;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  page = await context.newPage();
});
test.afterAll(async () => {
  await page.context().close();
});

/** The error summary's messages, top to bottom. */
async function summaryMessages(): Promise<string[]> {
  return page.getByRole('alert').filter({ hasText: 'There is a problem' }).getByRole('link').allTextContents();
}

test('a clinician lands on the start page for their role', async () => {
  await signIn(page, DEMO.clinician);
  await expect(page.getByRole('heading', { level: 1, name: 'Your start page' })).toBeVisible();
  await expect(page).toHaveURL('/start');
  const main = page.getByRole('main');
  await expect(main.getByRole('link', { name: 'Record a procedure' })).toBeVisible();
  await expect(main.getByRole('heading', { name: 'Records waiting to send' })).toBeVisible();
  await expect(main.getByRole('link', { name: 'Records', exact: true })).toBeVisible();
  // Administration is not a clinic user's.
  await expect(main.getByRole('link', { name: 'Accounts' })).toHaveCount(0);
  await expect(main.getByRole('link', { name: 'Audit trail' })).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('the record form shows every error at once, in page order, and they follow the fields', async () => {
  await page.getByRole('main').getByRole('link', { name: 'Record a procedure' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Record a procedure' })).toBeVisible();
  await expect(page).toHaveTitle('Record a procedure – Implant Registry');
  // Only the section shown is marked current, not "Records" above it.
  const current = page.getByRole('navigation', { name: 'Menu' }).locator('[aria-current="page"]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveText('Record a procedure');
  // The problems a first submit used to miss: a short GMC number, a whole postcode, a UDI
  // with a wrong check digit.
  const stem = DEVICES.stem;
  const wrongCheckDigit = stem.slice(0, 13) + String((Number(stem[13]) + 1) % 10);
  await page.getByLabel("Responsible consultant's GMC number").fill('12345');
  await page.getByLabel('Component 1: UDI').fill(udi(wrongCheckDigit, '281231', 'LIVE1'));
  await page.getByLabel('Postcode district (optional)').fill('LS1 4AB');
  await page.getByRole('button', { name: 'Submit record' }).click();

  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(page).toHaveTitle('Error: Record a procedure – Implant Registry');
  const messages = await summaryMessages();
  const at = (pattern: RegExp) => {
    const index = messages.findIndex((message) => pattern.test(message));
    expect(index, `${pattern} in ${JSON.stringify(messages)}`).toBeGreaterThanOrEqual(0);
    return index;
  };
  const order = [
    at(/^Choose the site/),
    at(/^The GMC number must be 7 digits — you entered 5$/),
    at(/procedure date/i),
    at(/^Choose the side$/),
    at(new RegExp(`The GTIN check digit should be ${stem[13]}, not ${wrongCheckDigit[13]}`)),
    at(/first part of the postcode/),
  ];
  expect(order).toEqual([...order].sort((a, b) => a - b));
  await expectNoAxeViolations(page);

  // From the first submit on, a fixed field loses its message and its summary entry at once.
  const gmc = page.getByLabel("Responsible consultant's GMC number");
  await expect(page.locator('#consultant_gmc-error')).toContainText('you entered 5');
  await gmc.fill('1234567');
  await expect(page.locator('#consultant_gmc-error')).toHaveCount(0);
  await expect(summary.getByRole('link', { name: /GMC number/ })).toHaveCount(0);
  await page.getByRole('radio', { name: 'Left', exact: true }).check();
  await expect(summary.getByRole('link', { name: 'Choose the side' })).toHaveCount(0);
  await page.getByLabel('Component 1: UDI').fill(udi(stem, '281231', 'LIVE1'));
  await expect(page.getByText(/Reads as: Meridian cementless hip stem/)).toBeVisible();
  await expect(summary.getByRole('link', { name: /check digit/ })).toHaveCount(0);
  await expect(page.getByText(/check digit/)).toHaveCount(0);
  // Focus stays where the person types: the summary takes it only at a submit.
  await expect(page.getByLabel('Component 1: UDI')).toBeFocused();
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoAxeViolations(page);

  await fillProcedure(page, 'LIVE1', 20);
  await expect(summary).toHaveCount(0);
  await expect(page).toHaveTitle('Record a procedure – Implant Registry');
});

test('a warning names what its confirmation confirms, and Submit ends on a confirmation panel', async () => {
  // The form from the last test, now for a left knee with a right-sided component.
  await page.getByLabel('Where the implant is').selectOption({ label: 'Knee' });
  await page.getByLabel('Component 1: UDI').fill(udi(RIGHT_KNEE_COMPONENT, '281231', 'KNEE1'));
  const confirmation = page.getByLabel(
    'I have checked that the right-sided component (Keystone femoral component, right, size C (demo)) is correct for this left knee',
  );
  await expect(confirmation).toBeVisible();
  await page.getByRole('button', { name: 'Submit record' }).click();
  // An unconfirmed warning stops the record, and its summary entry leads to the checkbox.
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await summary.getByRole('link').first().click();
  await expect(confirmation).toBeFocused();
  await expectNoAxeViolations(page);
  await page.keyboard.press('Space');
  await expect(summary).toHaveCount(0);
  await page.getByRole('button', { name: 'Submit record' }).click();

  const panel = page.locator('.nhsuk-panel--confirmation');
  await expect(panel.getByRole('heading', { name: 'Record sent' })).toBeVisible({ timeout: 20_000 });
  const sent = /Record (\d+) sent to the registry\./.exec((await panel.textContent()) ?? '');
  expect(sent).not.toBeNull();
  const recordId = Number(sent![1]);
  await expect(panel).toBeFocused();
  // Once accepted, nothing says it "will be sent".
  await expect(page.getByText(/will be sent/)).toHaveCount(0);
  // The panel's links come first; the same record's item under "On this device" has them too.
  await expect(page.getByRole('link', { name: 'Print the implant card' }).first()).toHaveAttribute('href', `/records/${recordId}/card`);
  expect(query(`SELECT COUNT(*) FROM procedure_components c JOIN procedure_versions v ON v.id = c.version_id WHERE v.procedure_id = ${recordId} AND c.lot = 'KNEE1'`)).toEqual([[1]]);
  await expectNoAxeViolations(page);
  await expect(page.getByRole('link', { name: `View record ${recordId}` }).first()).toHaveAttribute('href', `/records/${recordId}`);

  // The implant card (EU MDR article 18): a line for the name, where in the body, the clinic
  // and how to reach it, when the code expires, and never the server's loopback address.
  await page.getByRole('link', { name: 'Print the implant card' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Implant card' })).toBeVisible();
  const card = page.locator('.app-implant-card');
  const fact = (key: string) =>
    card.locator('.nhsuk-summary-list__row').filter({ has: page.locator('dt').filter({ hasText: new RegExp(`^${key}$`) }) }).locator('dd');
  await expect(fact("Patient's name")).toHaveText(/Left blank/);
  await expect(fact('Where in the body')).toHaveText('Knee, left');
  await expect(fact('Clinic')).toHaveText('Riverside Implant Clinic (demo), Main theatre');
  await expect(fact('Contact the clinic')).toHaveText('Telephone 0113 496 0000, 1 Riverside Walk, Leeds');
  await expect(card).toContainText(/The code works once, until \d{1,2} [A-Z][a-z]+ \d{4}\./);
  await expect(card.getByRole('cell', { name: /Keystone femoral component, right/ })).toBeVisible();
  expect(await card.textContent()).not.toMatch(/127\.0\.0\.1|localhost/);
  await expectNoAxeViolations(page);
  await page.goBack();
  await page.getByRole('link', { name: `View record ${recordId}` }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: `Record ${recordId}` })).toBeVisible();
});

test('offline, Submit says the record is saved on this device, and why; it becomes "sent" when back online', async () => {
  await page.goto('/records/new');
  await expect(page.getByText('For Riverside Implant Clinic (demo).')).toBeVisible();
  // Three components, for the records list's Devices column below.
  await fillProcedure(page, 'MANY1', 21, { consent: 'declined' });
  // The head is from the lot of the demo safety notice.
  for (const [number, device, lot] of [[2, DEVICES.cup, 'MANY2'], [3, DEVICES.head, 'H2291']] as const) {
    await page.getByRole('button', { name: 'Add another component' }).click();
    await page.getByLabel(`Component ${number}: UDI`).fill(udi(device, '281231', lot));
  }
  await page.context().setOffline(true);
  await expect(page.getByText(/This device is offline\. You can finish the record/)).toBeVisible();
  await page.getByRole('button', { name: 'Submit record' }).click();
  const saved = page.locator('.app-queued');
  await expect(saved.getByRole('heading', { name: 'Saved on this device' })).toBeVisible();
  await expect(saved).toContainText('This device is offline: it will be sent when you are back online.');
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Hip (left), 21 November 2026' }) });
  await expect(item).toContainText(/offline/);
  // Newest first under "On this device".
  expect((await page.locator('.app-outbox .nhsuk-card__heading').allTextContents())[0]).toBe('Hip (left), 21 November 2026');
  await expectNoAxeViolations(page);

  await page.context().setOffline(false);
  const panel = page.locator('.nhsuk-panel--confirmation');
  await expect(panel).toContainText(/Record \d+ sent to the registry\./, { timeout: 20_000 });
  await expect(page.locator('.app-queued')).toHaveCount(0);
  const recordId = await acceptedRecordId(page, /Hip \(left\), 21 November 2026/);
  await expect(panel).toContainText(`Record ${recordId} sent to the registry.`);
  await expectNoAxeViolations(page);
});

test('the records list bounds the Devices column and fits a 375 px screen, Status and all', async () => {
  await page.goto('/records');
  const table = page.locator('.app-records-table');
  const row = table.getByRole('row').filter({ hasText: 'Hip (left)' }).filter({ hasText: 'Meridian acetabular cup' }).first();
  await expect(row).toContainText(
    'Meridian cementless hip stem, size 4 (demo); Meridian acetabular cup, 52 mm (demo) and 1 more',
  );
  await expect(row).not.toContainText('Meridian ceramic femoral head');
  // Dates in words, as everywhere else, and searched with three boxes as on the form.
  await expect(row).toContainText('21 November 2026');
  await expect(page.locator('input[type="date"]')).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Procedure date from' }).getByLabel('Day')).toBeVisible();

  await page.setViewportSize({ width: 375, height: 812 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const status = row.getByRole('cell').last();
  await expect(status).toContainText('Statistics only');
  // No sideways scroll: brought into view, it is within the screen's width.
  await status.scrollIntoViewIfNeeded();
  await expect(status).toBeInViewport();
  const box = (await status.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 1280, height: 720 });
});

test("the start page shows the safety notices concerning the clinic's records", async () => {
  await page.goto('/start');
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 2, name: 'Safety notices' })).toBeVisible();
  await expect(main).toContainText(/\d+ safety notices? concerns? your clinic's records/);
  await expect(main.getByText('Every record made on this device has reached the registry.')).toBeVisible();
  await expectNoAxeViolations(page);
  await main.getByRole('link', { name: 'See the safety notices' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Safety notices' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Meridian ceramic heads from lot H2291 may chip/ })).toBeVisible();
});

test('the signed-out page warns when a draft remains on this device', async () => {
  await page.goto('/records/new');
  await page.getByLabel("Responsible consultant's GMC number").fill('7654321');
  await expect(page.getByText(/Draft saved on this device, encrypted/)).toBeVisible();
  await signOut(page);
  await expect(page).toHaveTitle('You have signed out – Implant Registry');
  const warning = page.locator('.nhsuk-warning-callout');
  await expect(warning.getByRole('heading', { name: /Work is still on this device/ })).toBeVisible();
  await expect(warning).toContainText('This device still holds a record you started, encrypted.');
  await expect(page.getByRole('link', { name: 'Sign in again' })).toBeVisible();
  await expectNoAxeViolations(page);
});
