import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

/** A valid NHS number from the 999 test range, different on each call (modulus 11 check). */
export function testNhsNumber(): string {
  for (;;) {
    const digits = [9, 9, 9, ...Array.from({ length: 6 }, () => Math.floor(Math.random() * 10))];
    const sum = digits.reduce((total, digit, index) => total + digit * (10 - index), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    const all = [...digits, check === 11 ? 0 : check].join('');
    return `${all.slice(0, 3)} ${all.slice(3, 6)} ${all.slice(6)}`;
  }
}

/**
 * The set-password link last emailed to `email`. Without an SMTP server, the portal writes
 * each email to its log (development mode) as one line: `to="…" subject="…" body="…"`, the
 * body escaped, so that nothing in a message can start a log line of its own.
 */
export async function emailedLink(email: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(() => {
      const log = readFileSync(process.env.E2E_SERVER_LOG!, 'utf8');
      // The last email with a link: others (such as "an authenticator app was set up") may follow it.
      link = log
        .split('\n')
        .filter((entry) => entry.includes(`to="${email}"`))
        .map((entry) => entry.match(/\/account\/set-password\?token=[\w-]+/)?.[0])
        .filter((found) => found !== undefined)
        .pop();
      return link;
    })
    .toBeTruthy();
  return link!;
}

/** Fills the "Add your implant record" form. */
export async function fillClaim(page: Page, code: string, nhsNumber: string, born: [number, number, number]) {
  await page.getByLabel('Claim code').fill(code);
  await page.getByLabel('NHS number').fill(nhsNumber);
  const birth = page.getByRole('group', { name: 'Date of birth' });
  await birth.getByLabel('Day').fill(String(born[0]));
  await birth.getByLabel('Month').fill(String(born[1]));
  await birth.getByLabel('Year').fill(String(born[2]));
}
