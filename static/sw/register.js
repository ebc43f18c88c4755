/* On every page of staff who capture offline: install the service worker, offer a waiting
 * update instead of forcing it, remember who is signed in on this device (for the offline
 * start), and on sign-out leave nothing of that user behind but their unsent records. */
(function () {
  "use strict";
  const body = document.body.dataset;
  const banner = document.getElementById("update-ready");
  const CACHE_PREFIX = "studentloan-shell-";

  let updateRequested = false;

  function offerUpdate(worker) {
    if (!banner) return;
    banner.hidden = false;
    document.getElementById("update-now").onclick = () => {
      updateRequested = true;
      worker.postMessage({ type: "SKIP_WAITING" });
    };
  }

  if ("serviceWorker" in navigator) {
    // The first install also claims the page; only an update the user asked for reloads it.
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (updateRequested) {
        updateRequested = false;
        window.location.reload();
      }
    });
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((registration) => {
      if (registration.waiting && navigator.serviceWorker.controller) {
        offerUpdate(registration.waiting);
      }
      registration.addEventListener("updatefound", () => {
        const worker = registration.installing;
        worker.addEventListener("statechange", () => {
          if (worker.state === "installed" && navigator.serviceWorker.controller) {
            offerUpdate(worker);
          }
        });
      });
    }).catch(() => { /* no worker (e.g. plain HTTP on a LAN address): pages still work online */ });
  }

  // A page rendered for a signed-in user says who it is (the offline page learns it from the server).
  if (body.sessionUser && window.Outbox) {
    Outbox.setSession({ user: body.sessionUser, name: body.sessionName }).catch(() => {});
    if ("BroadcastChannel" in window) new BroadcastChannel("studentloan-session").postMessage({ type: "signed-in" });
  }

  /* Pages kept for offline use, and this user's reference data and draft; not their unsent
   * records, which stay until they sign in here again. */
  async function forgetUser(owner) {
    if (window.caches) {
      for (const name of await caches.keys()) {
        if (!name.startsWith(CACHE_PREFIX)) continue;
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          const path = new URL(request.url).pathname;
          if (!path.startsWith("/static/") && path !== "/offline") await cache.delete(request);
        }
      }
    }
    localStorage.removeItem("studentloan-draft:" + owner);
    await Outbox.forget(owner);
  }

  const logout = document.querySelector("form[data-logout]");
  if (logout && window.Outbox) {
    logout.addEventListener("submit", async (event) => {
      if (logout.dataset.confirmed) return;
      event.preventDefault();
      const owner = body.sessionUser;
      let unsent = 0;
      try {
        unsent = owner ? (await Outbox.recordsOf(owner)).filter(Outbox.isPending).length : 0;
      } catch (error) { /* no storage on this browser: nothing kept to warn about */ }
      if (unsent && !window.confirm(logout.dataset.unsentWarning)) return;
      try {
        if (owner) await forgetUser(owner);
      } catch (error) { /* signing out must not wait on a broken storage */ }
      logout.dataset.confirmed = "1";
      logout.submit();
    });
  }
})();
