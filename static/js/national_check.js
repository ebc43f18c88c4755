/* The acceptance form's two national codes: a scanner's Enter moves to the next field instead of
   accepting, and what the imported national list says against the codes shows as they are typed. */
(function () {
  "use strict";
  const box = document.getElementById("national-codes");
  if (!box) return;
  const notice = document.getElementById("national-check");
  const list = notice.querySelector("ul");
  const inputs = Array.from(box.querySelectorAll("input"));
  let timer = null;
  let asked = 0;

  function show(messages) {
    list.replaceChildren(...messages.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
    notice.hidden = messages.length === 0;
  }

  async function check() {
    const query = new URLSearchParams(inputs.map((input) => [input.name.replace(/^a-/, ""), input.value.trim()]));
    const mine = ++asked;
    try {
      const response = await fetch(box.dataset.checkUrl + "?" + query, { credentials: "same-origin" });
      if (!response.ok || mine !== asked) return;
      show((await response.json()).messages);
    } catch (error) {
      /* offline or the server is busy: the check runs again on acceptance */
    }
  }

  inputs.forEach((input, index) => {
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault(); /* a scanner ends with Enter: go on to the next code */
      const next = inputs[index + 1];
      if (next) next.focus();
      clearTimeout(timer);
      check();
    });
  });
})();
