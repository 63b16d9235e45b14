// The dashboard in a real browser: playwright-core drives Debian's chromium (headless) against the
// web app served over the simulator's Listener (sim/host/listener.ts) by the firmware's HTTP server,
// the compute core verifying. Two origins of the same server:
//  - http://127.0.0.1 is a secure context: the page makes a non-extractable WebCrypto Ed25519 key,
//    enrols it with the console's code, and drives the admin page;
//  - http://hotspot.lan (chromium maps the name to 127.0.0.1) is plain http, as a hotspot on the LAN
//    is: no WebCrypto, so the page signs with the core's wasm; an admin adds its public key as read.
// The test fails, never skips, when chromium is missing (`npm run setup` installs it).

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium, type Page } from "playwright-core";
import type { HostProvider } from "../modules/host/provider.js";
import { createWebApp, startWebServer } from "../modules/web/web.js";
import { NodeListener } from "../sim/host/listener.js";
import { NodeTCP } from "../sim/host/tcp.js";
import { realTimeClock, realTimers } from "../sim/host/real-time.js";
import { CORE_WASM_PATH } from "../sim/node-core.js";
import { readFileSync } from "node:fs";
import { FakeHotspot, MemoryStore, coreCrypto } from "./support/web-fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--host-resolver-rules=MAP hotspot.lan 127.0.0.1",
];

// Page-side code below runs in chromium; the test build has no DOM types, and the page's CSP
// forbids string evaluation (so waits are functions, which playwright runs outside the CSP).
declare const document: any;
declare const window: any;
declare const indexedDB: any;
declare const localStorage: any;

async function until(page: Page, predicate: (arg: number) => boolean, arg = 0): Promise<void> {
  await page.waitForFunction(predicate, arg, { timeout: 20_000 });
}

async function number(page: Page, selector: string): Promise<number> {
  return Number((await page.textContent(selector))?.trim());
}

/** The key record this origin keeps in IndexedDB, as the page stored it. */
function storedKey(page: Page): Promise<{ kind: string; extractable: boolean | null; type: string | null; seedBytes: number | null }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("hotspot", 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("keys", "readonly").objectStore("keys").get("self");
          get.onsuccess = () => {
            const r = get.result;
            resolve({ kind: r.kind, extractable: r.privateKey ? r.privateKey.extractable : null, type: r.privateKey ? r.privateKey.type : null, seedBytes: r.seed ? r.seed.length : null });
          };
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

test("dashboard in headless chromium: enrolment with the code, WebCrypto and wasm signing, counters, charts, admin actions", { timeout: 150_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run npm run setup (apt-get install -y chromium)`);

  const hotspot = await FakeHotspot.create();
  const app = createWebApp({
    status: hotspot,
    actions: hotspot,
    crypto: coreCrypto,
    store: new MemoryStore(),
    clock: realTimeClock(),
    random: (b) => b.set(randomBytes(b.length)),
    resource: (name) => (name === "core.wasm" ? new Uint8Array(readFileSync(CORE_WASM_PATH)) : undefined),
  });
  const code = app.openEnrolment()!;
  let listener: NodeListener | undefined;
  const provider = {
    io: {
      Listener: class extends NodeListener {
        constructor(o: ConstructorParameters<typeof NodeListener>[0]) {
          super(o);
          listener = this;
        }
      },
      AcceptedTCP: NodeTCP,
    },
    timers: realTimers(),
    log: () => {},
  } as unknown as HostProvider;
  const server = startWebServer(provider, app, { port: 0 });
  const port = await listener!.listening();
  const secure = `http://127.0.0.1:${port}`;
  const lan = `http://hotspot.lan:${port}`;

  const profile = mkdtempSync(join(tmpdir(), "hotspot-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.accept();
    });

    // ---------------------------------------------------------------- enrolment (WebCrypto)
    await page.goto(secure + "/");
    await until(page, () => /enter the code/.test(document.querySelector("#keystate").textContent));
    assert.equal(await page.isVisible("#enrolform"), true);
    await page.fill("#enrolcode", "WRNG-CODE-0000");
    await page.click("#enrolform button");
    await until(page, () => /enrolment refused: wrong enrolment code/.test(document.querySelector("#keystate").textContent));
    await page.fill("#enrolcode", code.toLowerCase());
    await page.click("#enrolform button");
    await until(page, () => /\(admin\)$/.test(document.querySelector("#keystate").textContent));
    assert.equal(await page.isVisible("#enrolform"), false);
    const adminKey = await storedKey(page);
    assert.deepEqual(adminKey, { kind: "webcrypto", extractable: false, type: "private", seedBytes: null }, "a non-extractable WebCrypto key");
    const [enrolled] = app.keys.list();
    assert.deepEqual([enrolled.scope, enrolled.label], ["admin", "browser"]);
    assert.match((await page.textContent("#keyid"))!, new RegExp(`^${enrolled.id} \\(WebCrypto`));

    await until(page, () => document.querySelectorAll("#counters tr").length === 7);
    assert.equal(await page.textContent("#address"), hotspot.address);
    assert.equal(await page.textContent("#region"), "EU868");
    assert.match((await page.textContent("#singlechannel"))!, /one channel/);
    const first = await number(page, "#counters tr:last-child td:nth-child(2)");
    await until(page, (before) => Number(document.querySelector("#counters tr:last-child td:nth-child(2)").textContent) > before, first);
    assert.equal(await page.locator("#ppm rect").count(), 60);
    assert.equal(await page.locator("#rssi rect").count(), 24);
    await until(page, () => document.querySelectorAll("#packets tr").length === 5);
    assert.equal(await page.locator("#poc tr").count(), 2);
    assert.match((await page.textContent("#httpstats"))!, /^HTTP: \d+ requests, 0 refused by the parser, 0 timed out, 0 internal errors$/);
    // A hostile error string is shown as text, never run as markup.
    assert.match((await page.textContent("#services"))!, /<script>alert\(1\)<\/script>/);
    assert.equal(await page.locator("#services script").count(), 0);

    // ---------------------------------------------------------------- admin page
    await page.goto(secure + "/admin");
    await until(page, () => document.querySelectorAll("#keys tr").length === 1);
    await page.click("#restart");
    await until(page, () => document.querySelector("#actionresult").textContent === "radio restarted");
    assert.deepEqual(hotspot.calls, ["restartRadio"]);
    await page.click("#reset");
    await until(page, () => document.querySelector("#actionresult").textContent === "factory reset started");
    assert.deepEqual(hotspot.calls, ["restartRadio", "factoryReset"]);
    assert.equal(dialogs.length, 1, "factory reset asked for confirmation");
    await page.click("#cfgload");
    await until(page, () => document.querySelector("#cfg").value.includes("EU868"));
    const cfg = JSON.parse(await page.inputValue("#cfg"));
    await page.fill("#cfg", JSON.stringify({ ...cfg, region: "MARS" }));
    await page.click("#cfgsave");
    await until(page, () => document.querySelector("#cfgresult").textContent.includes("region: must be one of"));
    assert.equal(hotspot.config.region, "EU868");
    await page.fill("#cfg", JSON.stringify({ ...cfg, region: "US915" }));
    await page.click("#cfgsave");
    await until(page, () => document.querySelector("#cfgresult").textContent === "saved");
    assert.equal(hotspot.config.region, "US915");
    const owner = "13jL4pXB3rFQ8Qu9MBmbhDBSMkWnBjcH6KrkfiqmAhEcY8zYjB8";
    await page.fill("#owner", owner);
    await page.fill("#payer", owner.replace("13", "14"));
    await page.click("#addgw button");
    await until(page, () => document.querySelector("#txn").value.length > 0);
    await page.fill("#tokenlabel", "grafana");
    await page.click("#newtoken button");
    await until(page, () => /^[0-9a-f]{16}\.[0-9a-f]{64}$/.test(document.querySelector("#newsecret").textContent));
    await until(page, () => document.querySelectorAll("#keys tr").length === 2);

    // ---------------------------------------------------------------- plain http: the core's wasm signs
    const lanPage = await context.newPage();
    lanPage.on("pageerror", (e) => pageErrors.push(String(e)));
    await lanPage.goto(lan + "/");
    assert.deepEqual(await lanPage.evaluate(() => [window.isSecureContext, typeof window.crypto.subtle]), [false, "undefined"]);
    await until(lanPage, () => /an admin can add it/.test(document.querySelector("#keystate").textContent));
    assert.equal(await lanPage.isVisible("#enrolform"), false, "enrolment is closed: an admin exists");
    const lanKey = await storedKey(lanPage);
    assert.deepEqual(lanKey, { kind: "seed", extractable: null, type: null, seedBytes: 32 });
    const lanPublicKey = (await lanPage.textContent("#pubkey"))!;
    assert.match(lanPublicKey, /^[0-9a-f]{64}$/);
    await page.fill("#newpub", lanPublicKey);
    await page.selectOption("#newscope", "read");
    await page.fill("#newlabel", "lan laptop");
    await page.click("#newkey button");
    await until(page, () => document.querySelectorAll("#keys tr").length === 3);
    await lanPage.reload();
    await until(lanPage, () => /\(read\)$/.test(document.querySelector("#keystate").textContent));
    assert.match((await lanPage.textContent("#keyid"))!, /\(signed by the hotspot's core\)$/);
    await until(lanPage, () => document.querySelectorAll("#counters tr").length === 7);
    await lanPage.goto(lan + "/admin");
    await until(lanPage, () => document.querySelector("#keyresult").textContent === "this page needs an admin key");

    assert.equal(await page.evaluate(() => localStorage.length), 0, "nothing in localStorage");
    assert.equal(app.auth.status.failures.badSignature, 0);
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
