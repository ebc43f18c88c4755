/* The offline pre-registration page: save to the outbox first, then sync when the server
 * answers. Works the same with or without a network.
 *
 * The page may come from the service worker's cache, so it carries no identity: who is signed
 * in comes from /api/ping, else from the cookie the last sign-in set (webapp/device_identity.py),
 * else, offline, from the last page that knew; only that person's records are shown and sent.
 *
 * While the server does not answer, one request tries again at each step of the backoff (with
 * jitter): the ping of runSync, which sends the outbox as soon as it is answered. */
(function () {
  "use strict";
  const root = document.getElementById("capture");
  const cfg = root.dataset;
  const t = JSON.parse(document.getElementById("capture-messages").textContent);
  const $ = (id) => document.getElementById(id);
  const studentForm = $("student-form");
  const visitForm = $("visit-form");
  const session = "BroadcastChannel" in window ? new BroadcastChannel("studentloan-session") : null;
  let owner = null; // the username whose records this page shows and sends
  let reference = { schools: [], rosters: {} };
  let regions = null;
  let syncing = false;
  let failures = 0;
  let retryTimer = null;
  let authorised = false; // the server accepted this page's session at the last ping
  const draftKey = () => "studentloan-draft:" + owner;

  /* ---- reference data: network first through the service worker, else the last copy ---- */
  async function loadJson(url, metaKey) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok || response.redirected) throw new Error(String(response.status));
      const data = await response.json();
      await Outbox.setMeta(metaKey, data);
      return data;
    } catch (error) {
      return Outbox.getMeta(metaKey);
    }
  }

  function schoolName(id) {
    const school = reference.schools.find((s) => String(s.id) === String(id));
    return school ? school.name : "";
  }

  function fillSchools() {
    for (const select of document.querySelectorAll("select[data-schools]")) {
      const current = select.value;
      select.replaceChildren(new Option("—", ""));
      for (const school of reference.schools) select.add(new Option(school.name, school.id));
      select.value = current;
    }
  }

  /* ---- field messages, next to the field and announced to screen readers ---- */
  function showErrors(form, errors) {
    for (const old of form.querySelectorAll(".error[data-for]")) old.remove();
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    let first = null;
    for (const [name, message] of Object.entries(errors)) {
      const input = form.elements[name];
      if (!input) continue;
      const note = document.createElement("p");
      note.className = "error";
      note.dataset.for = name;
      note.id = input.id + "-error";
      note.textContent = message;
      input.closest(".field").appendChild(note);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      first = first || input;
    }
    if (first) first.focus();
    return !first;
  }

  const MOBILE = /^1[3-9]\d{9}$/;
  const compactMobile = (v) => (v || "").normalize("NFKC").replace(/[\s-]/g, "");

  function studentData() {
    const f = studentForm.elements;
    const value = (name) => f[name].value.trim();
    return {
      school_id: value("school_id"), class_name: value("class_name"), name: value("name"),
      id_number: IdCard.compact(value("id_number")), mobile: compactMobile(value("mobile")),
      guardian_name: value("guardian_name"), guardian_relation: value("guardian_relation"),
      guardian_mobile: compactMobile(value("guardian_mobile")),
      guardian_id_number: IdCard.compact(value("guardian_id_number")),
      category: Number(value("category") || 0), intended_university: value("intended_university"),
      intended_level: value("intended_level"), notes: value("notes"),
    };
  }

  function checkStudent(data) {
    const errors = {};
    if (!data.school_id) errors.school_id = t.school_required;
    if (!data.name) errors.name = t.name_required;
    const today = IdCard.localToday(); // the device's own date, not the cached page's
    const id = IdCard.parse(data.id_number, regions, today);
    if (!id.ok) {
      errors.id_number = t["id_" + id.error];
    } else if (reference.season && reference.season.student_min_age) {
      const age = IdCard.ageOn(id.birthDate, today);
      const { student_min_age: low, student_max_age: high } = reference.season;
      if (age < low || age > high) {
        errors.id_number = t.student_age.replace("{low}", low).replace("{high}", high).replace("{age}", age);
      }
    }
    if (data.mobile && !MOBILE.test(data.mobile)) errors.mobile = t.mobile_format;
    if (data.guardian_mobile && !MOBILE.test(data.guardian_mobile)) errors.guardian_mobile = t.mobile_format;
    if (data.guardian_id_number) {
      const gid = IdCard.parse(data.guardian_id_number, regions, today);
      if (!gid.ok) errors.guardian_id_number = t["id_" + gid.error];
    }
    return errors;
  }

  function visitData() {
    const f = visitForm.elements;
    return { school_id: f.school_id.value, visited_on: f.visited_on.value,
      leaflets: Number(f.leaflets.value || 0), students_reached: Number(f.students_reached.value || 0),
      notes: f.notes.value.trim() };
  }

  function checkVisit(data) {
    const errors = {};
    if (!data.school_id) errors.school_id = t.school_required;
    if (!data.visited_on || data.visited_on > IdCard.localToday()) errors.visited_on = t.visit_date;
    for (const name of ["leaflets", "students_reached"]) {
      if (!Number.isInteger(data[name]) || data[name] < 0 || data[name] > 100000) errors[name] = t.whole_number;
    }
    return errors;
  }

  /* ---- derived details and roster suggestions while typing ---- */
  // The last four characters of the ID number on the roster row picked (the device keeps no more).
  let rosterLast4 = "";

  function showDerived() {
    const typed = studentForm.elements.id_number.value.trim().toUpperCase();
    const id = IdCard.parse(typed, regions, IdCard.localToday());
    let text = id.ok ? (id.sex === "M" ? t.male : t.female) + " · " + t.born + " " + id.birthDate : "";
    if (rosterLast4 && (!id.ok || !typed.endsWith(rosterLast4))) {
      text = (text ? text + " · " : "") + t.roster_last4.replace("{last4}", rosterLast4);
    }
    $("f-id-derived").textContent = text;
  }

  function suggestFromRoster() {
    const box = $("roster-suggestions");
    box.replaceChildren();
    const typed = studentForm.elements.name.value.trim();
    const roster = reference.rosters[studentForm.elements.school_id.value] || [];
    if (!typed || !roster.length) return;
    const matches = roster.filter(([, name]) => name.includes(typed)).slice(0, 6);
    if (!matches.length) return;
    const label = document.createElement("span");
    label.className = "hint";
    label.textContent = t.roster_pick;
    box.appendChild(label);
    for (const [last4, name, className] of matches) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button small ghost";
      button.textContent = name + (className ? " · " + className : "");
      button.addEventListener("click", () => {
        const f = studentForm.elements;
        f.name.value = name;
        if (className) f.class_name.value = className;
        rosterLast4 = last4;
        box.replaceChildren();
        showDerived();
        saveDraft();
        f.id_number.focus();
      });
      box.appendChild(button);
    }
  }

  /* ---- a draft of the open form survives reloads and updates ---- */
  function saveDraft() {
    const draft = {};
    for (const el of studentForm.elements) if (el.name) draft[el.name] = el.value;
    if (owner) localStorage.setItem(draftKey(), JSON.stringify(draft));
  }

  function restoreDraft() {
    studentForm.reset();
    const draft = JSON.parse(localStorage.getItem(draftKey()) || "null");
    if (!draft) return;
    for (const [name, value] of Object.entries(draft)) {
      if (studentForm.elements[name]) studentForm.elements[name].value = value;
    }
    $("editing-note").hidden = !draft.uuid;
    showDerived();
  }

  function clearStudentForm() {
    const keep = { school_id: studentForm.elements.school_id.value, class_name: studentForm.elements.class_name.value };
    studentForm.reset();
    studentForm.elements.uuid.value = "";
    studentForm.elements.school_id.value = keep.school_id;
    studentForm.elements.class_name.value = keep.class_name;
    $("editing-note").hidden = true;
    $("f-id-derived").textContent = "";
    $("roster-suggestions").replaceChildren();
    rosterLast4 = "";
    showErrors(studentForm, {});
    saveDraft();
  }

  /* ---- the list of records on this device ---- */
  function maskId(number) {
    return number && number.length === 18 ? number.slice(0, 6) + "********" + number.slice(14) : number;
  }

  /* Draws the list of whoever owns the page now; a drawing started for someone else (the
   * owner changed while the outbox was being read) stops at its next step. */
  async function renderRecords() {
    const who = owner;
    const others = who ? await Outbox.othersPending(who) : 0;
    if (who !== owner) return;
    $("others-note").hidden = !others;
    $("others-note").textContent = t.others_waiting.replace("{n}", others);
    if (!who) return;
    const records = await Outbox.recordsOf(who);
    if (who !== owner) return;
    const list = $("records");
    list.replaceChildren();
    $("records-empty").hidden = records.length > 0;
    for (const record of records) {
      const item = document.createElement("li");
      item.className = "record state-" + record.state;
      item.dataset.uuid = record.uuid;
      const title = document.createElement("strong");
      const d = record.data;
      title.textContent = record.kind === "school_visit" ? t.visit + " · " + schoolName(d.school_id) : d.name;
      const detail = document.createElement("span");
      detail.className = "hint";
      detail.textContent = record.kind === "school_visit"
        ? d.visited_on + " · " + d.leaflets + " " + t.leaflets + " · " + d.students_reached + " " + t.reached
        : [schoolName(d.school_id), d.class_name, maskId(d.id_number)].filter(Boolean).join(" · ") +
          (record.pruned ? " · " + t.pruned : "");
      const state = document.createElement("span");
      state.className = "badge";
      state.textContent = t["state_" + record.state] || record.state;
      item.append(title, " ", state, document.createElement("br"), detail);
      const errors = Object.values(record.errors || {});
      if (errors.length) {
        const ul = document.createElement("ul");
        ul.className = "error";
        for (const message of errors) ul.appendChild(Object.assign(document.createElement("li"), { textContent: message }));
        item.appendChild(ul);
      }
      if (record.kind === "pre_registration" && Outbox.isEditable(record)) {
        const edit = document.createElement("button");
        edit.type = "button";
        edit.className = "button small ghost";
        edit.textContent = t.edit;
        edit.addEventListener("click", () => editRecord(record));
        item.appendChild(edit);
      }
      list.appendChild(item);
    }
    $("pending-count").textContent = records.filter(Outbox.isPending).length;
    $("attention-count").textContent = records.filter((r) => r.state === "invalid").length;
    const last = await Outbox.getMeta("last_sync:" + who);
    if (who !== owner) return;
    $("last-sync").textContent = last ? new Date(last).toLocaleString(document.documentElement.lang) : t.never;
  }

  function editRecord(record) {
    selectTab("student");
    for (const [name, value] of Object.entries(record.data)) {
      if (studentForm.elements[name]) studentForm.elements[name].value = value;
    }
    studentForm.elements.uuid.value = record.uuid;
    $("editing-note").hidden = false;
    showDerived();
    showErrors(studentForm, record.errors || {});
    saveDraft();
    studentForm.scrollIntoView();
  }

  /* ---- who is signed in: the server says; offline, the last page that knew ---- */
  function signedInCookie() {
    const prefix = cfg.identityCookie + "=";
    const entry = document.cookie.split("; ").find((part) => part.startsWith(prefix));
    if (!entry) return null;
    try {
      const told = JSON.parse(decodeURIComponent(entry.slice(prefix.length)));
      return told && typeof told.user === "string" && told.user ? { user: told.user, name: String(told.name || "") } : null;
    } catch (error) {
      return null; // not ours, or damaged: the ping will say
    }
  }

  function showIdentity(name) {
    const whoami = document.getElementById("whoami");
    if (whoami) whoami.textContent = name || "";
  }

  async function setOwner(user, name, first = false) {
    if (user === owner && !first) return;
    owner = user;
    $("records").replaceChildren();  // nothing of the person before stays on screen meanwhile
    document.body.dataset.sessionUser = user || "";
    showIdentity(name);
    $("identity-unknown").hidden = Boolean(user);
    for (const button of document.querySelectorAll("#capture form button[type=submit]")) button.disabled = !user;
    const known = user && await Outbox.getMeta("reference:" + user);
    if (owner !== user) return; // someone else signed in meanwhile; their own setOwner draws
    reference = known || { schools: [], rosters: {} };
    fillSchools();
    restoreDraft();
    await renderRecords();
    if (user) refreshReference(user);
  }

  /* The latest schools and rosters, when the network brings them. */
  async function refreshReference(user) {
    const fresh = await loadJson(cfg.referenceUrl, "reference:" + user);
    if (fresh && owner === user) {
      reference = fresh;
      fillSchools();
      await renderRecords();
    }
  }

  /* ---- sync: on load, on reconnect, on a timer with backoff, and on request ---- */
  function setConnection(message) {
    $("connection").textContent = message;
  }

  async function ping() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5000);
    try {
      const url = cfg.pingUrl + "?device=" + encodeURIComponent(await Outbox.deviceId());
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store", signal: controller.signal });
      if (response.status === 401 || response.status === 403) throw new Outbox.SyncError("auth", response.status);
      if (!response.ok) throw new Outbox.SyncError("server", response.status);
      return await response.json();
    } catch (error) {
      if (error instanceof Outbox.SyncError) throw error;
      throw new Outbox.SyncError("network");
    } finally {
      clearTimeout(timer);
    }
  }

  /* The server answers again: note who is signed in, refresh the forms' tokens, tell other tabs. */
  async function signedIn(answer) {
    for (const input of document.querySelectorAll("input[name=csrf_token]")) input.value = answer.csrf_token;
    await Outbox.setSession({ user: answer.user, name: answer.name });
    await setOwner(answer.user, answer.name);
    showIdentity(answer.name);
    if (!authorised && session) session.postMessage({ type: "signed-in" });
    authorised = true;
  }

  /* The next try: 5 s, doubling to 300 s at most, each ±20 % so that the devices of a province
   * do not knock on a recovering server together. */
  function scheduleRetry(counted) {
    clearTimeout(retryTimer);
    const delay = Math.min(Number(cfg.retryMs) * 2 ** failures, 300000) * (0.8 + Math.random() * 0.4);
    if (counted || !failures) failures += 1;
    retryTimer = setTimeout(() => runSync(), delay);
    return Math.round(delay / 1000);
  }

  /* counted: whether a failure lengthens the wait (a save made during an outage does not). */
  async function runSync(counted = true) {
    if (syncing) return;
    if (!counted && failures) {
      await renderRecords();
      return; // a retry is already on its way
    }
    syncing = true;
    clearTimeout(retryTimer);
    try {
      await signedIn(await ping());
      failures = 0;
      $("signin-needed").hidden = true;
      setConnection(t.syncing);
      await Outbox.sync(cfg.syncUrl, owner);
      setConnection(t.online);
      retryTimer = setTimeout(runSync, 60000);
    } catch (error) {
      if (error.kind === "auth") {
        authorised = false;
        $("signin-needed").hidden = false;
        setConnection(t.offline);
      } else if (error.kind === "server") {
        setConnection(t.server_down.replace("{s}", scheduleRetry(counted)));
      } else {
        setConnection(t.offline);
        scheduleRetry(counted);
      }
    } finally {
      syncing = false;
      if (owner) await Outbox.prune(owner, Number(cfg.keepDays));
      await renderRecords();
    }
  }

  /* ---- wiring ---- */
  function selectTab(name) {
    for (const tab of document.querySelectorAll("[role=tab]")) {
      const selected = tab.id === "tab-" + name;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      $(tab.getAttribute("aria-controls")).hidden = !selected;
    }
    if (name === "visit") refreshVisitDate();
  }

  for (const tab of document.querySelectorAll("[role=tab]")) {
    tab.addEventListener("click", () => selectTab(tab.id.slice(4)));
    tab.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        const next = tab.id === "tab-student" ? "visit" : "student";
        selectTab(next);
        $("tab-" + next).focus();
      }
    });
  }

  studentForm.addEventListener("input", (event) => {
    if (event.target.name === "id_number") showDerived();
    if (event.target.name === "name" || event.target.name === "school_id") suggestFromRoster();
    saveDraft();
  });
  $("clear-form").addEventListener("click", clearStudentForm);
  /* Save to the outbox; a full or broken storage keeps what was typed and says why. */
  async function store(kind, data, uuid, message) {
    message.className = "flash flash-success";
    try {
      await Outbox.save(kind, owner, data, uuid);
    } catch (error) {
      message.className = "flash flash-error";
      message.textContent = error && error.name === "QuotaExceededError" ? t.storage_full : t.storage_failed;
      message.hidden = false;
      return false;
    }
    return true;
  }

  studentForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("save-message").hidden = true; // the last save's "saved" never stands beside a new error
    const data = studentData();
    if (!showErrors(studentForm, checkStudent(data))) return;
    if (!await store("pre_registration", data, studentForm.elements.uuid.value || null, $("save-message"))) return;
    clearStudentForm();
    $("save-message").textContent = t.saved;
    $("save-message").hidden = false;
    studentForm.elements.name.focus();
    await renderRecords();
    runSync(false);
  });

  function resetVisitForm() {
    visitForm.reset();
    visitForm.elements.visited_on.value = "";
    refreshVisitDate();
  }

  /* The device's own date: a page loaded yesterday (or left open overnight) records today's
   * visit, unless the date was changed by hand. */
  function refreshVisitDate() {
    const field = visitForm.elements.visited_on;
    const today = IdCard.localToday();
    if (!field.value || field.value === field.dataset.auto) {
      field.value = today;
      field.dataset.auto = today;
    }
    field.max = today;
  }
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshVisitDate(); });

  visitForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("visit-message").hidden = true;
    const data = visitData();
    if (!showErrors(visitForm, checkVisit(data))) return;
    if (!await store("school_visit", data, null, $("visit-message"))) return;
    resetVisitForm();
    $("visit-message").textContent = t.saved_visit;
    $("visit-message").hidden = false;
    await renderRecords();
    runSync(false);
  });

  $("sync-now").addEventListener("click", () => { failures = 0; runSync(); });
  $("export-unsent").addEventListener("click", async () => {
    if (!owner) return;
    const payload = await Outbox.exportUnsent(owner);
    const blob = new Blob([JSON.stringify(payload, null, 1)], { type: "application/json" });
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(blob),
      download: "unsent-records-" + owner + "-" + payload.exported_at.slice(0, 16).replace(/[:T]/g, "") + ".json",
    });
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  const resume = () => { failures = 0; runSync(); };
  window.addEventListener("online", resume);
  window.addEventListener("offline", () => setConnection(t.offline));
  // Signing in from another tab resumes sending here.
  if (session) {
    session.addEventListener("message", (event) => {
      if (event.data.type === "signed-in" && !authorised) resume();
    });
  }

  function noStorage() {
    $("no-storage").hidden = false;
    setConnection(t.no_storage);
    $("identity-unknown").hidden = true;
    for (const button of document.querySelectorAll("#capture button")) button.disabled = true;
    root.dataset.ready = "1";
  }

  (async function start() {
    resetVisitForm();
    if (!window.indexedDB || !await Outbox.available()) {
      noStorage();
      return;
    }
    const storage = navigator.storage && navigator.storage.persist ? await navigator.storage.persist() : false;
    $("storage-state").textContent = storage ? t.persisted : t.not_persisted;
    const [last] = await Promise.all([
      Outbox.getSession(),
      loadJson(cfg.regionsUrl, "regions").then((r) => { regions = r; }),
    ]);
    // A sign-in just now says who it was, even while /api/ does not answer; never the person before.
    const told = signedInCookie();
    if (told && (!last || last.user !== told.user)) await Outbox.setSession(told);
    const who = told || last;
    await setOwner(who ? who.user : null, who ? who.name : "", true);
    root.dataset.ready = "1";
    runSync();
  })();
})();
