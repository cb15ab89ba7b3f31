/*
 * Page-side seeding for the performance suite, injected as plain text into an extension page
 * (page.evaluate(source) — Runtime.evaluate, so the page's CSP does not apply and no transpiler
 * helper leaks in). Writes with raw IndexedDB into the database Dexie already created, in big
 * transactions, generating every record in the page (nothing large crosses CDP).
 * Defines globalThis.__candorSeed. Plain JS on purpose: bench/lib/seed.ts is the typed side.
 */
(() => {
  const DB = 'candor';
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;

  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB);
      req.onupgradeneeded = () => { req.transaction.abort(); };
      req.onerror = () => reject(req.error ?? new Error('candor database missing (open an extension page first)'));
      req.onsuccess = () => resolve(req.result);
    });
  }

  /** Runs `fill(stores, i)` for i in [from, from + count) in transactions of `perTx`. */
  async function write(storeNames, from, count, perTx, fill) {
    const db = await open();
    try {
      for (let start = from; start < from + count; start += perTx) {
        const end = Math.min(from + count, start + perTx);
        await new Promise((resolve, reject) => {
          const tx = db.transaction(storeNames, 'readwrite', { durability: 'relaxed' });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('seed transaction aborted'));
          const stores = {};
          for (const name of storeNames) stores[name] = tx.objectStore(name);
          for (let i = start; i < end; i++) fill(stores, i);
        });
      }
    } finally {
      db.close();
    }
  }

  const hex = (n, len) => n.toString(16).padStart(len, '0');
  const uuid = (kind, i) => `${hex(kind, 8)}-0000-4000-8000-${hex(i, 12)}`;
  const meetingHash = (i) => (hex(i, 8) + 'c0ffee42').repeat(4);
  const emptyFields = { qualification: '', nextSteps: [], timeline: '', risks: '', competition: '', humanNuance: '', powerDynamics: '', hesitation: '', emotion: '', urgency: '', subtleObjections: '' };
  const platforms = ['meet', 'zoom', 'teams'];

  function call(i, admittedAt, outcome) {
    const platform = platforms[i % 3];
    const endedAt = admittedAt + 35 * 60_000;
    return {
      id: uuid(1, i), platform, meetingHash: meetingHash(i), status: 'ended', tabIds: [], detectedAt: admittedAt - 60_000, lobbyAt: admittedAt - 60_000,
      admittedAt, endedAt, endReason: 'left', promptShownAt: admittedAt + 50, outcome, ...(outcome === 'not-recorded' ? { reason: 'internal-call' } : {}),
      decidedAt: admittedAt + 40_000, detectedBy: [`${platform}-participant-tile`], updatedAt: endedAt,
    };
  }

  /** Row 5: ended calls (one every 3 hours, newest last) with their checklists, `pending` still pending. */
  function popupCalls({ from, count, total, pending, now }) {
    const outcomes = ['agreed', 'agreed', 'declined', 'not-recorded'];
    return write(['calls', 'checklists'], from, count, 1_000, (s, i) => {
      const c = call(i, now - (total - i) * 3 * HOUR, outcomes[i % 4]);
      const isPending = i >= total - pending;
      s.calls.put(c);
      s.checklists.put({ callId: c.id, status: isPending ? 'pending' : 'done', fields: emptyFields, pendingSince: c.endedAt, ...(isPending ? {} : { completedAt: c.endedAt + 600_000 }), updatedAt: c.endedAt });
    });
  }

  /**
   * Row 6: `calls` calls over the last `days` days, each with `eventsPerCall` events (a real call's
   * life: lobby, admitted, prompt shown, decision, recording events, late joiners, left) and a checklist.
   */
  function auditData({ from, count, total, eventsPerCall, days, now }) {
    const outcomes = ['agreed', 'agreed', 'agreed', 'declined', 'not-recorded'];
    const categories = ['external-prospect', 'customer', 'internal', 'customer'];
    const span = days * DAY;
    return write(['calls', 'events', 'checklists'], from, count, 2_000, (s, i) => {
      const admittedAt = now - span + Math.floor(((i + 0.5) / total) * span);
      const outcome = outcomes[i % 5];
      const category = categories[i % 4];
      const c = { ...call(i, admittedAt, outcome), category, rule: 'ask-consent' };
      s.calls.put(c);
      const done = i % 3 !== 0;
      s.checklists.put({
        callId: c.id, status: done ? 'done' : 'pending', fields: done ? { ...emptyFields, humanNuance: 'Champion is new in role.' } : emptyFields,
        // A pending one was reminded when it came due (45 min), as the worker does in real use: an
        // unreminded backlog of ~16,700 kept the worker writing for ~30 s after start.
        pendingSince: c.endedAt, ...(done ? { completedAt: c.endedAt + 900_000 } : { remindedAt: c.endedAt + 2_700_000 }), updatedAt: c.endedAt,
      });
      const types = ['lobby', 'admitted', 'prompt-shown', 'decision', 'recording-started', 'late-joiner', 'decision', 'recording-stopped', 'late-joiner', 'left'];
      for (let k = 0; k < eventsPerCall; k++) {
        const type = types[k % types.length];
        const at = admittedAt - 60_000 + k * 150_000;
        const data =
          type === 'decision' ? { outcome, category, rule: 'ask-consent', ...(outcome === 'not-recorded' ? { reason: 'internal-call' } : {}) }
          : type === 'late-joiner' ? { answer: k % 2 ? 'agreed' : 'declined', joined: 1 }
          : type === 'recording-stopped' ? { sources: ['platform-banner'], durationMs: 1_200_000 }
          : type === 'recording-started' ? { sources: ['platform-banner'] }
          : type === 'admitted' ? { signals: [`${c.platform}-participant-tile`] }
          : {};
        s.events.put({ id: uuid(2, i * eventsPerCall + k), callId: c.id, type, at, data });
      }
    });
  }

  // --- Row 6: a valid consent ledger. SHA-256 and canonical JSON as lib/ledger (sorted keys, JSON strings). ---
  const K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);
  const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const W = new Int32Array(64);
  const H = new Int32Array(8);
  const enc = new TextEncoder();
  let buf = new Uint8Array(8192);

  function sha256(text) {
    if (buf.length < text.length * 3 + 72) buf = new Uint8Array(text.length * 3 + 72);
    const len = enc.encodeInto(text, buf).written;
    const padded = (((len + 8) >> 6) + 1) << 6;
    buf[len] = 0x80;
    buf.fill(0, len + 1, padded);
    const bits = len * 8;
    const view = new DataView(buf.buffer);
    view.setUint32(padded - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded - 4, bits >>> 0);
    H.set(H0);
    for (let off = 0; off < padded; off += 64) {
      for (let t = 0; t < 16; t++) W[t] = view.getInt32(off + t * 4);
      for (let t = 16; t < 64; t++) {
        const a = W[t - 15], b = W[t - 2];
        W[t] = (W[t - 16] + (((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3)) + W[t - 7] + (((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10))) | 0;
      }
      let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (let t = 0; t < 64; t++) {
        const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[t] + W[t]) | 0;
        const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
    }
    let out = '';
    for (let i = 0; i < 8; i++) out += (H[i] >>> 0).toString(16).padStart(8, '0');
    return out;
  }

  function canonical(v) {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
    return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
  }

  const ledgerTypes = ['asked', 'agreed', 'declined', 'recording-stopped', 'late-joiner-agreed'];
  const noticeHash = 'a'.repeat(64);
  function ledgerEntry(i, at) {
    const callNo = Math.floor(i / 4);
    const type = ledgerTypes[i % 5];
    return {
      v: 1, type, at: new Date(at).toISOString(), eventId: uuid(3, i), callId: uuid(1, callNo), platform: 'meet', meetingRef: meetingHash(callNo),
      rep: 'rep-7f3a9c', asked: { scope: 'all-present', audience: 'external' }, notice: { textHash: noticeHash, language: 'en', version: '2025-01' },
      purposes: ['recording', 'transcript'], method: 'read-aloud-attested', outcome: type === 'agreed' ? 'agreed' : null, reason: null, category: null, rule: null,
      policyVersion: 'policy-2025-01-15', extensionVersion: '0.1.0', details: { sources: 'platform-banner', durationMs: i * 7 },
    };
  }

  /**
   * Row 6: ledger entries seq from+1 … from+count, chained from `prevHash`, stored as the extension
   * stores them (lib/ledger/blocks.ts): sealed blocks of `blockSize` entries (`from` and `count` are
   * multiples of it; the writer seals as soon as a block is full, so a long ledger is all blocks
   * but its newest entries). Returns the last hash.
   */
  async function ledger({ from, count, prevHash, now, days, blockSize }) {
    const span = days * DAY;
    const total = from + count;
    const encoder = new TextEncoder();
    const blocks = [];
    let prev = prevHash;
    for (let first = from + 1; first <= from + count; first += blockSize) {
      const lines = [];
      const blockPrev = prev;
      let firstAt = 0;
      let lastAt = 0;
      for (let seq = first; seq < first + blockSize; seq++) {
        const i = seq - 1;
        const at = now - span + Math.floor(((i + 0.5) / total) * span);
        const text = canonical(ledgerEntry(i, at));
        const hash = sha256(prev + '\n' + text);
        lines.push(hash + ' ' + text);
        if (seq === first) firstAt = at;
        lastAt = at;
        prev = hash;
      }
      const last = first + blockSize - 1;
      const header = encoder.encode(`candor-ledger-block/1\nfirst ${first}\nlast ${last}\nfirstAt ${firstAt}\nlastAt ${lastAt}\nprevHash ${blockPrev}\nlastHash ${prev}\n\n`);
      const body = await new Response(new Blob([encoder.encode(lines.join('\n'))]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
      const sealed = new Uint8Array(header.length + body.byteLength);
      sealed.set(header);
      sealed.set(new Uint8Array(body), header.length);
      const seal = [...new Uint8Array(await crypto.subtle.digest('SHA-256', sealed))].map((b) => b.toString(16).padStart(2, '0')).join('');
      blocks.push({ first, last, firstAt, lastAt, prevHash: blockPrev, lastHash: prev, seal, body });
    }
    await write(['ledgerBlocks'], 0, blocks.length, blocks.length, (st, i) => st.ledgerBlocks.put(blocks[i]));
    return prev;
  }

  /**
   * Row 7: rows past their retention (defaults: calls, notes, tags, checklists 365 days; events 1,095)
   * in the tables the purge walks, spread over the `days` before the cutoff.
   */
  function expired({ from, count, now }) {
    const old = (i, retentionDays) => now - (retentionDays + 1) * DAY - (i % 720) * HOUR;
    return write(['calls', 'events', 'notes', 'tags', 'checklists'], from, count, 5_000, (s, i) => {
      // Per 10 rows: 2 calls, 4 events, 2 checklists, 1 note, 1 tag.
      const n = i % 10;
      const callNo = Math.floor(i / 10) * 2 + (n & 1);
      const c = call(1_000_000 + callNo, old(callNo, 365), 'agreed');
      if (n < 2) s.calls.put({ ...c, detectedAt: old(i, 365) });
      else if (n < 6) s.events.put({ id: uuid(4, i), callId: c.id, type: 'admitted', at: old(i, 1_095), data: {} });
      else if (n < 8) s.checklists.put({ callId: c.id, status: 'done', fields: emptyFields, pendingSince: old(i, 365), completedAt: old(i, 365), updatedAt: old(i, 365) });
      else if (n === 8) s.notes.put({ callId: c.id, text: 'Old note.', author: 'rep', createdAt: old(i, 365), updatedAt: old(i, 365) });
      else s.tags.put({ id: uuid(5, i), callId: c.id, tag: 'objection', offsetMs: 60_000, at: old(i, 365) });
    });
  }

  /** Marks the audit cache stale ('all'), as the extension's own writes mark what they change. */
  function markAuditStale() {
    return write(['auditDirty'], 0, 1, 1, (st) => st.auditDirty.put({ key: 'all', v: Date.now() * 1000 }));
  }

  /** Row counts per store (bench sanity checks). */
  async function counts(storeNames) {
    const db = await open();
    try {
      const tx = db.transaction(storeNames, 'readonly');
      const out = {};
      await Promise.all(storeNames.map((name) => new Promise((resolve, reject) => {
        const req = tx.objectStore(name).count();
        req.onsuccess = () => { out[name] = req.result; resolve(); };
        req.onerror = () => reject(req.error);
      })));
      return out;
    } finally {
      db.close();
    }
  }

  /** Whether a store holds no row: one key-cursor step (count() would walk every row). */
  async function isEmpty(storeName) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const first = db.transaction(storeName, 'readonly').objectStore(storeName).openKeyCursor();
        first.onsuccess = () => resolve(first.result === null);
        first.onerror = () => reject(first.error);
      });
    } finally {
      db.close();
    }
  }

  globalThis.__candorSeed = { popupCalls, auditData, markAuditStale, ledger, expired, counts, isEmpty, call };
})();
