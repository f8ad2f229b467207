import { chromium, expect, type Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoAxeViolations } from '../support/accessibility';
import { signIn } from '../support/accounts';
import { DEMO } from '../support/demo';
import { DEVICES } from '../support/registry';

test.describe.configure({ mode: 'serial' });

// Label images and the fake camera's video, made with Debian's zint and ffmpeg for this run.
const labels = join(process.env.E2E_DATA_DIR!, 'labels');
const stem = DEVICES.stem;
const dataMatrixUdi = `(01)${stem}(17)281231(10)LOT42(21)SN0001`;
const clinicianState = join(process.env.E2E_DATA_DIR!, 'scanning-clinician-state.json');

test.beforeAll(async ({ browser }) => {
  if (!existsSync(join(labels, 'manifest.json'))) {
    execFileSync('bash', ['fixtures/make-labels.sh', labels], { stdio: 'ignore' });
  }
  // Two different devices' labels side by side, as when two boxes lie on the table.
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', join(labels, 'gs1-dm-clean.png'), '-i',
    join(labels, 'hibc-dm-clean.png'), '-filter_complex', 'hstack', join(labels, 'two-labels.png')]);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  await signIn(await context.newPage(), DEMO.clinician);
  await context.storageState({ path: clinicianState });
  await context.close();
});
test.use({ storageState: clinicianState });

const udiField = (page: Page) => page.getByLabel('Component 1: UDI');
const scanStatus = (page: Page) => page.locator('.app-scanner__status').first();

test('a photo of a label fills the UDI, and the decoder is not part of the first page load', async ({ page }) => {
  const loaded: string[] = [];
  page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
  await page.goto('/records/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Record a procedure' })).toBeVisible();
  expect(loaded.filter((path) => path.includes('scanner'))).toEqual([]);
  await expectNoAxeViolations(page);

  await page.getByLabel('Or read a photo of the label for component 1 (or drop one here)').setInputFiles(join(labels, 'gs1-dm-clean.png'));
  await expect(udiField(page)).toHaveValue(dataMatrixUdi, { timeout: 20_000 });
  await expect(scanStatus(page)).toHaveText(`Read: device ${stem}, lot LOT42, serial SN0001, expires 31 December 2028.`);
  await expect(page.getByText(/Reads as: Meridian cementless hip stem/)).toBeVisible();
  expect(loaded).toContain('/scanner-worker.js');
  expect(loaded).toContain('/scanner_bg.wasm');

  // A two-line GS1-128 label: both codes read and joined into one UDI.
  await page.getByLabel('Or read a photo of the label for component 1 (or drop one here)').setInputFiles(join(labels, 'gs1-128-pair-clean.png'));
  await expect(udiField(page)).toHaveValue(/^\(01\)\d{14}\(17\)\d{6}\(10\)\w+\(21\)\w+$/);
  await expect(scanStatus(page)).toContainText('lot');

  // Two different labels in view: nothing is taken silently; the person chooses.
  await udiField(page).fill('');
  await page.getByLabel('Or read a photo of the label for component 1 (or drop one here)').setInputFiles(join(labels, 'two-labels.png'));
  await expect(scanStatus(page)).toHaveText('2 different labels were read. Choose the one for this component.');
  await expect(udiField(page)).toHaveValue('');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: `Use device ${stem}, lot LOT42, serial SN0001, expires 31 December 2028` }).click();
  await expect(udiField(page)).toHaveValue(dataMatrixUdi);

  // Not a picture at all.
  await page.getByLabel('Or read a photo of the label for component 1 (or drop one here)').setInputFiles({
    name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image'),
  });
  await expect(scanStatus(page)).toHaveText(/could not be opened as a picture/);
});

test('a photo dropped onto the scanner is read', async ({ page }) => {
  await page.goto('/records/new');
  const png = readFileSync(join(labels, 'hibc-dm-clean.png')).toString('base64');
  const transfer = await page.evaluateHandle((data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const dropped = new DataTransfer();
    dropped.items.add(new File([bytes], 'label.png', { type: 'image/png' }));
    return dropped;
  }, png);
  await page.locator('.app-scanner').first().dispatchEvent('drop', { dataTransfer: transfer });
  await expect(udiField(page)).toHaveValue(/A123PROD1/, { timeout: 20_000 });
  await expect(scanStatus(page)).toHaveText(/^Read: device A123PROD1/);
});

test('a handheld scanner types the code and presses Enter without sending the form', async ({ page }) => {
  await page.goto('/records/new');
  await udiField(page).click();
  // A wedge scanner configured to send the GS separator as "^]", fast, then Enter.
  await page.keyboard.type(`01${stem}17281231` + `10WEDGE7^]21SN77`, { delay: 2 });
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Reads as: Meridian cementless hip stem.*lot WEDGE7, serial SN77/)).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Record a procedure' })).toBeVisible();
});

test('with the camera, the label is read, the fields are filled and the camera stops', async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${join(labels, 'label.y4m')}`,
    ],
  });
  try {
    const context = await browser.newContext({
      baseURL: test.info().project.use.baseURL,
      storageState: clinicianState,
      permissions: ['camera'],
    });
    const page = await context.newPage();
    await page.goto('/records/new');
    await page.getByRole('button', { name: 'Scan component 1 with the camera' }).click();
    await expect(udiField(page)).toHaveValue(dataMatrixUdi, { timeout: 30_000 });
    await expect(scanStatus(page)).toHaveText(/^Read: device /);
    // Read once, then the camera is released.
    await expect(page.getByRole('button', { name: 'Scan component 1 with the camera' })).toBeVisible();
    const live = await page.evaluate(() => {
      const video = document.querySelector('video');
      const stream = video?.srcObject as MediaStream | null;
      return stream ? stream.getTracks().filter((track) => track.readyState === 'live').length : 0;
    });
    expect(live).toBe(0);
    await expectNoAxeViolations(page);
  } finally {
    await browser.close();
  }
});

test('with the camera, a two-line label coming into view is read as one UDI', async () => {
  // A hand-held approach (no label, then out of focus, then held a little unsteadily), made
  // from the clean two-line GS1-128 label: both lines are read and joined.
  const clip = join(labels, 'pair-approach.y4m');
  execFileSync('bash', ['fixtures/make-camera-clip.sh', join(labels, 'gs1-128-pair-clean.png'), clip]);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${clip}`,
    ],
  });
  try {
    const context = await browser.newContext({
      baseURL: test.info().project.use.baseURL,
      storageState: clinicianState,
      permissions: ['camera'],
    });
    const page = await context.newPage();
    await page.goto('/records/new');
    await page.getByRole('button', { name: 'Scan component 1 with the camera' }).click();
    await expect(udiField(page)).toHaveValue(`(01)${stem}(17)281231(10)LOT42(21)SN0003`, { timeout: 30_000 });
    await expect(scanStatus(page)).toHaveText(`Read: device ${stem}, lot LOT42, serial SN0003, expires 31 December 2028.`);
  } finally {
    await browser.close();
    rmSync(clip, { force: true });
  }
});

test('a refused camera says so and offers the other ways', async ({ page, context }) => {
  await context.clearPermissions();
  await page.goto('/records/new');
  await page.getByRole('button', { name: 'Scan component 1 with the camera' }).click();
  await expect(scanStatus(page)).toHaveText(/camera (was not allowed|could not be started)|No camera was found/);
  await expect(scanStatus(page)).toContainText('photo');
  await expect(page.getByLabel('Or read a photo of the label for component 1 (or drop one here)')).toBeVisible();
});
