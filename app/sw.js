// ARA Planner's service worker: keeps the app shell of exactly one build, so
// that the app starts with no network and a page never runs a mix of two
// builds. server/build.rs fills in the shell (every asset of this build, by
// its content-hashed name); the server fills in the build id when it starts.
//
// A new build's worker installs its own cache next to the old one and then
// waits: the open pages keep the build they started with until the person
// chooses "Reload to update" (the page then sends "skip-waiting") or closes
// every tab of the old build. Activation deletes the caches of other builds.

const BUILD = "{{build}}";
const CACHE = "ara-shell-" + BUILD;
const SHELL = {{shell}};
const HTML = "/index.html";

// Never from the cache: the API, sync, exports, feeds, health and this script.
const NETWORK_ONLY = ["/api/", "/sync", "/calendar/", "/metrics", "/healthz", "/sw.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // "no-cache": the html and manifest are revalidated with the server, so
      // a new worker never stores an old build's page from the HTTP cache.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "no-cache" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("ara-shell-") && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      // The first install takes the open page at once, so that it works
      // offline without a second load.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") {
    self.skipWaiting();
  }
});

/// Paths the server answers with a file rather than the app (see
/// server/src/http.rs `app_shell`).
function looksLikeFile(path) {
  const last = path.split("/").pop();
  return last.includes(".") && path !== HTML;
}

async function fromShell(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) {
    return;
  }
  if (request.mode === "navigate") {
    // Every address of the app is the same page: this build's html.
    if (!looksLikeFile(url.pathname) || url.pathname === HTML) {
      event.respondWith(fromShell(new Request(HTML)));
    }
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(fromShell(request));
  }
});
