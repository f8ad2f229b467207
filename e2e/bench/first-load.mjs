// The bytes a first visit costs: loads /sign-in in headless Chromium with an empty cache and
// counts every response until the sign-in form is usable (its fields and button are on the
// page, drawn by the WASM). Each file is then fetched again from the same server three ways,
// as sent with `Accept-Encoding: identity`, `gzip` and `br`, for the per-file table.
//
//   node bench/first-load.mjs                       start a server on ../dist, print the table
//   node bench/first-load.mjs --json > budget.json  the same measurement as a budget file
//   node bench/first-load.mjs --check budget.json   fail when a total grows > 10 % over it
//   node bench/first-load.mjs --url=http://127.0.0.1:8080   measure a server already running
//
// The figure that matters is the brotli total: what a browser that asks for brotli (every
// browser over HTTPS) downloads. Chromium over plain http://127.0.0.1 asks only for gzip, so
// the "sent to this browser" column is gzip's.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name) => {
  const found = args.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (!found) return undefined;
  const [, value] = found.split('=');
  if (value !== undefined) return value;
  const next = args[args.indexOf(found) + 1];
  return next && !next.startsWith('--') ? next : true;
};
const here = new URL('.', import.meta.url).pathname;
const TOLERANCE = 0.10;

async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'mdis-first-load-'));
  const port = 18400 + Math.floor(Math.random() * 500);
  const binary = option('server') ?? join(here, '../../target/debug/mdis-server');
  const dist = option('dist') ?? join(here, '../../dist');
  const child = spawn(binary, ['--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--dist-dir', dist, '--dev-mail'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 300; tries++) {
    if (child.exitCode !== null) throw new Error(`the server stopped:\n${log}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch { /* not up yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop: () => { child.kill('SIGTERM'); rmSync(dataDir, { recursive: true, force: true }); } };
}

/** The body's length as the server sends it for one `Accept-Encoding`. */
function sentBytes(url, encoding) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'Accept-Encoding': encoding } }, (response) => {
      let length = 0;
      response.on('data', (chunk) => { length += chunk.length; });
      response.on('end', () => resolve({ length, encoding: response.headers['content-encoding'] ?? 'identity' }));
    }).on('error', reject);
  });
}

async function measure(url) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Every request asked for before the form was usable, and its response once finished.
    const asked = new Map();
    let usable = false;
    page.on('request', (request) => { if (!usable) asked.set(request, null); });
    const settle = async (request, failed) => {
      if (!asked.has(request)) return;
      const response = failed ? null : await request.response();
      const sizes = failed ? { responseBodySize: 0 } : await request.sizes();
      asked.set(request, {
        path: new URL(request.url()).pathname,
        status: response?.status() ?? 'failed',
        transferred: sizes.responseBodySize,
        encoding: (await response?.allHeaders())?.['content-encoding'] ?? 'identity',
      });
    };
    page.on('requestfinished', (request) => settle(request, false));
    page.on('requestfailed', (request) => settle(request, true));
    const started = Date.now();
    await page.goto(`${url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ state: 'visible', timeout: 60_000 });
    await page.getByLabel('Email address').fill('usable@example.invalid');
    usable = true;
    const usableMs = Date.now() - started;
    for (let waited = 0; [...asked.values()].includes(null) && waited < 10_000; waited += 50) {
      await page.waitForTimeout(50);
    }
    const before = [...asked.values()].filter(Boolean);
    const files = [];
    for (const { path, status, transferred, encoding } of before) {
      const row = { path, status, sentToBrowser: transferred, browserEncoding: encoding };
      if (!path.startsWith('/api/')) {
        row.raw = (await sentBytes(`${url}${path}`, 'identity')).length;
        const gzip = await sentBytes(`${url}${path}`, 'gzip');
        const br = await sentBytes(`${url}${path}`, 'br');
        row.gzip = gzip.length;
        row.brotli = br.length;
        row.brotliEncoding = br.encoding;
      } else {
        row.raw = row.gzip = row.brotli = transferred;
      }
      files.push(row);
    }
    files.sort((a, b) => b.brotli - a.brotli);
    const sum = (key) => files.reduce((total, file) => total + (file[key] ?? 0), 0);
    return {
      page: '/sign-in',
      usableAfterMs: usableMs,
      files,
      total: { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli'), sentToBrowser: sum('sentToBrowser') },
    };
  } finally {
    await browser.close();
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);

function print(result) {
  console.log(`First load of ${result.page}: every response until the sign-in form was usable (${result.usableAfterMs} ms on loopback)`);
  console.log(`${'file'.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}  sent to this browser`);
  for (const file of result.files) {
    console.log(`${file.path.padEnd(44)}${kb(file.raw)}${kb(file.gzip)}${kb(file.brotli)}  ${kb(file.sentToBrowser)} ${file.browserEncoding}`);
  }
  const { total } = result;
  console.log(`${'total'.padEnd(44)}${kb(total.raw)}${kb(total.gzip)}${kb(total.brotli)}  ${kb(total.sentToBrowser)}`);
}

const target = typeof option('url') === 'string' ? { url: option('url'), stop: () => {} } : await startServer();
let failed = false;
try {
  const result = await measure(target.url);
  if (option('json')) {
    console.log(JSON.stringify({ ...result, usableAfterMs: undefined }, null, 2));
  } else {
    print(result);
  }
  const budgetFile = option('check');
  if (typeof budgetFile === 'string') {
    const budget = JSON.parse(readFileSync(budgetFile, 'utf8'));
    for (const key of ['brotli', 'gzip']) {
      const limit = Math.round(budget.total[key] * (1 + TOLERANCE));
      const verdict = result.total[key] <= limit ? 'within' : 'OVER';
      console.log(`${key} total ${result.total[key]} bytes: ${verdict} the budget's ${budget.total[key]} + 10 % = ${limit}`);
      if (result.total[key] > limit) failed = true;
    }
    if (failed) {
      console.log(`The first load grew by more than 10 %. Make it smaller, or, if the growth is wanted, update the budget on purpose: node bench/first-load.mjs --json > ${budgetFile}`);
    }
  }
} finally {
  target.stop();
}
process.exit(failed ? 1 : 0);
