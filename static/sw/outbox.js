/* The outbox: every record captured offline lives in IndexedDB, keyed by a UUID, with a
 * revision that grows on each edit. It stays the source of truth until the server has
 * answered for its current revision. Sync sends batches and applies the per-record answers. */
(function (global) {
  "use strict";

  const DB_NAME = "studentloan-outbox";
  const DB_VERSION = 1;
  const BATCH_SIZE = 100;
  let dbPromise = null;

  function promisify(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function open() {
    if (!dbPromise) {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
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
      dbPromise = promisify(request);
    }
    return dbPromise;
  }

  async function withStore(name, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
      promisify(work(tx.objectStore(name))).then((value) => { result = value; }, reject);
    });
  }

  const getRecord = (uuid) => withStore("records", "readonly", (s) => s.get(uuid));
  const putRecord = (record) => withStore("records", "readwrite", (s) => s.put(record));
  const allRecords = () => withStore("records", "readonly", (s) => s.getAll());
  const getMeta = (key) => withStore("meta", "readonly", (s) => s.get(key));
  const setMeta = (key, value) => withStore("meta", "readwrite", (s) => s.put(value, key));

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

  function isPending(record) {
    return record.revision > (record.synced_revision || 0) && record.state !== "closed";
  }

  function isEditable(record) {
    return record.state === "pending" || record.state === "invalid";
  }

  /* Save a new record, or a new revision of one that is still editable. */
  async function save(kind, owner, data, uuid) {
    const now = new Date().toISOString();
    let record = uuid ? await getRecord(uuid) : null;
    if (record && !isEditable(record)) {
      throw new Error("record already synced");
    }
    if (record) {
      record = Object.assign(record, { data, revision: record.revision + 1, state: "pending",
        errors: {}, updated_at: now });
    } else {
      record = { uuid: newUuid(), kind, owner, data, revision: 1, synced_revision: 0,
        state: "pending", errors: {}, captured_at: now, updated_at: now };
    }
    await putRecord(record);
    return record;
  }

  async function recordsOf(owner) {
    return (await allRecords()).filter((r) => r.owner === owner)
      .sort((a, b) => b.captured_at.localeCompare(a.captured_at));
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

  async function applyResult(result) {
    const record = await getRecord(result.uuid);
    if (!record || result.revision > record.revision) {
      return;
    }
    record.synced_revision = Math.max(record.synced_revision || 0, result.revision);
    if (result.revision === record.revision) {
      // "stale" means the server already holds a newer revision from this device.
      record.state = result.status === "stale" ? "accepted" : result.status;
      record.errors = result.errors || {};
      record.server_revision = result.server_revision;
    }
    await putRecord(record);
  }

  /* Send every pending record of owner; resolves with the number sent, rejects with SyncError. */
  async function sync(url, owner) {
    const device = await deviceId();
    let sent = 0;
    for (;;) {
      const batch = (await recordsOf(owner)).filter(isPending).slice(0, BATCH_SIZE);
      if (!batch.length) {
        break;
      }
      const answer = await post(url, {
        device_id: device,
        records: batch.map((r) => ({ uuid: r.uuid, revision: r.revision, kind: r.kind,
          captured_at: r.captured_at, data: r.data })),
      });
      for (const result of answer.results || []) {
        await applyResult(result);
      }
      sent += batch.length;
    }
    await setMeta("last_sync:" + owner, new Date().toISOString());
    return sent;
  }

  async function exportUnsent(owner) {
    const records = (await recordsOf(owner)).filter(isPending);
    return {
      format: "studentloan-outbox", version: 1, exported_at: new Date().toISOString(),
      device_id: await deviceId(), owner,
      records: records.map((r) => ({ uuid: r.uuid, revision: r.revision, kind: r.kind,
        captured_at: r.captured_at, data: r.data })),
    };
  }

  global.Outbox = { save, recordsOf, getRecord, sync, exportUnsent, isPending, isEditable,
    getMeta, setMeta, deviceId, SyncError };
})(window);
