/* On every page of staff who capture offline: install the service worker, offer a waiting
 * update instead of forcing it, and warn before signing out with unsent records. */
(function () {
  "use strict";
  const owner = document.body.dataset.offlineOwner;
  const banner = document.getElementById("update-ready");

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

  const logout = document.querySelector("form[data-logout]");
  if (logout && owner && window.Outbox) {
    logout.addEventListener("submit", async (event) => {
      if (logout.dataset.confirmed) return;
      event.preventDefault();
      const unsent = (await Outbox.recordsOf(owner)).filter(Outbox.isPending).length;
      if (!unsent || window.confirm(logout.dataset.unsentWarning)) {
        logout.dataset.confirmed = "1";
        logout.submit();
      }
    });
  }
})();
