// The dashboard's static resources: ASCII only (served from flash as-is), small, scripts that parse,
// no inline script (the CSP forbids it), security headers on every page; the page's signing with the
// core's wasm (plain-http LAN pages have no crypto.subtle) checked against node:crypto.

import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { createHash, randomBytes, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { PAGE_ASSETS } from "../modules/web/pages/routes.js";
import { UI_JS } from "../modules/web/pages/ui.js";
import { Router } from "../modules/web/http/router.js";
import { addPageRoutes } from "../modules/web/pages/routes.js";
import { openConnection } from "./support/http-memory.js";
import { CORE_WASM_PATH } from "../sim/node-core.js";
import { ClientKey } from "./support/web-fixture.js";

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
  assert.ok(total > 15 * 1024, `total ${total} bytes`);
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

test("/core.wasm is served with its type when the host has it, 404 when not", () => {
  const wasm = new Uint8Array(readFileSync(CORE_WASM_PATH));
  for (const [source, status] of [[wasm, 200], [undefined, 404]] as const) {
    const router = new Router();
    addPageRoutes(router, { coreWasm: () => source });
    const h = openConnection(router.handle);
    h.send("GET /core.wasm HTTP/1.1\r\nHost: h\r\n\r\n");
    const [r] = h.responses();
    assert.equal(r.status, status);
    if (status === 200) {
      assert.equal(r.headers.get("content-type"), "application/wasm");
      assert.ok(Buffer.from(r.body).equals(Buffer.from(wasm)));
    }
  }
});

/** Just the IndexedDB the page uses: one store, get/add/delete, each request in its own transaction. */
function memoryIndexedDb() {
  const stores = new Map<string, Map<string, unknown>>();
  const later = (f: () => void) => setImmediate(f);
  return {
    open() {
      const request: any = {};
      later(() => {
        const db = {
          createObjectStore: (name: string) => stores.set(name, new Map()),
          close() {},
          transaction(name: string) {
            const store = stores.get(name)!;
            const tx: any = {};
            const op = (run: () => unknown) => {
              const req: any = {};
              later(() => {
                try {
                  req.result = run();
                  later(() => tx.oncomplete?.());
                } catch (error) {
                  tx.error = error;
                  later(() => tx.onerror?.());
                }
              });
              return req;
            };
            tx.objectStore = () => ({
              get: (k: string) => op(() => store.get(k)),
              add: (v: unknown, k: string) => op(() => {
                if (store.has(k)) throw new Error("ConstraintError");
                store.set(k, v);
              }),
              delete: (k: string) => op(() => store.delete(k)),
            });
            return tx;
          },
        };
        request.result = db;
        if (stores.size === 0) request.onupgradeneeded?.();
        request.onsuccess?.();
      });
      return request;
    },
    stores,
  };
}

test("without crypto.subtle the page signs with the core's wasm; node:crypto verifies every call", async () => {
  const wasm = readFileSync(CORE_WASM_PATH);
  const sent: { url: string; init: { method: string; headers: Record<string, string>; body?: string } }[] = [];
  const fetch = async (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
    if (url === "/core.wasm") return { ok: true, status: 200, arrayBuffer: async () => wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.length) };
    sent.push({ url, init });
    return { ok: true, status: 200, json: async () => ({ ok: true }) };
  };
  const idb = memoryIndexedDb();
  const context = vm.createContext({
    window: { crypto: { getRandomValues: (b: Uint8Array) => b.set(randomBytes(b.length)) } },
    crypto: { getRandomValues: (b: Uint8Array) => (b.set(randomBytes(b.length)), b) },
    indexedDB: idb,
    fetch,
    document: {},
    TextEncoder,
    Uint8Array,
    WebAssembly,
    Promise,
  });
  vm.runInContext(UI_JS + "\nthis.HS = HS;", context);
  const HS = (context as unknown as { HS: { api(m: string, t: string, b?: unknown): Promise<{ status: number }>; myKey(): Promise<{ id: string; publicKey: string; kind: string }> } }).HS;
  const me = await HS.myKey();
  assert.equal(me.kind, "seed");
  const record = idb.stores.get("keys")!.get("self") as { seed: Uint8Array; publicKey: Uint8Array };
  const oracle = ClientKey.fromSeed(record.seed);
  assert.equal(me.publicKey, oracle.publicKeyHex, "the core's public key of the seed equals node:crypto's");
  assert.equal(me.id, oracle.id);
  const calls: [string, string, unknown][] = [["GET", "/api/v1/status", undefined], ["POST", "/api/v1/keys?x=1", { publicKey: "ab".repeat(32), label: "ünïcödé" }], ["PUT", "/api/v1/config", { big: "x".repeat(7000) }]];
  for (const [method, target, body] of calls) {
    assert.equal((await HS.api(method, target, body)).status, 200);
    const { init } = sent[sent.length - 1];
    const h = init.headers;
    const canonical = ["HOTSPOT-ED25519", method, target, h["X-Hotspot-Timestamp"], h["X-Hotspot-Nonce"], createHash("sha256").update(init.body ?? "", "utf8").digest("hex")].join("\n");
    assert.equal(h["X-Hotspot-Key"], oracle.id);
    assert.match(h["X-Hotspot-Signature"], /^[0-9a-f]{128}$/);
    assert.ok(verify(null, Buffer.from(canonical, "utf8"), oracle.privateKey, Buffer.from(h["X-Hotspot-Signature"], "hex")), `${method} ${target}: node:crypto verifies`);
    assert.ok(Math.abs(Number(h["X-Hotspot-Timestamp"]) - Date.now() / 1000) < 5);
  }
  assert.equal(new Set(sent.map((s) => s.init.headers["X-Hotspot-Nonce"])).size, sent.length, "one nonce per call");
});
