// After each Trunk build (a post_build hook in Trunk.toml), in Trunk's staging folder:
//  1. writes the service worker's file list into sw.js (see public/sw.js): every file of the
//     app shell with its SHA-384, and a version made from them;
//  2. for release builds, writes brotli (quality 11) and gzip (level 9) copies beside each
//     file worth compressing, which the server sends to browsers that ask for them.
// By hand: node scripts/build-shell.mjs DIR [--compress]
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: node scripts/build-shell.mjs DIR [--compress] (or as a Trunk hook)');
const compress = process.argv.includes('--compress') || process.env.TRUNK_PROFILE === 'release';

/** Fetched only when someone uses them: the barcode decoder. */
const LAZY = [/^\/scanner[-_.]/, /^\/scanner-worker\.js$/];
/** Not part of the app: never precached. */
const SKIP = [/\.(br|gz)$/, /^\/sw\.js$/, /^\/robots\.txt$/];

function files(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const entries = files(dir)
  .map((file) => ({ file, path: `/${relative(dir, file).split('\\').join('/')}` }))
  .filter(({ path }) => !SKIP.some((pattern) => pattern.test(path)))
  .sort((a, b) => a.path.localeCompare(b.path))
  .map(({ file, path }) => ({
    path,
    integrity: `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`,
  }));
const shell = entries.filter(({ path }) => !LAZY.some((pattern) => pattern.test(path)));
const lazy = entries.filter(({ path }) => LAZY.some((pattern) => pattern.test(path)));
if (!shell.some(({ path }) => path === '/index.html')) throw new Error(`no index.html in ${dir}`);
const version = createHash('sha256').update(entries.map((e) => `${e.path} ${e.integrity}\n`).join('')).digest('hex').slice(0, 16);

const worker = join(dir, 'sw.js');
const template = readFileSync(worker, 'utf8');
const marker = /^const BUILD = .*$/m;
if (!marker.test(template)) throw new Error('sw.js has no `const BUILD = …` line to fill in');
writeFileSync(worker, template.replace(marker, `const BUILD = ${JSON.stringify({ version, shell, lazy })};`));
// Copies compressed from an earlier sw.js would be sent instead of this one.
if (!compress) for (const stale of [`${worker}.br`, `${worker}.gz`]) if (existsSync(stale)) rmSync(stale);
console.log(`sw.js: version ${version}, ${shell.length} files in the shell, ${lazy.length} fetched on first use`);

if (compress) {
  const worth = /\.(wasm|js|css|svg|json|webmanifest|txt)$/;
  let raw = 0;
  let br = 0;
  for (const file of files(dir).filter((name) => worth.test(name))) {
    const data = readFileSync(file);
    if (data.length < 1024) continue;
    const brotli = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [constants.BROTLI_PARAM_MODE]: /\.wasm$/.test(file) ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    });
    writeFileSync(`${file}.br`, brotli);
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
    raw += data.length;
    br += brotli.length;
  }
  console.log(`precompressed: ${(raw / 1024).toFixed(0)} KB raw, ${(br / 1024).toFixed(0)} KB brotli`);
}
