/* The waiting-room screen: polls the calls every second, shows them in large type and reads
   each new call aloud with the browser's speech synthesis. A lost connection (a server
   restart) only slows the polling down until the server answers again. */
(function () {
  "use strict";
  const screen = document.getElementById("screen");
  const callsList = document.getElementById("calls");
  const connection = document.getElementById("connection");
  const soundButton = document.getElementById("sound");
  const repeatButton = document.getElementById("repeat");
  const announced = new Set();  // "id@called_at" of calls already read out
  let firstLoad = true;
  let soundOn = false;
  let lastSentence = null;
  let delay = 1000;

  function sentence(call) {
    return screen.dataset.announce.replace("{ticket}", call.ticket).replace("{window}", call.window);
  }

  function speak(text) {
    lastSentence = text;
    repeatButton.disabled = false;
    if (!soundOn || !window.speechSynthesis) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = screen.dataset.speechLang;  // the screen's language (Mandarin by default)
    const voice = window.speechSynthesis.getVoices().find((v) => v.lang.replace("_", "-") === utterance.lang);
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }

  function show(state) {
    callsList.replaceChildren(...state.calls.map(function (call, index) {
      const item = document.createElement("li");
      item.className = index === 0 ? "call newest" : "call";
      const number = document.createElement("span");
      number.className = "number";
      number.textContent = call.ticket;
      const place = document.createElement("span");
      place.className = "window";
      place.textContent = screen.dataset.windowLabel.replace("{n}", call.window);
      item.append(number, place);
      return item;
    }));
    document.getElementById("no-calls").hidden = state.calls.length > 0;
    for (const service of ["first_loan", "renewal"]) {
      document.getElementById("next-" + service).textContent = (state.next[service] || []).join("  ") || "—";
    }
    const duty = document.getElementById("duty");
    duty.textContent = state.duty_leader ? duty.dataset.label.replace("{name}", state.duty_leader) : "";
    // Oldest first, so that two calls in one second are read out in the order they were made.
    for (const call of state.calls.slice().reverse()) {
      const key = call.id + "@" + call.called_at;
      if (announced.has(key)) continue;
      announced.add(key);
      if (!firstLoad) speak(sentence(call));
    }
    firstLoad = false;
  }

  async function poll() {
    try {
      const response = await fetch(screen.dataset.url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      show(await response.json());
      connection.textContent = "";
      screen.dataset.state = "live";
      delay = 1000;
    } catch (error) {
      connection.textContent = connection.dataset.lost;
      screen.dataset.state = "lost";
      delay = Math.min(delay * 2, 5000);
    }
    setTimeout(poll, delay);
  }

  soundButton.addEventListener("click", function () {
    soundOn = true;  // browsers speak only after a click on the page
    soundButton.hidden = true;
  });
  repeatButton.addEventListener("click", function () {
    if (lastSentence) speak(lastSentence);
  });
  poll();
})();
