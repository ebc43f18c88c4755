/* The waiting-room screen: shows the calls in large type and reads each new call aloud with the
   browser's speech synthesis. The server pushes the calls (Server-Sent Events); when the stream
   keeps failing, or a proxy holds its events back, the screen polls every second instead and
   tries the stream again a little later. A lost connection (a server restart) only slows
   things down until the server answers again. */
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
    for (const service of Object.keys(state.next)) {
      const line = document.getElementById("next-" + service);
      if (line) line.textContent = state.next[service].join("  ") || "—";
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

  function live(via) {
    connection.textContent = "";
    screen.dataset.state = "live";
    screen.dataset.via = via;  // "stream" or "poll": how the calls arrive now
  }

  function lost() {
    connection.textContent = connection.dataset.lost;
    screen.dataset.state = "lost";
  }

  const STREAM_FAILURES = 3;      // streams in a row that brought nothing: poll instead
  const FIRST_EVENT_MS = 5000;    // a stream's first event comes at once unless held back
  const POLLS_BEFORE_STREAM = 30; // polling that long, then the stream is tried again

  function listen() {
    if (!window.EventSource) return poll(Infinity);
    const source = new EventSource(screen.dataset.events);
    let heard = false;
    let failures = 0;
    let watchdog = null;
    function giveUp() {
      source.close();
      clearTimeout(watchdog);
      poll(POLLS_BEFORE_STREAM);
    }
    source.addEventListener("open", function () {
      watchdog = setTimeout(giveUp, FIRST_EVENT_MS);
    });
    source.addEventListener("state", function (event) {
      clearTimeout(watchdog);
      heard = true;
      failures = 0;
      show(JSON.parse(event.data));
      live("stream");
    });
    source.addEventListener("error", function () {
      clearTimeout(watchdog);
      if (heard) {  // the server ended a stream; the browser reconnects by itself
        heard = false;
        return;
      }
      lost();
      failures += 1;
      // CLOSED: the answer was no stream at all (an error page); the browser will not retry
      if (failures >= STREAM_FAILURES || source.readyState === EventSource.CLOSED) giveUp();
    });
  }

  async function poll(pollsLeft) {
    try {
      const response = await fetch(screen.dataset.url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      show(await response.json());
      live("poll");
      delay = 1000;
      pollsLeft -= 1;
    } catch (error) {
      lost();
      delay = Math.min(delay * 2, 5000);
    }
    if (pollsLeft <= 0) return listen();
    setTimeout(function () { poll(pollsLeft); }, delay);
  }

  /* Whether the computer has a voice for the screen's language: the list comes late in some
     browsers (voiceschanged), and an empty one means none is installed. Said once, to the staff. */
  function checkVoices() {
    if (!window.speechSynthesis) {
      document.getElementById("no-voice").hidden = false;
      return;
    }
    const voices = window.speechSynthesis.getVoices();
    const lang = screen.dataset.speechLang.toLowerCase().slice(0, 2);
    const found = voices.some((v) => v.lang.replace("_", "-").toLowerCase().startsWith(lang));
    document.getElementById("no-voice").hidden = found;
  }

  soundButton.addEventListener("click", function () {
    soundOn = true;  // browsers speak only after a click on the page
    soundButton.hidden = true;
    checkVoices();
    if (window.speechSynthesis) window.speechSynthesis.addEventListener("voiceschanged", checkVoices, { once: true });
  });
  repeatButton.addEventListener("click", function () {
    if (lastSentence) speak(lastSentence);
  });
  listen();
})();
