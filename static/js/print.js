/* Batch printing: build the PDF in the background with a progress line, then open it. */
(function () {
  "use strict";
  const script = document.currentScript;
  const status = document.getElementById("batch-progress");
  const text = status.querySelector("span");
  const bar = status.querySelector("progress");

  async function build(link) {
    status.hidden = false;
    bar.removeAttribute("value");
    text.textContent = script.dataset.building.replace("{n}", link.dataset.count || "");
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const total = Number(response.headers.get("Content-Length")) || 0;
      const reader = response.body.getReader();
      const chunks = [];
      let received = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        if (total) { bar.max = total; bar.value = received; }
      }
      const url = URL.createObjectURL(new Blob(chunks, { type: "application/pdf" }));
      status.hidden = true;
      window.open(url, "_blank") || (window.location.href = url);
    } catch (error) {
      text.textContent = script.dataset.failed;
      bar.value = 0;
    }
  }

  for (const link of document.querySelectorAll("[data-batch] a[data-count]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      build(link);
    });
  }
})();
