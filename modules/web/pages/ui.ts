// Shared client script (/ui.js): the API key kept in sessionStorage, request signing exactly as
// modules/web/README.md specifies, and DOM helpers that only ever set text (never HTML).
// WebCrypto (crypto.subtle) exists only in secure contexts (https or localhost); a hotspot on the
// LAN serves plain http, so a compact SHA-256 (FIPS 180-4) + HMAC (RFC 2104) stands in there.
export const UI_JS = String.raw`"use strict";
var HS = (function () {
  var STORE = "hotspot.apiKey", KEY_RE = /^[0-9a-f]{16}\.[0-9a-f]{64}$/, skew = 0;
  var K = [];
  (function () {
    var n = 2, found = 0;
    function frac(x) { return (x - Math.floor(x)) * 4294967296 >>> 0; }
    while (found < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
      if (prime) K[found++] = frac(Math.cbrt(n));
      n++;
    }
  })();
  function sha256js(msg) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var len = msg.length, total = ((len + 9 + 63) >> 6) << 6, m = new Uint8Array(total), w = new Array(64);
    m.set(msg); m[len] = 0x80;
    var bits = len * 8;
    for (var i = 0; i < 8; i++) m[total - 1 - i] = i < 4 ? (bits >>> (8 * i)) & 255 : Math.floor(bits / 4294967296 / Math.pow(256, i - 4)) & 255;
    function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
    for (var o = 0; o < total; o += 64) {
      for (i = 0; i < 16; i++) w[i] = (m[o + 4 * i] << 24) | (m[o + 4 * i + 1] << 16) | (m[o + 4 * i + 2] << 8) | m[o + 4 * i + 3];
      for (i = 16; i < 64; i++) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    var out = new Uint8Array(32);
    for (i = 0; i < 32; i++) out[i] = (h[i >> 2] >>> (24 - 8 * (i & 3))) & 255;
    return out;
  }
  function hmacjs(key, msg) {
    var k = new Uint8Array(64), inner = new Uint8Array(64 + msg.length), outer = new Uint8Array(96);
    k.set(key.length > 64 ? sha256js(key) : key);
    for (var i = 0; i < 64; i++) { inner[i] = k[i] ^ 0x36; outer[i] = k[i] ^ 0x5c; }
    inner.set(msg, 64);
    outer.set(sha256js(inner), 64);
    return sha256js(outer);
  }
  var subtle = window.crypto && window.crypto.subtle;
  function sha256(bytes) {
    return subtle ? subtle.digest("SHA-256", bytes).then(function (b) { return new Uint8Array(b); }) : Promise.resolve(sha256js(bytes));
  }
  function hmac(key, msg) {
    if (!subtle) return Promise.resolve(hmacjs(key, msg));
    return subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (k) { return subtle.sign("HMAC", k, msg); })
      .then(function (b) { return new Uint8Array(b); });
  }
  function utf8(s) { return new TextEncoder().encode(s); }
  function hex(b) { var s = ""; for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16); return s; }
  function getKey() { return sessionStorage.getItem(STORE) || ""; }
  function setKey(k) { if (k) sessionStorage.setItem(STORE, k); else sessionStorage.removeItem(STORE); }
  async function signedHeaders(method, target, body) {
    var key = getKey(), dot = key.indexOf("."), id = key.slice(0, dot), secret = key.slice(dot + 1);
    var nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
    var ts = String(Math.floor(Date.now() / 1000) + skew);
    var canonical = ["HOTSPOT-HMAC-SHA256", method, target, ts, nonce, hex(await sha256(utf8(body)))].join("\n");
    var sig = await hmac(await sha256(utf8(secret)), utf8(canonical));
    return { "X-Hotspot-Key": id, "X-Hotspot-Timestamp": ts, "X-Hotspot-Nonce": nonce, "X-Hotspot-Signature": hex(sig) };
  }
  async function api(method, target, body) {
    var text = body === undefined ? "" : JSON.stringify(body);
    if (!KEY_RE.test(getKey())) return { status: 0, json: { error: "no_key", message: "paste an API key first" } };
    for (var attempt = 0; attempt < 2; attempt++) {
      var headers = await signedHeaders(method, target, text);
      if (text) headers["Content-Type"] = "application/json";
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
  function message(id, result, ok) {
    var e = $(id), j = result.json || {};
    e.className = result.status >= 200 && result.status < 300 ? "" : "err";
    e.textContent = result.status >= 200 && result.status < 300 ? ok : (j.message || j.error || "failed") + " (" + result.status + ")";
    if (j.fields) j.fields.forEach(function (f) { e.appendChild(el("div", null, f.field + ": " + f.reason)); });
  }
  function keyBar(onKey) {
    var form = $("keyform"), input = $("keyinput");
    async function show() {
      var r = await api("GET", "/api/v1/auth");
      text("keystate", r.status === 200 ? "key " + r.json.id + " (" + r.json.scope + ")" : getKey() ? "key refused: " + ((r.json && r.json.message) || r.status) : "no key");
      if (r.status === 200) onKey(r.json);
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var v = input.value.trim();
      if (!KEY_RE.test(v)) { text("keystate", "that is not an API key (<id>.<secret>)"); return; }
      setKey(v); input.value = ""; show();
    });
    $("keyforget").addEventListener("click", function () { setKey(""); text("keystate", "no key"); });
    if (getKey()) show();
  }
  return { api: api, text: text, el: el, rows: rows, message: message, keyBar: keyBar, $: $, sha256js: sha256js, hmacjs: hmacjs, hex: hex };
})();
`;
