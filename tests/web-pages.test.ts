// The dashboard's static resources: ASCII only (served from flash as-is), small, scripts that parse,
// no inline script (the CSP forbids it), security headers on every page; the in-page SHA-256/HMAC
// fallback (used where crypto.subtle is missing: plain-http LAN pages) against node:crypto.

import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { PAGE_ASSETS } from "../modules/web/pages/routes.js";
import { UI_JS } from "../modules/web/pages/ui.js";
import { Router } from "../modules/web/http/router.js";
import { addPageRoutes } from "../modules/web/pages/routes.js";
import { openConnection } from "./support/http-memory.js";

test("page assets: ASCII, small, scripts parse, no inline script or external references", () => {
  let total = 0;
  for (const [path, [type, body]] of Object.entries(PAGE_ASSETS)) {
    assert.match(body, /^[\x09\x0a\x0d\x20-\x7e]*$/, `${path} is ASCII`);
    total += body.length;
    if (type.startsWith("text/javascript")) new vm.Script(body, { filename: path });
    if (type.startsWith("text/html")) {
      assert.ok(!/<script>[^<]/.test(body), `${path}: no inline script`);
      assert.ok(!/\son[a-z]+=/.test(body), `${path}: no inline event handlers`);
      assert.ok(!/(src|href)="(https?:)?\/\//.test(body), `${path}: no external assets`);
    }
  }
  // The whole dashboard (two pages, three scripts, one stylesheet) stays small for flash.
  assert.ok(total < 32 * 1024, `total ${total} bytes`);
});

test("every page is served with its content type and security headers; HEAD works", () => {
  const router = new Router();
  addPageRoutes(router);
  for (const [path, [type, body]] of Object.entries(PAGE_ASSETS)) {
    const h = openConnection(router.handle);
    h.send(`GET ${path} HTTP/1.1\r\nHost: h\r\n\r\n`);
    const [r] = h.responses();
    assert.equal(r.status, 200, path);
    assert.equal(r.headers.get("content-type"), type);
    assert.equal(r.text, body);
    assert.match(r.headers.get("content-security-policy")!, /script-src 'self'/);
    assert.match(r.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
    assert.equal(r.headers.get("x-content-type-options"), "nosniff");
  }
});

test("the page's SHA-256 and HMAC fallback equal node:crypto (FIPS 180 'abc' and 500 random inputs)", () => {
  const context = vm.createContext({ window: {}, sessionStorage: {}, document: {}, TextEncoder, Uint8Array });
  vm.runInContext(UI_JS + "\nthis.HS = HS;", context);
  const HS = (context as { HS: { sha256js(b: Uint8Array): Uint8Array; hmacjs(k: Uint8Array, m: Uint8Array): Uint8Array } }).HS;
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  assert.equal(hex(HS.sha256js(new Uint8Array(Buffer.from("abc")))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  for (let i = 0; i < 500; i++) {
    const msg = new Uint8Array(randomBytes([0, 1, 55, 56, 63, 64, 65, 119, 120, 1000][i % 10] + (i % 3)));
    assert.equal(hex(HS.sha256js(msg)), createHash("sha256").update(msg).digest("hex"));
    const key = new Uint8Array(randomBytes([0, 20, 32, 64, 65, 131][i % 6]));
    assert.equal(hex(HS.hmacjs(key, msg)), createHmac("sha256", key).update(msg).digest("hex"));
  }
});
