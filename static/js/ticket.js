/* The ticket page follows the queue without a reload: a small JSON poll every 5 seconds. */
(function () {
  "use strict";
  const script = document.currentScript;
  const box = document.getElementById("ticket");
  const ahead = document.getElementById("ticket-ahead");
  const calling = document.querySelector("#ticket-calling strong");

  async function refresh() {
    try {
      const response = await fetch(box.dataset.url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const state = await response.json();
      if (state.status === "done" || state.status === "skipped") {
        window.location.reload(); // the page says what happened and what comes next
        return;
      }
      calling.textContent = state.calling || "—";
      if (state.status === "waiting") {
        ahead.textContent = script.dataset.ahead.replace("{n}", state.ahead);
      } else if (state.window) {
        ahead.textContent = script.dataset.window.replace("{n}", state.window);
      }
    } catch (error) {
      // offline for a moment: the next poll tries again
    }
  }
  setInterval(refresh, 5000);
})();
