/* The ticket page follows the queue without a reload: a small JSON poll every 5 seconds. The
 * page is drawn again when the ticket changes kind (called, skipped, put back in line, done);
 * while it waits, the numbers change in place. */
(function () {
  "use strict";
  const script = document.currentScript;
  const box = document.querySelector("[data-ticket-url]");
  const ahead = document.getElementById("ticket-ahead");
  const calling = document.querySelector("#ticket-calling strong");
  const OWN_PAGE = ["done", "skipped"]; // each has a page of its own

  async function refresh() {
    try {
      const response = await fetch(box.dataset.ticketUrl, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const state = await response.json();
      const shown = box.dataset.status;
      if (state.status !== shown && (OWN_PAGE.includes(state.status) || OWN_PAGE.includes(shown))) {
        window.location.reload(); // the page says what happened and what comes next
        return;
      }
      box.dataset.status = state.status;
      if (calling) calling.textContent = state.calling || "—";
      if (!ahead) return;
      if (state.status === "waiting") {
        ahead.textContent = script.dataset.ahead.replace("{n}", state.ahead);
      } else if (state.window) {
        ahead.textContent = script.dataset.window.replace("{n}", state.window);
      }
    } catch (error) {
      // offline for a moment: the next poll tries again
    }
  }
  if (box) setInterval(refresh, 5000);
})();
