/* Service worker for the offline outreach form.
 *
 * SHELL_VERSION and SHELL_URLS are prepended by the server (/sw.js): the version changes
 * whenever a file of the shell does, so a new release installs a new cache and waits until
 * the page asks it to take over. One strategy per kind of request:
 *   /api/...          network only, never cached (sync results must be real);
 *   /static/... shell cache first (the cache name carries the version);
 *   shell pages       network first with a short timeout, the cached copy offline;
 *   /start            the installed app's start: network first; offline, the capture form
 *                     for someone signed in on this device (the outbox knows), else /offline;
 *   other pages       network, or the /offline page.
 * Records never live here: they are in IndexedDB, which an update does not touch.
 */
"use strict";

importScripts("/static/sw/outbox.js");

const CACHE_PREFIX = "studentloan-shell-";
const CACHE_NAME = CACHE_PREFIX + SHELL_VERSION;
const NETWORK_TIMEOUT_MS = 3000;
const START_URL = "/start";
const OFFLINE_URL = "/offline";
const CAPTURE_URL = "/outreach/capture";

async function fetchForCache(url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "reload" });
  if (!response.ok || response.redirected) {
    throw new Error("cannot precache " + url + " (" + response.status + ")");
  }
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE_NAME);
    for (const url of SHELL_URLS) {
      await cache.put(url, await fetchForCache(url));
    }
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

async function cacheFirst(request, path) {
  const cache = await caches.open(CACHE_NAME);
  return (await cache.match(path)) || fetch(request);
}

async function networkFirst(request, path) {
  const cache = await caches.open(CACHE_NAME);
  const network = fetch(request).then((response) => {
    if (response.ok && !response.redirected) {
      cache.put(path, response.clone());
    }
    return response;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first) {
      return first;
    }
  } catch (error) {
    // Offline or the server is down: the cached copy below.
  }
  const cached = await cache.match(path);
  return cached || network.catch(offlinePage);
}

/* What works offline, from the cache (precached in the user's language), with status 503. */
async function offlinePage() {
  const cached = await caches.match(OFFLINE_URL, { cacheName: CACHE_NAME });
  const html = cached ? await cached.text()
    : "<!doctype html><meta charset=utf-8><title>离线 · Offline</title><h1>当前离线 · You are offline</h1>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/* The installed app's start: the capture form for someone signed in on this device. */
async function startPage(request) {
  try {
    return await fetch(request);
  } catch (error) {
    let signedIn = null;
    try {
      signedIn = await Outbox.getSession();
    } catch (storageError) { /* no storage: nobody is known */ }
    const capture = signedIn && await caches.match(CAPTURE_URL, { cacheName: CACHE_NAME });
    return capture || offlinePage();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (SHELL_URLS.includes(url.pathname)) {
    const strategy = url.pathname.startsWith("/static/") ? cacheFirst : networkFirst;
    event.respondWith(strategy(request, url.pathname));
  } else if (url.pathname === START_URL && request.mode === "navigate") {
    event.respondWith(startPage(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});
