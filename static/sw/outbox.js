/* The outbox: every record captured offline lives in IndexedDB, keyed by a UUID, with a
 * revision that grows on each edit and the user who captured it (owner). It stays the source
 * of truth until the server has answered for its current revision. Sync sends one owner's
 * batches and applies the per-record answers, each in one transaction that compares revisions.
 * Loaded by the pages and by the service worker (which only reads who is signed in). */
(function (global) {
  "use strict";

  const DB_NAME = "studentloan-outbox";
  const DB_VERSION = 1;
  const BATCH_SIZE = 100;
  const SETTLED = ["accepted", "possible_duplicate", "closed"];
  const DAY_MS = 86400000;
  let dbPromise = null;

  function promisify(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  /* Rejects when this browser cannot keep data (no IndexedDB, storage blocked or broken). */
  function open() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = global.indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          // Only ever add stores here: an upgrade must never drop unsent records.
          const db = request.result;
          if (!db.objectStoreNames.contains("records")) {
            db.createObjectStore("records", { keyPath: "uuid" });
          }
          if (!db.objectStoreNames.contains("meta")) {
            db.createObjectStore("meta");
          }
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error("blocked"));
      });
      dbPromise.catch(() => { dbPromise = null; });
    }
    return dbPromise;
  }

  async function available() {
    try {
      await open();
      return true;
    } catch (error) {
      return false;
    }
  }

  async function withStore(name, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
      try {
        promisify(work(tx.objectStore(name))).then((value) => { result = value; }, reject);
      } catch (error) {
        reject(error); // e.g. QuotaExceededError thrown by put()
        tx.abort();
      }
    });
  }

  /* Read a record and write what change(record) returns, in one read-write transaction, so an
   * edit and an answer arriving together can never overwrite each other. change returns
   * undefined to leave the record as it is. */
  async function update(uuid, change) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction("records", "readwrite");
      const store = tx.objectStore("records");
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
      const read = uuid ? store.get(uuid) : null;
      const write = (current) => {
        try {
          result = change(current);
          if (result !== undefined) store.put(result);
        } catch (error) {
          reject(error);
          tx.abort();
        }
      };
      if (read) read.onsuccess = () => write(read.result);
      else write(undefined);
    });
  }

  const getRecord = (uuid) => withStore("records", "readonly", (s) => s.get(uuid));
  const allRecords = () => withStore("records", "readonly", (s) => s.getAll());
  const getMeta = (key) => withStore("meta", "readonly", (s) => s.get(key));
  const setMeta = (key, value) => withStore("meta", "readwrite", (s) => s.put(value, key));
  const deleteMeta = (key) => withStore("meta", "readwrite", (s) => s.delete(key));

  function newUuid() {
    if (global.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  async function deviceId() {
    let id = await getMeta("device_id");
    if (!id) {
      id = newUuid();
      await setMeta("device_id", id);
    }
    return id;
  }

  /* Who is signed in on this device, as the last page with a session said: {user, name}. */
  const getSession = () => getMeta("session");
  const setSession = (session) => setMeta("session", session);

  function isPending(record) {
    return record.revision > (record.synced_revision || 0) && record.state !== "closed";
  }

  function isEditable(record) {
    return !record.pruned && (record.state === "pending" || record.state === "invalid");
  }

  /* Save a new record, or a new revision of one (also when its answer arrived while it was
   * being edited); a record the centre settled, or whose details left the device, stays. */
  function save(kind, owner, data, uuid) {
    const now = new Date().toISOString();
    return update(uuid || null, (record) => {
      if (uuid && !record) throw new Error("record not found");
      if (record && (record.owner !== owner || record.pruned || record.state === "closed")) {
        throw new Error("record not editable");
      }
      if (record) {
        return Object.assign(record, { data, revision: record.revision + 1, state: "pending",
          errors: {}, updated_at: now });
      }
      return { uuid: newUuid(), kind, owner, data, revision: 1, synced_revision: 0,
        state: "pending", errors: {}, captured_at: now, updated_at: now };
    });
  }

  async function recordsOf(owner) {
    return (await allRecords()).filter((r) => r.owner === owner)
      .sort((a, b) => b.captured_at.localeCompare(a.captured_at));
  }

  /* How many unsent records other people left on this device. */
  async function othersPending(owner) {
    return (await allRecords()).filter((r) => r.owner !== owner && isPending(r)).length;
  }

  class SyncError extends Error {
    constructor(kind, status) {
      super(kind);
      this.kind = kind; // "auth", "network" or "server"
      this.status = status;
    }
  }

  async function post(url, body) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new SyncError("network");
    }
    if (response.status === 401 || response.status === 403) throw new SyncError("auth", response.status);
    if (!response.ok) throw new SyncError("server", response.status);
    try {
      return await response.json();
    } catch (error) {
      throw new SyncError("server", response.status);
    }
  }

  /* Apply the server's answer for one revision; a newer edit saved meanwhile stays pending. */
  function applyResult(result) {
    return update(result.uuid, (record) => {
      if (!record || result.revision > record.revision || result.status === "held") return undefined;
      record.synced_revision = Math.max(record.synced_revision || 0, result.revision);
      if (result.revision === record.revision) {
        // "stale" means the server already holds a newer revision from this device.
        record.state = result.status === "stale" ? "accepted" : result.status;
        record.errors = result.errors || {};
        record.server_revision = result.server_revision;
        if (SETTLED.includes(record.state)) record.settled_at = new Date().toISOString();
      }
      return record;
    });
  }

  const wireRecord = (r) => ({ uuid: r.uuid, revision: r.revision, kind: r.kind,
    captured_at: r.captured_at, captured_by: r.owner, data: r.data });

  /* Send every pending record of owner; resolves with the number sent, rejects with SyncError. */
  async function sync(url, owner) {
    const device = await deviceId();
    let sent = 0;
    const tried = new Set();
    for (;;) {
      const batch = (await recordsOf(owner)).filter((r) => isPending(r) && !tried.has(r.uuid + ":" + r.revision))
        .slice(0, BATCH_SIZE);
      if (!batch.length) {
        break;
      }
      const answer = await post(url, {
        device_id: device, device_time: new Date().toISOString(), records: batch.map(wireRecord),
      });
      for (const result of answer.results || []) {
        await applyResult(result);
      }
      // A record held by the server (or edited meanwhile) waits for the next round.
      batch.forEach((r) => tried.add(r.uuid + ":" + r.revision));
      sent += batch.length;
    }
    await setMeta("last_sync:" + owner, new Date().toISOString());
    return sent;
  }

  function maskName(name) {
    return name ? name.slice(0, 1) + "*".repeat(Math.max(name.length - 1, 1)) : "";
  }

  /* Records the centre settled more than keepDays ago keep only a masked line on the device. */
  async function prune(owner, keepDays, now) {
    const limit = (now || Date.now()) - keepDays * DAY_MS;
    for (const record of await recordsOf(owner)) {
      if (record.pruned || isPending(record) || !SETTLED.includes(record.state)) continue;
      await update(record.uuid, (r) => {
        if (!r || isPending(r)) return undefined;
        if (!r.settled_at) return Object.assign(r, { settled_at: new Date(now || Date.now()).toISOString() });
        if (Date.parse(r.settled_at) > limit) return undefined;
        const d = r.data;
        r.data = r.kind === "school_visit"
          ? { school_id: d.school_id, visited_on: d.visited_on, leaflets: d.leaflets, students_reached: d.students_reached }
          : { school_id: d.school_id, class_name: d.class_name, name: maskName(d.name),
            id_number: d.id_number ? "**************" + d.id_number.slice(-4) : "" };
        r.pruned = true;
        return r;
      });
    }
  }

  /* On sign-out: what the device holds for this user besides unsent records. */
  async function forget(owner) {
    await deleteMeta("reference:" + owner);
    await deleteMeta("session");
  }

  async function exportUnsent(owner) {
    const records = (await recordsOf(owner)).filter(isPending);
    return {
      format: "studentloan-outbox", version: 1, exported_at: new Date().toISOString(),
      device_id: await deviceId(), owner, records: records.map(wireRecord),
    };
  }

  global.Outbox = { available, save, recordsOf, othersPending, getRecord, applyResult, sync, prune,
    forget, exportUnsent, isPending, isEditable, getMeta, setMeta, deviceId, getSession, setSession,
    SyncError };
})(typeof window !== "undefined" ? window : self);
