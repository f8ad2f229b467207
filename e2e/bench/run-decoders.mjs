#!/usr/bin/env node
// Benchmarks in-browser barcode decoders on synthetic UDI label frames, in Debian's headless
// Chromium, and prints success rates and per-frame decode times.
//
//   cd e2e && node bench/run-decoders.mjs [--repeat=3] [--fixtures=DIR] [--keep-fixtures]
//                                          [--ours=path/to/worker.js [--ours-type=module]]
//
// It makes the fixtures (fixtures/make-labels.sh into a temporary folder, unless --fixtures
// names a folder made earlier), serves bench/decoders.html, the fixtures and node_modules from
// a loopback HTTP server on a free port, and runs the page's decoders on every frame.
// --ours adds the project's own decoder worker: its folder is served at /ours/ so that the
// worker can load its .wasm next to it.
//
// Exit status: 0 when the figures were measured, whatever they are (this is a benchmark, not a
// test); 1 when the bench itself broke (fixtures, server, browser, a decoder that cannot start);
// 3 when zxing-wasm does not read a clean fixture as its manifest says, which means the
// fixtures or the manifest are wrong.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const e2e = resolve(here, '..');

const options = Object.fromEntries(
  process.argv.slice(2).map((argument) => {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argument);
    if (!match) usage(`unknown argument ${argument}`);
    return [match[1], match[2] ?? true];
  }),
);
const known = ['repeat', 'fixtures', 'keep-fixtures', 'ours', 'ours-type'];
for (const name of Object.keys(options)) if (!known.includes(name)) usage(`unknown option --${name}`);
const repeat = Number(options.repeat ?? 3);
if (!Number.isInteger(repeat) || repeat < 1) usage('--repeat takes a whole number ≥ 1');

function usage(problem) {
  console.error(`run-decoders: ${problem}
usage: node bench/run-decoders.mjs [--repeat=N] [--fixtures=DIR] [--keep-fixtures] [--ours=WORKER.js [--ours-type=module]]`);
  process.exit(1);
}

// Checked before the fixtures are made, so a wrong path fails at once.
const oursWorker = options.ours ? resolve(String(options.ours)) : null;
try {
  if (oursWorker && !statSync(oursWorker).isFile()) throw new Error('not a file');
} catch (error) {
  usage(`--ours=${options.ours}: ${error.message}`);
}

let fixtures;
let madeFixtures = false;
let server;
let browser;
try {
  // 1. Fixtures.
  if (options.fixtures) {
    fixtures = resolve(String(options.fixtures));
  } else {
    fixtures = mkdtempSync(join(tmpdir(), 'udi-labels-'));
    madeFixtures = true;
    const started = Date.now();
    const made = spawnSync('bash', [join(e2e, 'fixtures', 'make-labels.sh'), fixtures], { stdio: 'inherit' });
    if (made.status !== 0) throw new Error(`make-labels.sh failed (${made.error?.message ?? `status ${made.status}`})`);
    console.log(`fixtures made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8'));

  // 2. A static server for exactly the folders the page needs, on loopback only.
  const roots = {
    '/bench/': here,
    '/fixtures/': fixtures,
    '/node_modules/': join(e2e, 'node_modules'),
  };
  let oursUrl = null;
  if (oursWorker) {
    roots['/ours/'] = dirname(oursWorker);
    oursUrl = `/ours/${encodeURIComponent(basename(oursWorker))}`;
  }
  server = await serve(roots);
  const origin = `http://127.0.0.1:${server.address().port}`;

  // 3. The browser: Debian's Chromium, as the e2e tests use it.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.error(`[page ${message.type()}] ${message.text()}`);
  });
  page.on('requestfailed', (request) => pageErrors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()} for ${response.url()}`);
  });

  const query = new URLSearchParams({ fixtures: '/fixtures/', repeat: String(repeat) });
  if (oursUrl) {
    query.set('ours', oursUrl);
    if (options['ours-type'] === 'module') query.set('oursType', 'module');
  }
  await page.goto(`${origin}/bench/decoders.html?${query}`);
  await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 }).catch(() => {
    throw new Error(`the bench page did not start: ${pageErrors.join('; ') || 'no error reported'}`);
  });
  console.log(`Chromium ${browser.version()}, ${manifest.images.length} frames of ${manifest.width}×${manifest.height}, ${repeat} timed decode(s) per frame per decoder`);
  const report = await page.evaluate((settings) => window.bench.run(settings), { fixtures: '/fixtures/', repeat });
  if (pageErrors.length) throw new Error(`the bench page reported errors:\n  ${pageErrors.join('\n  ')}`);

  // 4. Figures.
  const exitCode = summarise(report, manifest);
  process.exitCode = exitCode;
} catch (error) {
  console.error(`run-decoders: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server?.close();
  if (madeFixtures && !options['keep-fixtures']) rmSync(fixtures, { recursive: true, force: true });
  else if (madeFixtures) console.log(`fixtures kept in ${fixtures}`);
}

/** Serves files under each URL prefix from its folder; nothing outside those folders. */
function serve(roots) {
  const types = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.wasm': 'application/wasm', // needed for WebAssembly.instantiateStreaming
    '.json': 'application/json',
    '.png': 'image/png',
    '.map': 'application/json',
  };
  const httpServer = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const prefix = Object.keys(roots).find((candidate) => path.startsWith(candidate));
    const file = prefix && resolve(roots[prefix], `.${sep}${path.slice(prefix.length)}`);
    let size;
    try {
      if (!file || !(file === roots[prefix] || file.startsWith(roots[prefix] + sep))) throw new Error('outside');
      size = statSync(file).isFile() ? statSync(file).size : undefined;
    } catch {
      size = undefined;
    }
    if (size === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((done, fail) => {
    httpServer.once('error', fail);
    httpServer.listen(0, '127.0.0.1', () => done(httpServer));
  });
}

/** The texts read equal the expected ones exactly (as multisets): nothing missing, nothing extra. */
function readRight(expected, texts) {
  const want = [...expected].sort();
  const got = [...texts].sort();
  return want.length === got.length && want.every((text, i) => text === got[i]);
}

function percentile(sorted, fraction) {
  // Nearest-rank percentile.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** Prints the tables; returns the exit code (3 if a clean fixture does not read as its manifest says). */
function summarise(report, manifest) {
  const images = manifest.images;
  const degradations = [...new Set(images.map((image) => image.degradation))];
  const labels = [...new Set(images.map((image) => image.label))];
  const show = (text) => text.replaceAll('\u001d', '<GS>');
  const rows = report.decoders.map((decoder) => {
    const judged = decoder.results.map((result, i) => ({
      ...result,
      image: images[i],
      ok: readRight(images[i].expected, result.texts),
      // A text that is not on the label: the dangerous failure for a UDI scanner.
      misread: result.texts.some((text) => !images[i].expected.includes(text)),
    }));
    const ms = judged.flatMap((result) => result.ms).sort((a, b) => a - b);
    return { decoder, judged, ms };
  });

  console.log('\nOverall (success = decoded texts equal the expected texts exactly)');
  table(
    ['decoder', 'success', 'rate', 'misread', 'errors', 'median ms', 'p95 ms', 'max ms', 'init ms'],
    rows.map(({ decoder, judged, ms }) => {
      const ok = judged.filter((result) => result.ok).length;
      return [
        decoder.name,
        `${ok}/${judged.length}`,
        `${((100 * ok) / judged.length).toFixed(0)}%`,
        String(judged.filter((result) => result.misread).length),
        String(judged.filter((result) => result.error).length),
        percentile(ms, 0.5).toFixed(1),
        percentile(ms, 0.95).toFixed(1),
        ms[ms.length - 1].toFixed(1),
        decoder.initMs.toFixed(0),
      ];
    }),
  );

  const breakdown = (title, key, values) => {
    console.log(`\n${title} (frames read right / frames)`);
    table(
      ['decoder', ...values],
      rows.map(({ decoder, judged }) => [
        decoder.name,
        ...values.map((value) => {
          const group = judged.filter((result) => result.image[key] === value);
          return `${group.filter((result) => result.ok).length}/${group.length}`;
        }),
      ]),
    );
  };
  breakdown('Per degradation', 'degradation', degradations);
  breakdown('Per label', 'label', labels);

  console.log('\nMedian ms per degradation (all frames, read or not)');
  table(
    ['decoder', ...degradations],
    rows.map(({ decoder, judged }) => [
      decoder.name,
      ...degradations.map((degradation) => {
        const ms = judged.filter((result) => result.image.degradation === degradation).flatMap((result) => result.ms).sort((a, b) => a - b);
        return percentile(ms, 0.5).toFixed(1);
      }),
    ]),
  );

  console.log('\nFrames not read right');
  for (const { decoder, judged } of rows) {
    const missed = judged.filter((result) => !result.ok);
    console.log(`  ${decoder.name}: ${missed.length ? '' : 'none'}`);
    for (const result of missed) {
      const got = result.error ? `error: ${result.error}` : result.texts.length ? result.texts.map((text) => JSON.stringify(show(text))).join(', ') : 'nothing';
      console.log(`    ${result.file.padEnd(32)} ${got}`);
    }
  }

  // The reference decoder must read every clean frame exactly as the manifest says; otherwise
  // the fixtures, not the decoders, are what is wrong.
  const reference = rows.find(({ decoder }) => decoder.name.startsWith('zxing-wasm'));
  const clean = reference.judged.filter((result) => result.image.degradation === 'clean');
  if (!clean.length) {
    console.log('\nFixture check: these fixtures have no clean frames, so nothing was checked.');
    return 0;
  }
  const badClean = clean.filter((result) => !result.ok);
  if (badClean.length) {
    console.error(`\nFIXTURE CHECK FAILED: zxing-wasm did not read ${badClean.map((result) => result.file).join(', ')} as the manifest expects`);
    return 3;
  }
  console.log(`\nFixture check: zxing-wasm reads all ${clean.length} clean frames exactly as manifest.json expects.`);
  return 0;
}

function table(header, body) {
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((row) => row[column].length)));
  const line = (row) => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`;
  console.log(line(header));
  console.log(`  ${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of body) console.log(line(row));
}
