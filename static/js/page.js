/* On every page: a refused form gets an error summary at its top (announced, focused, linking
 * to each field, and "Error" in the page title), and otherwise the result of the last action
 * (a called ticket, a message) takes the focus, so that the keyboard flow stays short. */
(function () {
  "use strict";
  const body = document.body.dataset;

  function labelOf(field) {
    const label = field.querySelector("label, legend");
    return label ? label.textContent.trim() : "";
  }

  function errorSummary() {
    const fields = Array.from(document.querySelectorAll("main form .has-error"));
    if (!fields.length) return null;
    const form = fields[0].closest("form");
    const summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    const heading = document.createElement("h2");
    heading.textContent = body.errorHeading;
    const list = document.createElement("ul");
    for (const field of fields.filter((f) => f.closest("form") === form)) {
      const input = field.querySelector("input:not([type=hidden]), select, textarea");
      const message = field.querySelector(".error");
      const link = document.createElement("a");
      link.href = "#" + (input ? input.id : "");
      link.textContent = [labelOf(field), message ? message.textContent.trim() : ""].filter(Boolean).join(": ");
      link.addEventListener("click", (event) => {
        if (!input) return;
        event.preventDefault();
        input.focus();
      });
      const item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    }
    summary.append(heading, list);
    form.prepend(summary);
    document.title = body.errorTitle.replace("{title}", document.title);
    return summary;
  }

  // On a phone a wide table shows each row as a card: each cell says which column it is.
  for (const table of document.querySelectorAll("table.cards")) {
    const heads = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      Array.from(row.children).forEach((cell, i) => {
        if (i > 0 && heads[i] && !cell.dataset.label) cell.dataset.label = heads[i];
      });
    }
  }

  // A form that takes a while (a long file to check) says so and cannot be sent twice.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.dataset.busy) return;
    const status = form.querySelector(".busy-status");
    if (status) { status.textContent = form.dataset.busy; status.hidden = false; }
    form.setAttribute("aria-busy", "true");
    setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; }));
  });

  // A field the page focuses itself (autofocus) keeps the focus, but for a refused form.
  const untouched = document.activeElement === document.body;
  const target = errorSummary() || (untouched && (document.querySelector("[data-focus-on-load]") ||
    document.querySelector("main .flash:not([hidden])")));
  if (target) {
    if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
    target.focus();
  }
})();
