// Villagepump's service worker: the app opens without a network, showing the channels last read.
//  - The app shell (the page and the hashed assets it names) is cached at install, and so is
//    every other part of the build (the scripts of dialogs, panels and screens loaded when first
//    opened), so those open offline too; assets are immutable, so cache-first; the page is
//    network-first so a new build reaches users at once.
//  - API reads are network-first: the answer is stored, and served only when the network fails.
//    User lookups are POSTs (/users/ids), stored under their body.
//  - The page clears the API cache when its user signs out (see src/pwa/offline.ts), so one
//    person's messages are never shown to the next on a shared device.
//  - Web Push (src/pwa/webpush.ts): what the server pushes while no page is open is shown as a
//    notification, tagged by channel so the page's own notification for it replaces it; a click
//    opens the message in an open window of the app, or in a new one.
// Plain JavaScript served as /sw.js (not bundled): a worker's scope is the folder it is served from.

const SHELL_CACHE = 'villagepump-shell-v1';
// Every script and style sheet of the build, written in by the build (web/scripts/precache.mjs).
const BUILD_ASSETS = [];
const API_CACHE = 'villagepump-api-v1';
const API_ENTRIES = 400;
const LOOKUPS = ['/api/v4/users/ids', '/api/v4/users/usernames'];
// Answers that are about the session or change every second are never served stale.
const NEVER_STORED = [/^\/api\/v4\/websocket/, /^\/api\/v4\/users\/logout/, /^\/api\/v4\/system\/ping/];

// A clear from the page bumps this, so a response still in flight is not stored after it.
let generation = 0;

async function cacheShell() {
    const cache = await caches.open(SHELL_CACHE);
    const response = await fetch('/', {cache: 'no-cache', credentials: 'same-origin'});
    if (!response.ok) {
        return;
    }
    const html = await response.clone().text();
    await cache.put('/', response);
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    await cache.addAll([...new Set([...assets, '/favicon.svg', '/icon-192.png'])]);
    // The parts loaded later: one that fails to arrive is fetched (and kept) when first opened,
    // so it does not stop the worker from installing.
    const missing = [];
    for (const url of BUILD_ASSETS) {
        if (!(await cache.match(url))) {
            missing.push(url);
        }
    }
    await Promise.all(missing.map((url) => cache.add(url).catch(() => undefined)));
}

// What earlier builds left in the shell cache: their hashed assets are never asked for again.
async function pruneShell() {
    if (BUILD_ASSETS.length === 0) {
        return;
    }
    const current = new Set(BUILD_ASSETS);
    const cache = await caches.open(SHELL_CACHE);
    for (const request of await cache.keys()) {
        const path = new URL(request.url).pathname;
        if (path.startsWith('/assets/') && /\.(js|css)$/.test(path) && !current.has(path)) {
            await cache.delete(request);
        }
    }
}

self.addEventListener('install', (event) => {
    event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
    event.waitUntil((async () => {
        const keep = new Set([SHELL_CACHE, API_CACHE]);
        for (const name of await caches.keys()) {
            if (name.startsWith('villagepump-') && !keep.has(name)) {
                await caches.delete(name);
            }
        }
        await pruneShell();
        await self.clients.claim();
    })());
});

self.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'clear-user-data') {
        generation++;
        event.waitUntil(caches.delete(API_CACHE));
    }
});

async function store(key, response, started) {
    if (started !== generation) {
        return;
    }
    const cache = await caches.open(API_CACHE);
    await cache.put(key, response);
    const keys = await cache.keys();
    // Oldest first: a put moves its key to the end.
    for (const old of keys.slice(0, Math.max(0, keys.length - API_ENTRIES))) {
        await cache.delete(old);
    }
}

async function networkFirst(request, key, event) {
    const started = generation;
    try {
        const response = await fetch(request);
        if (response.status === 200 && response.type === 'basic') {
            event.waitUntil(store(key, response.clone(), started));
        }
        return response;
    } catch (error) {
        const cached = await caches.match(key, {cacheName: API_CACHE});
        if (cached) {
            return cached;
        }
        throw error;
    }
}

// The sign-in answer is the user, which the app asks for as /users/me when it next opens: kept
// under that name, a reload without a network still knows who is signed in.
async function signIn(request, event) {
    const started = generation;
    const response = await fetch(request);
    if (response.status === 200 && response.type === 'basic') {
        const me = new URL('/api/v4/users/me', self.location.origin).href;
        event.waitUntil(store(me, response.clone(), started));
    }
    return response;
}

async function lookupKey(request) {
    const body = await request.clone().text();
    const url = new URL(request.url);
    url.searchParams.set('__body', body);
    return url.href;
}

async function page(request) {
    try {
        const response = await fetch(request);
        if (response.ok) {
            const cache = await caches.open(SHELL_CACHE);
            await cache.put('/', response.clone());
        }
        return response;
    } catch (error) {
        const cached = await caches.match('/', {cacheName: SHELL_CACHE});
        if (cached) {
            return cached;
        }
        throw error;
    }
}

async function asset(request) {
    const cached = await caches.match(request, {cacheName: SHELL_CACHE});
    if (cached) {
        return cached;
    }
    const response = await fetch(request);
    if (response.ok) {
        const cache = await caches.open(SHELL_CACHE);
        await cache.put(request, response.clone());
    }
    return response;
}

self.addEventListener('fetch', (event) => {
    const {request} = event;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) {
        return;
    }
    const path = url.pathname;
    if (request.mode === 'navigate' && !path.startsWith('/api/')) {
        event.respondWith(page(request));
    } else if (request.method === 'GET' && path.startsWith('/assets/')) {
        event.respondWith(asset(request));
    } else if (path.startsWith('/api/v4/') && !NEVER_STORED.some((pattern) => pattern.test(path))) {
        if (request.method === 'GET') {
            event.respondWith(networkFirst(request, request.url, event));
        } else if (request.method === 'POST' && path === '/api/v4/users/login') {
            event.respondWith(signIn(request, event));
        } else if (request.method === 'POST' && LOOKUPS.includes(path)) {
            event.respondWith(lookupKey(request).then((key) => networkFirst(request, key, event)));
        }
    }
});

// A push is {title, body, url, tag}, decrypted by the browser; shown whatever it holds, since a
// push that shows nothing makes browsers show their own "updated in the background" notice.
self.addEventListener('push', (event) => {
    let message = {};
    try {
        message = event.data ? event.data.json() : {};
    } catch (error) {
        message = {};
    }
    const options = {body: String(message.body || ''), icon: '/icon-192.png', data: {url: message.url || '/'}};
    if (message.tag) {
        options.tag = String(message.tag);
        options.renotify = true;
    }
    event.waitUntil(self.registration.showNotification(String(message.title || 'Villagepump'), options));
});

function appPath(url) {
    return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : '/';
}

self.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const path = appPath(event.notification.data && event.notification.data.url);
    event.waitUntil((async () => {
        const windows = await self.clients.matchAll({type: 'window', includeUncontrolled: true});
        const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
        if (open) {
            await open.focus();
            open.postMessage({type: 'open-url', url: path});
            return;
        }
        await self.clients.openWindow(path);
    })());
});
