import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectNoAxeViolations } from '../support/accessibility';
import { enrol, nextCode, signIn, signOut, waitForWholePortal } from '../support/accounts';
import { DEMO, DEMO_PASSWORD } from '../support/demo';
import { emailedLink } from '../support/patients';

// One server for the file: accounts enrolled in one test are used in the next.
test.describe.configure({ mode: 'serial' });

test('the sign-in page, its errors and the forgotten-password page are accessible', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page).toHaveTitle('Sign in – Implant Registry');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Enter your email address' })).toBeVisible();
  await expect(page.getByLabel('Email address')).toHaveAttribute('aria-describedby', 'email-error');
  await expectNoAxeViolations(page);
  await summary.getByRole('link', { name: 'Enter your password' }).click();
  await expect(page.getByLabel('Password')).toBeFocused();

  await page.getByLabel('Email address').fill(DEMO.patient);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(summary.getByRole('link', { name: 'Enter a correct email address and password' })).toBeVisible();

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Email address').fill('nobody@example.test');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText('If there is an account for nobody@example.test')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a patient signs in by keyboard alone', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  const email = page.getByLabel('Email address');
  for (let presses = 0; presses < 12 && !(await email.evaluate((el) => el === document.activeElement)); presses++) {
    await page.keyboard.press('Tab');
  }
  await expect(email).toBeFocused();
  await page.keyboard.type(DEMO.patient);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  // Signing in opens the whole portal with a page load: a key pressed in the sign-in page's
  // last moments would go with it, as in any browser, so wait for the landing page first.
  await expect(page.getByRole('heading', { level: 1, name: 'Your implants' })).toBeVisible();
  await waitForWholePortal(page);
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Demo Patient' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Demo Patient' }).press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expectNoAxeViolations(page);
  await signOut(page);
});

test('a signed-out visitor to an administration page is sent to sign in, then back', async ({ page }) => {
  await page.goto('/admin/audit');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin%2Faudit/);
  await page.getByLabel('Email address').fill(DEMO.admin);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  await enrol(page, DEMO.admin);
  // After set-up the administrator lands on their start page; the audit trail is a click away.
  await expect(page.getByRole('heading', { level: 1, name: 'Your start page' })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Audit trail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
  // Actions read as sentences; the stored code only inside the entry's details.
  await expect(page.getByRole('cell', { name: 'Set up an authenticator app' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'second_factor.enrolled' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Check the audit trail' }).click();
  await expect(page.getByText(/The audit trail is intact: all \d+ entries check out/)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('What happened').selectOption({ label: 'Signing in and out' });
  await page.getByRole('button', { name: 'Show entries' }).click();
  await expect(page.getByRole('cell', { name: /^Entered the right password/ }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Set up an authenticator app' })).toHaveCount(0);
  await signOut(page);
});

test('an administrator adds an organisation and invites its manager, who sets a password and an authenticator', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Organisations' }).click();
  await expect(page.getByRole('heading', { level: 2, name: DEMO.organisation })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Add organisation' }).click();
  await expect(page.getByRole('alert').getByRole('link', { name: /Enter the organisation's name/ })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Name', { exact: true }).fill('Northgate Cosmetic Clinic (test)');
  await page.getByLabel('Sites').fill('Theatre A\nDay unit');
  await page.getByRole('button', { name: 'Add organisation' }).click();
  await expect(page.getByRole('heading', { name: 'Organisation added' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Northgate Cosmetic Clinic (test)' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Full name', { exact: true }).fill('Nadia Northgate');
  await page.getByLabel('Email address', { exact: true }).fill('nadia.manager@example.test');
  await page.getByRole('radio', { name: 'Clinic manager' }).check();
  await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Northgate Cosmetic Clinic (test)' });
  await page.getByRole('button', { name: 'Send invitation' }).click();
  const panel = page.getByRole('heading', { name: 'Invitation created' }).locator('..');
  await expect(panel).toContainText('/account/set-password?token=');
  const link = /(\/account\/set-password\?token=[\w-]+)/.exec((await panel.textContent()) ?? '')![1];
  await expectNoAxeViolations(page);
  await signOut(page);

  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose your password' })).toBeVisible();
  await expect(page.getByText('For the account nadia.manager@example.test.')).toBeVisible();
  await page.getByLabel('New password').fill('silver meadow cobble tide');
  await page.getByLabel('Type the password again').fill('silver meadow cobble tid');
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeFocused();
  await expect(page.getByRole('alert').getByRole('link', { name: /do not match/ })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Type the password again').fill('silver meadow cobble tide');
  await page.getByRole('button', { name: 'Save password' }).click();
  // Straight on to the authenticator: the invitation is the only way to a first one.
  await expect(page.getByRole('heading', { level: 1, name: 'Set up your authenticator app' })).toBeVisible();
  await enrol(page, 'nadia.manager@example.test');
  await signOut(page);

  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'This link cannot be used' })).toBeVisible();

  await signIn(page, 'nadia.manager@example.test', 'silver meadow cobble tide');
  // Staff land on their start page: a manager's includes their accounts.
  await expect(page.getByRole('heading', { level: 1, name: 'Your start page' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('main').getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  await expect(page.getByText('People at Northgate Cosmetic Clinic (test).')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Audit trail' })).toHaveCount(0);
  await page.goto('/admin/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this page' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a manager disables a colleague, whose open session stops working at once', async ({ browser }) => {
  const managerPage = await (await browser.newContext()).newPage();
  const clinicianPage = await (await browser.newContext()).newPage();
  await signIn(clinicianPage, DEMO.clinician);
  await signIn(managerPage, DEMO.manager);
  await managerPage.getByRole('main').getByRole('link', { name: 'Accounts' }).click();
  await expect(managerPage.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  await managerPage.getByRole('link', { name: 'Manage Dr Demo Clinician' }).click();
  // Disabling asks first, naming the person.
  await managerPage.getByRole('button', { name: 'Disable Dr Demo Clinician' }).click();
  await expect(managerPage.getByText("Disable Dr Demo Clinician's account?")).toBeVisible();
  await expectNoAxeViolations(managerPage);
  await managerPage.getByRole('button', { name: "Yes, disable Dr Demo Clinician's account" }).click();
  await expect(managerPage.getByText("Dr Demo Clinician's account is disabled and their sessions have ended.")).toBeVisible();

  await clinicianPage.goto('/account');
  await expect(clinicianPage).toHaveURL(/\/sign-in/);
  await clinicianPage.getByLabel('Email address').fill(DEMO.clinician);
  await clinicianPage.getByLabel('Password').fill(DEMO_PASSWORD);
  await clinicianPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(clinicianPage.getByRole('alert').getByRole('link', { name: /This account has been disabled/ })).toBeVisible();

  await managerPage.getByRole('button', { name: 'Enable Dr Demo Clinician' }).click();
  await expect(managerPage.getByText("Dr Demo Clinician's account is enabled again.")).toBeVisible();
});

test('a second sign-in uses the authenticator code, never twice the same', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(DEMO.manager);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter your security code' })).toBeVisible();
  // Half-way: the header says who is signing in, not "Sign in", and offers a way out.
  const account = page.getByRole('navigation', { name: 'Account' });
  await expect(account).toContainText('Signing in as Demo Clinic Manager');
  await expect(account.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Not you? Start again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(account.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email address').fill(DEMO.manager);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter your security code' })).toBeVisible();
  await page.getByLabel('Security code').fill('000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert').getByRole('link', { name: /The code is not right/ })).toBeVisible();
  await page.getByLabel('Security code').fill(await nextCode(DEMO.manager));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your start page' })).toBeVisible();
});

test('wrong passwords warn before the lockout; an administrator unlocks the account, resets the authenticator, and the person sets up a new one', async ({ browser }) => {
  const nadia = { name: 'Nadia Northgate', email: 'nadia.manager@example.test', password: 'silver meadow cobble tide' };
  const person = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  await person.goto('/sign-in');
  const summary = person.getByRole('alert').filter({ hasText: 'There is a problem' });
  const tryPassword = async (password: string) => {
    await person.getByLabel('Email address').fill(nadia.email);
    await person.getByLabel('Password').fill(password);
    await person.getByRole('button', { name: 'Sign in' }).click();
    await expect(summary).toBeFocused();
  };
  await tryPassword('wrong once');
  await tryPassword('wrong twice');
  await expect(summary.getByRole('link', { name: /more tries/ })).toHaveCount(0);
  await tryPassword('wrong three times');
  // Warned before the lock, against the password box, which is emptied.
  await expect(summary.getByRole('link', { name: 'You have 2 more tries before this account is locked for 15 minutes' })).toBeVisible();
  await expect(person.getByLabel('Password')).toHaveValue('');
  await expect(person.locator('#password-error')).toContainText('You have 2 more tries');
  await expectNoAxeViolations(person);
  await tryPassword('wrong four times');
  await expect(summary.getByRole('link', { name: 'You have 1 more try before this account is locked for 15 minutes' })).toBeVisible();
  await tryPassword('wrong five times');
  await tryPassword(nadia.password);
  await expect(summary).toContainText(/Wait \d+ (seconds|minutes)/);

  // The administrator sees the lock and lifts it.
  const admin = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  await signIn(admin, DEMO.admin);
  await admin.getByRole('main').getByRole('link', { name: 'Accounts' }).click();
  await admin.getByRole('link', { name: `Manage ${nadia.name}` }).click();
  await expect(admin.getByRole('heading', { level: 1, name: nadia.name })).toBeVisible();
  await expect(admin.getByRole('heading', { name: 'Locked account' })).toBeVisible();
  await expectNoAxeViolations(admin);
  await admin.getByRole('button', { name: `Unlock ${nadia.name}'s account` }).click();
  await expect(admin.getByText(`${nadia.name}'s account is unlocked: they can sign in again.`)).toBeVisible();
  await expect(admin.getByRole('heading', { name: 'Locked account' })).toHaveCount(0);

  // Reset the authenticator: asked first, naming the person.
  const invitation = await emailedLink(nadia.email);
  await admin.getByRole('button', { name: `Reset ${nadia.name}'s authenticator app` }).click();
  await expect(admin.getByText(`Reset ${nadia.name}'s authenticator app?`)).toBeVisible();
  await expectNoAxeViolations(admin);
  await admin.getByRole('button', { name: `Yes, reset ${nadia.name}'s authenticator app` }).click();
  await expect(admin.getByText(`${nadia.name}'s authenticator app is reset and their sessions have ended.`)).toBeVisible();
  await expect(admin.getByRole('definition').filter({ hasText: 'Not set up yet' })).toBeVisible();

  // The password alone no longer signs them in: the emailed link is the way back.
  await person.reload();
  await tryPassword(nadia.password);
  await expect(summary).toContainText('Your account is not set up yet: it has no authenticator app.');
  let link = invitation;
  await expect.poll(async () => (link = await emailedLink(nadia.email))).not.toBe(invitation);
  await person.goto(link);
  await expect(person.getByRole('heading', { level: 1, name: 'Choose your password' })).toBeVisible();
  await person.getByLabel('New password').fill(nadia.password);
  await person.getByLabel('Type the password again').fill(nadia.password);
  await person.getByRole('button', { name: 'Save password' }).click();
  await expect(person.getByRole('heading', { level: 1, name: 'Set up your authenticator app' })).toBeVisible();
  await enrol(person, nadia.email);
  await expect(person.getByRole('heading', { level: 1, name: 'Your start page' })).toBeVisible();
  await signOut(person);
  await signIn(person, nadia.email, nadia.password);
  await expect(person.getByRole('heading', { level: 1, name: 'Your start page' })).toBeVisible();

  // The audit trail says it in words, names who did it, and downloads as CSV.
  await admin.goto('/admin/audit');
  const reset = admin.getByRole('row').filter({ hasText: "Reset a person's authenticator app" }).first();
  await expect(reset).toContainText('Demo Registry Administrator');
  await expectNoAxeViolations(admin);
  const download = admin.waitForEvent('download');
  await admin.getByRole('button', { name: 'Download these entries (CSV)' }).click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  expect(csv.split(/\r?\n/)[0]).toMatch(/^[A-Za-z ,()]+$/);
  expect(csv).toContain("Reset a person's authenticator app");
  await person.context().close();
  await admin.context().close();
});
