import { chromium, expect, type Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import config from '../playwright.config';
import { signIn } from '../support/accounts';
import { DEMO } from '../support/demo';

// Time from label to field: what a clinician feels, from pressing "Scan … with the camera" to
// the UDI field being filled, with Chromium's fake camera playing a hand-held approach to each
// label fixture (e2e/fixtures/make-camera-clip.sh: 0.2 s of no label, 0.2 s out of focus, then
// the label in focus, moving a little). On the real record form, signed in as the demo clinic
// user. Prints a table per class (clean labels, degraded ones) and per degradation; a benchmark,
// not a test: it fails only when the bench itself breaks.
//
//   cd e2e && npx playwright test --config bench/camera.config.ts
//
// Settings (environment):
//   CAMERA_FIXTURES=DIR   label frames made earlier by fixtures/make-labels.sh (else made now)
//   CAMERA_ONLY=a,b       only the fixtures whose file name contains one of these
//   CAMERA_RUNS=N         scans per fixture after the first (default 3); the first of each
//                         page also starts the decoder's worker and is reported apart
//   CAMERA_GIVE_UP_MS=N   a scan not read by then counts as not read (default 10000)
//   CAMERA_OUT=FILE       also writes every measured scan as JSON

type Image = { file: string; label: string; degradation: string; expected: string[] };
type Scan = { file: string; degradation: string; first: boolean; ms: number | null; value: string; right: boolean; firstFrameMs: number | null };

const runs = Number(process.env.CAMERA_RUNS ?? 3);
const giveUpMs = Number(process.env.CAMERA_GIVE_UP_MS ?? 10_000);
const only = (process.env.CAMERA_ONLY ?? '').split(',').filter(Boolean);

/** What the filled field must contain for the read to be the label's: its device identifier. */
function deviceKey(image: Image): string {
  for (const text of image.expected) {
    const gtin = /^01(\d{14})/.exec(text) ?? /\/01\/(\d{14})/.exec(text);
    if (gtin) return gtin[1];
    // HIBC: labeller code and product, after the leading '+'.
    if (text.startsWith('+')) return text.slice(1, 10);
  }
  throw new Error(`${image.file}: no device identifier in ${image.expected}`);
}

/** Presses the camera button and waits for the field to be filled; times it in the page. */
async function timeOneScan(page: Page): Promise<{ ms: number | null; value: string; firstFrameMs: number | null }> {
  const button = await page.getByRole('button', { name: 'Scan component 1 with the camera' }).elementHandle();
  const field = await page.getByLabel('Component 1: UDI').elementHandle();
  return page.evaluate(
    ([button, field, giveUpMs]) =>
      new Promise((done) => {
        const input = field as HTMLInputElement;
        const started = performance.now();
        let firstFrameMs: number | null = null;
        (button as HTMLButtonElement).click();
        const poll = setInterval(() => {
          const elapsed = performance.now() - started;
          const video = document.querySelector('.app-scanner video') as HTMLVideoElement | null;
          const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
          if (firstFrameMs === null && video && video.readyState >= 2 && track?.readyState === 'live') firstFrameMs = elapsed;
          if (input.value) {
            clearInterval(poll);
            done({ ms: elapsed, value: input.value, firstFrameMs });
          } else if (elapsed > giveUpMs) {
            clearInterval(poll);
            done({ ms: null, value: '', firstFrameMs });
          }
        }, 2);
      }),
    [button, field, giveUpMs] as const,
  );
}

function percentile(sorted: number[], fraction: number): number {
  // Nearest rank; a scan never read is +Infinity, so it counts against the percentile.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'not read');

function table(header: string[], body: string[][]) {
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((row) => row[column].length)));
  const line = (row: string[]) => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`;
  console.log([line(header), `  ${widths.map((width) => '-'.repeat(width)).join('  ')}`, ...body.map(line)].join('\n'));
}

function summaryRow(name: string, scans: Scan[]): string[] {
  const ms = scans.map((scan) => (scan.right && scan.ms !== null ? scan.ms : Infinity)).sort((a, b) => a - b);
  const within = ms.filter((value) => value <= 2000).length;
  return [
    name,
    String(new Set(scans.map((scan) => scan.file)).size),
    String(scans.length),
    `${scans.filter((scan) => scan.right).length}`,
    seconds(percentile(ms, 0.5)),
    seconds(percentile(ms, 0.95)),
    `${((100 * within) / ms.length).toFixed(0)} %`,
  ];
}

test('time from label to field, fake camera', async ({ browser }) => {
  const fixtures = process.env.CAMERA_FIXTURES ? resolve(process.env.CAMERA_FIXTURES) : mkdtempSync(join(tmpdir(), 'udi-labels-'));
  if (!existsSync(join(fixtures, 'manifest.json'))) {
    execFileSync('bash', ['fixtures/make-labels.sh', fixtures, '--no-video'], { stdio: 'inherit' });
  }
  const images = (JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')).images as Image[])
    .filter((image) => !only.length || only.some((part) => image.file.includes(part)));
  const clips = mkdtempSync(join(tmpdir(), 'udi-clips-'));
  const state = join(clips, 'clinician-state.json');
  const signedIn = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  await signIn(await signedIn.newPage(), DEMO.clinician);
  await signedIn.storageState({ path: state });
  await signedIn.close();

  const scans: Scan[] = [];
  const load: number[] = [];
  try {
    for (const image of images) {
      const clip = join(clips, 'clip.y4m');
      execFileSync('bash', ['fixtures/make-camera-clip.sh', join(fixtures, image.file), clip]);
      const camera = await chromium.launch({
        ...config.use!.launchOptions,
        args: [
          ...(config.use!.launchOptions!.args ?? []),
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          `--use-file-for-fake-video-capture=${clip}`,
        ],
      });
      try {
        const context = await camera.newContext({ baseURL: config.use!.baseURL, storageState: state, permissions: ['camera'] });
        const page = await context.newPage();
        await page.goto('/records/new');
        await expect(page.getByRole('heading', { level: 1, name: 'Record a procedure' })).toBeVisible();
        const key = deviceKey(image);
        for (let run = 0; run <= runs; run++) {
          load.push(loadavg()[0]);
          const { ms, value, firstFrameMs } = await timeOneScan(page);
          scans.push({ file: image.file, degradation: image.degradation, first: run === 0, ms, value, right: value.includes(key), firstFrameMs });
          if (ms === null) await page.getByRole('button', { name: 'Stop the camera' }).click();
          await expect(page.getByRole('button', { name: 'Scan component 1 with the camera' })).toBeVisible();
          await page.getByLabel('Component 1: UDI').fill('');
        }
        const mine = scans.filter((scan) => scan.file === image.file);
        console.log(`${image.file.padEnd(32)} ${mine.map((scan) => (scan.ms === null ? 'not read' : `${scan.right ? '' : 'WRONG '}${scan.ms.toFixed(0)}`)).join(' ')}`);
      } finally {
        await camera.close();
        rmSync(clip, { force: true });
      }
    }
  } finally {
    rmSync(clips, { recursive: true, force: true });
    if (!process.env.CAMERA_FIXTURES) rmSync(fixtures, { recursive: true, force: true });
  }

  const warm = scans.filter((scan) => !scan.first);
  const firstFrames = scans.map((scan) => scan.firstFrameMs).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  console.log(`\nTime from pressing the camera button to the filled UDI field: Chromium ${browser.version()},`);
  console.log(`${images.length} fixtures, ${runs} timed scan(s) each after a first one; not read within ${giveUpMs / 1000} s, or read wrong, counts as not read.`);
  console.log(`The clip shows no label for 0.2 s and a blurred one for 0.2 s; the camera's first frame was shown after ${seconds(percentile(firstFrames, 0.5))} (median).`);
  console.log(`Load average during the runs: median ${percentile([...load].sort((a, b) => a - b), 0.5).toFixed(2)} (2 cores).\n`);
  const header = ['scans', 'fixtures', 'scans', 'read', 'median', 'p95', 'read ≤ 2 s'];
  table(header, [
    summaryRow('clean', warm.filter((scan) => scan.degradation === 'clean')),
    summaryRow('degraded', warm.filter((scan) => scan.degradation !== 'clean')),
    summaryRow('first scan of a page, all', scans.filter((scan) => scan.first)),
  ]);
  console.log('\nPer degradation (scans after the first)');
  table(
    header,
    [...new Set(images.map((image) => image.degradation))].map((degradation) =>
      summaryRow(degradation, warm.filter((scan) => scan.degradation === degradation)),
    ),
  );
  const wrong = scans.filter((scan) => scan.value && !scan.right);
  if (wrong.length) console.log(`\nREAD WRONG: ${wrong.map((scan) => `${scan.file}: ${scan.value}`).join('; ')}`);
  if (process.env.CAMERA_OUT) writeFileSync(process.env.CAMERA_OUT, JSON.stringify(scans, null, 1));
});
