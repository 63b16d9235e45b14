// Shared client script (/ui.js): this browser's own Ed25519 key pair, request signing exactly as
// modules/web/README.md specifies, enrolment with the console's code, and DOM helpers that only ever
// set text (never HTML).
// The key pair is made here and kept in IndexedDB (per hotspot origin). Where WebCrypto has Ed25519
// (secure contexts: https, localhost) the private key is a non-extractable CryptoKey. A hotspot on
// the LAN serves plain http, where browsers offer no WebCrypto: there the page fetches the hotspot's
// compute core (/core.wasm) and signs with its Ed25519, keeping the 32-byte seed in IndexedDB.
export const UI_JS = String.raw`"use strict";
var HS = (function () {
  var DB = "hotspot", STORE = "keys", SELF = "self", skew = 0, me = null, core = null;
  var subtle = window.crypto && window.crypto.subtle;
  function hex(b) { var s = ""; for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16); return s; }
  function utf8(s) { return new TextEncoder().encode(s); }

  // One IndexedDB request in its own transaction; resolves with the request's result.
  function idb(mode, request) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var db = open.result, tx = db.transaction(STORE, mode), req = request(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(req.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error || new Error("IndexedDB failed")); };
      };
    });
  }

  // The hotspot's compute core: (ptr, len) exports over one linear memory and its scratch region.
  function loadCore() {
    if (core) return core;
    core = fetch("/core.wasm", { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("this hotspot serves no /core.wasm (" + r.status + ")"); return r.arrayBuffer(); })
      .then(function (bytes) { return WebAssembly.instantiate(bytes, { env: { abort: function () { throw new Error("the core aborted"); } } }); })
      .then(function (m) {
        var e = m.instance.exports, s = e.scratch_ptr(), room = e.scratch_size() - 96;
        function mem() { return new Uint8Array(e.memory.buffer); }
        function ok(result, what) { if (result < 0) throw new Error(what + " failed in the core (" + result + ")"); }
        function fits(n) { if (n > room) throw new Error("too large for the core's scratch region"); }
        return {
          publicKey: function (seed) { mem().set(seed, s); ok(e.ed25519_public_key(s, s + 32), "ed25519_public_key"); return mem().slice(s + 32, s + 64); },
          sign: function (seed, msg) { fits(msg.length); var m = mem(); m.set(seed, s); m.set(msg, s + 96); ok(e.ed25519_sign(s, s + 96, msg.length, s + 32), "ed25519_sign"); return mem().slice(s + 32, s + 96); },
          sha256: function (data) { fits(data.length); mem().set(data, s + 32); ok(e.sha256(s + 32, data.length, s), "sha256"); return mem().slice(s, s + 32); }
        };
      });
    core.catch(function () { core = null; });
    return core;
  }
  async function sha256(bytes) {
    if (subtle) return new Uint8Array(await subtle.digest("SHA-256", bytes));
    return (await loadCore()).sha256(bytes);
  }
  async function sign(record, message) {
    if (record.kind === "webcrypto") return new Uint8Array(await subtle.sign({ name: "Ed25519" }, record.privateKey, message));
    return (await loadCore()).sign(record.seed, message);
  }
  async function makeKey() {
    if (subtle) {
      try {
        var pair = await subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
        return { kind: "webcrypto", privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey("raw", pair.publicKey)) };
      } catch (e) { /* this browser's WebCrypto has no Ed25519: use the core */ }
    }
    var seed = crypto.getRandomValues(new Uint8Array(32));
    return { kind: "seed", seed: seed, publicKey: (await loadCore()).publicKey(seed) };
  }
  // This browser's key for this hotspot: made once, then kept. Another tab may make it first.
  async function myKey() {
    if (me) return me;
    var record = await idb("readonly", function (s) { return s.get(SELF); });
    if (!record) {
      record = await makeKey();
      try { await idb("readwrite", function (s) { return s.add(record, SELF); }); }
      catch (e) { record = await idb("readonly", function (s) { return s.get(SELF); }); }
    }
    me = { record: record, id: hex((await sha256(record.publicKey)).slice(0, 8)), publicKey: hex(record.publicKey), kind: record.kind };
    return me;
  }
  async function signedHeaders(method, target, body) {
    var key = await myKey(), nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
    var ts = String(Math.floor(Date.now() / 1000) + skew);
    var canonical = ["HOTSPOT-ED25519", method, target, ts, nonce, hex(await sha256(utf8(body)))].join("\n");
    return { "X-Hotspot-Key": key.id, "X-Hotspot-Timestamp": ts, "X-Hotspot-Nonce": nonce, "X-Hotspot-Signature": hex(await sign(key.record, utf8(canonical))) };
  }
  async function api(method, target, body, extraHeaders) {
    var text = body === undefined ? "" : JSON.stringify(body);
    for (var attempt = 0; attempt < 2; attempt++) {
      var headers;
      try { headers = await signedHeaders(method, target, text); }
      catch (e) { return { status: 0, json: { error: "no_key", message: "cannot sign here: " + e.message } }; }
      if (text) headers["Content-Type"] = "application/json";
      for (var name in extraHeaders || {}) headers[name] = extraHeaders[name];
      var res = await fetch(target, { method: method, headers: headers, body: text || undefined, cache: "no-store" });
      var json = null;
      try { json = await res.json(); } catch (e) { json = null; }
      if (res.status === 401 && json && json.error === "stale_timestamp" && attempt === 0) {
        skew = json.serverTime - Math.floor(Date.now() / 1000);
        continue;
      }
      return { status: res.status, json: json };
    }
  }
  function $(id) { return document.getElementById(id); }
  function text(id, value) { var e = $(id); if (e) e.textContent = value == null ? "-" : String(value); }
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content != null) e.textContent = String(content);
    return e;
  }
  function rows(tbodyId, items, cells) {
    var body = $(tbodyId);
    body.textContent = "";
    items.forEach(function (item) {
      var tr = document.createElement("tr");
      cells(item).forEach(function (c) {
        var td = typeof c === "object" && c !== null ? c : el("td", null, c);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  function reason(result) { var j = result.json || {}; return (j.message || j.error || "failed") + " (" + result.status + ")"; }
  function message(id, result, ok) {
    var e = $(id), j = result.json || {}, good = result.status >= 200 && result.status < 300;
    e.className = good ? "" : "err";
    e.textContent = good ? ok : reason(result);
    if (j.fields) j.fields.forEach(function (f) { e.appendChild(el("div", null, f.field + ": " + f.reason)); });
  }
  // The key bar: this browser's key, whether the hotspot knows it, and enrolment with the code.
  function keyBar(onKey) {
    async function show() {
      var key = await myKey();
      text("keyid", key.id + (key.kind === "webcrypto" ? " (WebCrypto, not extractable)" : " (signed by the hotspot's core)"));
      text("pubkey", key.publicKey);
      var r = await api("GET", "/api/v1/auth");
      if (r.status === 200) {
        $("enrolform").hidden = true;
        text("keystate", "key " + r.json.id + " (" + r.json.scope + ")");
        onKey(r.json);
        return;
      }
      var open = false;
      try { open = (await (await fetch("/api/v1/enrolment", { cache: "no-store" })).json()).open === true; } catch (e) { open = false; }
      $("enrolform").hidden = !open;
      text("keystate", r.json && r.json.error === "unknown_key"
        ? (open ? "not enrolled: enter the code shown on the hotspot's console" : "this browser's key is not enrolled: an admin can add it (public key below)")
        : "key refused: " + reason(r));
    }
    $("enrolform").addEventListener("submit", async function (ev) {
      ev.preventDefault();
      var key = await myKey();
      var r = await api("POST", "/api/v1/keys", { publicKey: key.publicKey, scope: "admin", label: "browser" }, { "X-Hotspot-Enrolment-Code": $("enrolcode").value.trim() });
      if (r.status === 201) { $("enrolcode").value = ""; show(); }
      else text("keystate", "enrolment refused: " + reason(r));
    });
    $("keyforget").addEventListener("click", async function () {
      if (!confirm("Make a new key for this browser? The old one stops working here; an admin must add the new one.")) return;
      await idb("readwrite", function (s) { return s.delete(SELF); });
      me = null;
      show();
    });
    show().catch(function (e) { text("keystate", "cannot make a key in this browser: " + e.message); });
  }
  return { api: api, text: text, el: el, rows: rows, message: message, keyBar: keyBar, $: $, hex: hex, myKey: myKey };
})();
`;
