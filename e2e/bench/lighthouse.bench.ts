import { chromium, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import config from '../playwright.config';
import { signIn } from '../support/accounts';
import { DEMO } from '../support/demo';

// Lighthouse 12 (its default mobile settings: simulated slow 4G and a 4x slower CPU) on each
// page, in Debian's Chromium, signed in as the demo clinic user so that the record form is the
// record form. Prints the performance, accessibility and best-practices scores and the largest
// contentful paint; writes them to LIGHTHOUSE_OUT (JSON) when set. A page the portal does not
// have yet (its "Page not found") is skipped with a note.
const pages = (process.env.LIGHTHOUSE_PAGES ?? '/,/sign-in,/records/new,/statistics').split(',');
const baseURL = config.use!.baseURL!;
const debuggingPort = 9300 + Math.floor(Math.random() * 500);

test('Lighthouse scores', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'mdis-lighthouse-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...config.use!.launchOptions,
    args: [...(config.use!.launchOptions!.args ?? []), `--remote-debugging-port=${debuggingPort}`],
    baseURL,
  });
  const { default: lighthouse } = await import('lighthouse');
  const rows: Record<string, unknown>[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, DEMO.clinician);
    for (const path of pages) {
      await page.goto(path);
      const heading = page.getByRole('heading', { level: 1 });
      await heading.waitFor();
      if ((await heading.textContent()) === 'Page not found') {
        console.log(`${path}: skipped, the portal has no such page yet (it answers "Page not found")`);
        continue;
      }
      const result = await lighthouse(`${baseURL}${path}`, {
        port: debuggingPort,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      });
      const lhr = result!.lhr;
      const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      const failing = (id: string) => lhr.categories[id].auditRefs
        .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id].score ?? 1) < 1)
        .map((ref) => ref.id);
      rows.push({
        page: path,
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        largestContentfulPaint: lhr.audits['largest-contentful-paint'].displayValue,
        accessibilityFailures: failing('accessibility'),
        bestPracticeFailures: failing('best-practices'),
      });
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log('\nLighthouse 12 (mobile, simulated slow 4G, 4x CPU slowdown)');
  console.log(`${'page'.padEnd(16)}${'performance'.padStart(12)}${'accessibility'.padStart(15)}${'best practices'.padStart(16)}${'LCP'.padStart(10)}`);
  for (const row of rows) {
    console.log(`${String(row.page).padEnd(16)}${String(row.performance).padStart(12)}${String(row.accessibility).padStart(15)}${String(row.bestPractices).padStart(16)}${String(row.largestContentfulPaint).padStart(10)}`);
    for (const key of ['accessibilityFailures', 'bestPracticeFailures'] as const) {
      if ((row[key] as string[]).length) console.log(`    ${key}: ${(row[key] as string[]).join(', ')}`);
    }
  }
  if (process.env.LIGHTHOUSE_OUT) writeFileSync(process.env.LIGHTHOUSE_OUT, JSON.stringify(rows, null, 2));
  // The one score held to a line: every page fully accessible.
  const short = rows.filter((row) => row.accessibility !== 100).map((row) => row.page);
  if (short.length) throw new Error(`accessibility below 100 on ${short.join(', ')}`);
});
