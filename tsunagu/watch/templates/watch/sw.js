{% load static %}/* tsunagu's service worker, built with Workbox (served by the app). It keeps today's
   visits readable without a connection, and forgets them at logout. Reports written offline wait
   in IndexedDB (the page's outbox, visits.js), not here. */
importScripts("{% static 'vendor/workbox-7.4.1/workbox-sw.js' %}");
// Plain names under the static prefix (a folder has no hashed name in the manifest).
workbox.setConfig({ modulePathPrefix: "{% get_static_prefix %}vendor/workbox-7.4.1/", debug: false });

const PAGES = "tsunagu-watch-pages";
const VISITS = "{% url 'watch:visits' %}";
const LOGOUT = "{% url 'accounts:logout' %}";
const STATIC = "{% get_static_prefix %}";

// Only a page really served to the signed-in volunteer is kept (not a redirect to the login).
const onlyTheRealPage = {
  cacheWillUpdate: async ({ response }) =>
    response && response.ok && !response.redirected ? response : null,
};

workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.pathname === VISITS,
  new workbox.strategies.NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 4,
    plugins: [onlyTheRealPage, new workbox.expiration.ExpirationPlugin({ maxAgeSeconds: 12 * 3600 })],
  })
);
workbox.routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith(STATIC),
  new workbox.strategies.StaleWhileRevalidate({ cacheName: "tsunagu-static" })
);

// Logging out forgets the addresses kept for offline use.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === "POST" && url.pathname === LOGOUT) {
    event.waitUntil(caches.delete(PAGES));
  }
});
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
