// Driehoek's service worker: the app starts from this cache, with or
// without a network. The build writes BUILD_ID and PRECACHE (see
// tools/stamp-build.mjs); a new build therefore changes this file, which is
// how the browser notices a new version.
"use strict";

const BUILD_ID = "development";
const PRECACHE = [];

const CACHE_PREFIX = "driehoek-shell-";
const CACHE_NAME = CACHE_PREFIX + BUILD_ID;
const INDEX_URL = "/index.html";

self.addEventListener("install", (event) => {
  // A new version installs in the background and then waits until the
  // person chooses to update (the app sends "skip-waiting").
  event.waitUntil(
    caches.open(CACHE_NAME).then((cache) =>
      // `cache: "reload"` skips the HTTP cache, so the shell is the one on
      // the server now and not an older copy.
      cache.addAll(
        [...new Set(PRECACHE)].map((url) => new Request(url, { cache: "reload" })),
      ),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/sync") {
    return;
  }
  if (request.mode === "navigate") {
    // Every app route is the same single page.
    event.respondWith(fromCacheFirst(INDEX_URL, request));
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(fromCacheFirst(url.pathname, request));
  }
});

async function fromCacheFirst(key, request) {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(key);
  if (cached) {
    return cached;
  }
  return fetch(request);
}
