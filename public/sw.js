// The portal's service worker: keeps the app's files on this device so that the portal opens
// without a connection, and takes a new version safely. Plain JavaScript, no framework.
//
// Each build writes its list of files, with their SHA-384, into the line below
// (scripts/build-shell.mjs). A new build therefore makes a new sw.js: the browser installs it
// beside the running version, the page shows "A new version is ready — reload", and the
// new version takes over only when the person reloads from the banner or comes back with no
// page of the portal open. Every version keeps its own complete copy (`index.html` and the
// files it names), and every file is checked against this list when fetched, so an old
// `index.html` is never served with new files, nor the reverse.
//
// /api/ is never cached: the registry's answers always come from the registry.
const BUILD = { version: 'unbuilt', shell: [], lazy: [] }; // written by scripts/build-shell.mjs

const SHELL_CACHE = `mdis-shell-${BUILD.version}`;
/** Files only some people need (the barcode decoder), kept once used, by content. */
const LAZY_CACHE = 'mdis-lazy';
const INDEX = '/index.html';
const shell = new Map(BUILD.shell.map((file) => [file.path, file.integrity]));
const lazy = new Map(BUILD.lazy.map((file) => [file.path, file.integrity]));
const hashed = (path) => /-[0-9a-f]{16}(_bg)?\.[a-z]+$/.test(path);

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await Promise.all(BUILD.shell.map(async ({ path, integrity }) => {
      // Hashed files never change: the browser's own cache may answer. Others are revalidated.
      const response = await fetch(path, { integrity, cache: hashed(path) ? 'default' : 'no-cache' });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      await cache.put(path, response);
    }));
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'take-over') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('mdis-shell-') && name !== SHELL_CACHE) await caches.delete(name);
    }
    const kept = await caches.open(LAZY_CACHE);
    for (const request of await kept.keys()) {
      const url = new URL(request.url);
      if (lazy.get(url.pathname) !== url.searchParams.get('integrity')) await kept.delete(request);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path.startsWith('/api/') || path === '/healthz' || path === '/sw.js') return;
  if (request.mode === 'navigate' && !path.split('/').pop().includes('.')) {
    event.respondWith(page(request));
  } else if (shell.has(path)) {
    event.respondWith(fromShell(request, path));
  } else if (lazy.has(path)) {
    event.respondWith(fromLazy(path));
  }
});

/** Every page of the portal is this version's index.html (its router shows the page). */
async function page(request) {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(INDEX, { ignoreVary: true })) ?? fetch(request);
}

async function fromShell(request, path) {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(path, { ignoreVary: true })) ?? fetch(request);
}

async function fromLazy(path) {
  const integrity = lazy.get(path);
  const key = `${path}?integrity=${encodeURIComponent(integrity)}`;
  const cache = await caches.open(LAZY_CACHE);
  const kept = await cache.match(key, { ignoreVary: true });
  if (kept) return kept;
  try {
    const response = await fetch(path, { integrity, cache: 'no-cache' });
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch {
    // Offline, or the server already has a newer version than this page: never mix them.
    return new Response('Not available: reload the page when you are connected.', {
      status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
}
