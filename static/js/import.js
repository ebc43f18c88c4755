/* Import an exported outbox file in batches, with progress, instead of one long request.
   Without this script the form sends the whole file and the server answers at the end. */
(function () {
  "use strict";
  const form = document.getElementById("import-form");
  if (!form || !window.fetch || !window.File || !File.prototype.text) return;
  const progress = document.getElementById("import-progress");
  const bar = progress.querySelector("progress");
  const line = progress.querySelector("[data-progress-text]");
  const results = document.getElementById("import-results");
  const labels = JSON.parse(form.dataset.labels);
  const batchSize = Number(form.dataset.batch);
  const token = form.querySelector("input[name=csrf_token]").value;

  function say(text) {
    progress.hidden = false;
    line.textContent = text;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
  }

  function show(rows) {
    const table = results.querySelector("table") || document.createElement("table");
    table.className = "table";
    table.replaceChildren();
    const head = table.createTHead().insertRow();
    for (const title of ["Record", "Status", "Messages"]) {
      const cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = results.dataset[title.toLowerCase()] || title;
      head.appendChild(cell);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      tr.insertCell().textContent = row.uuid.slice(0, 8);
      tr.insertCell().textContent = labels[row.status] || row.status;
      tr.insertCell().textContent = Object.values(row.errors || {}).join("; ");
    }
    results.querySelector(".empty")?.remove();
    results.appendChild(table);
    results.hidden = false;
  }

  async function send(payload, records) {
    const response = await fetch(form.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ ...payload, records }),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.message || response.statusText);
    return answer.results;
  }

  form.addEventListener("submit", async (event) => {
    const file = form.querySelector("input[type=file]").files[0];
    if (!file) return; // the server says what is missing
    event.preventDefault();
    let payload = null;
    try {
      payload = JSON.parse(await file.text());
    } catch (error) {
      payload = null;
    }
    if (!payload || !Array.isArray(payload.records)) {
      say(form.dataset.notExport);
      return;
    }
    const records = payload.records;
    const total = records.length;
    if (total === 0) {
      say(form.dataset.empty);
      return;
    }
    bar.max = total;
    bar.value = 0;
    say(fill(form.dataset.sent, { n: 0, total }));
    const rows = [];
    for (let start = 0; start < total; start += batchSize) {
      try {
        rows.push(...(await send(payload, records.slice(start, start + batchSize))));
      } catch (error) {
        say(error.message + " " + fill(form.dataset.stopped, { n: start }));
        show(rows);
        return;
      }
      bar.value = Math.min(start + batchSize, total);
      say(fill(form.dataset.sent, { n: bar.value, total }));
    }
    say(fill(form.dataset.done, { total }));
    show(rows);
  });
})();
