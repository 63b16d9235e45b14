// The dashboard in a real browser: playwright-core drives Debian's chromium (headless) against the
// web app served over the simulator's Listener (sim/host/listener.ts) by the firmware's HTTP server.
// A fake status provider's counters rise with every snapshot. The test fails, never skips, when
// chromium is missing (`apt-get install -y chromium`, as .ci/run does).

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
import { FakeHotspot, MemoryStore, nobleHash } from "./support/web-fixture.js";

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
];

// Page-side code below runs in chromium; the test build has no DOM types, and the page's CSP
// forbids string evaluation (so waits are functions, which playwright runs outside the CSP).
declare const document: any;
declare const localStorage: any;

async function until(page: Page, predicate: (arg: number) => boolean, arg = 0): Promise<void> {
  await page.waitForFunction(predicate, arg, { timeout: 15_000 });
}

async function number(page: Page, selector: string): Promise<number> {
  return Number((await page.textContent(selector))?.trim());
}

test("dashboard in headless chromium: counters rise, charts render, admin actions reach the hotspot", { timeout: 120_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run apt-get install -y chromium`);

  const hotspot = await FakeHotspot.create();
  const app = createWebApp({
    status: hotspot,
    actions: hotspot,
    hash: nobleHash,
    store: new MemoryStore(),
    clock: realTimeClock(),
    random: (b) => b.set(randomBytes(b.length)),
  });
  const adminKey = app.bootstrap()!.key;
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
  const base = `http://127.0.0.1:${port}`;

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

    await page.goto(base + "/");
    await page.fill("#keyinput", adminKey);
    await page.click("#keyform button");
    await until(page, () => document.querySelectorAll("#counters tr").length === 7);
    assert.equal(await page.textContent("#address"), hotspot.address);
    assert.equal(await page.textContent("#region"), "EU868");
    assert.match((await page.textContent("#singlechannel"))!, /one channel/);

    // Counters rise between polls.
    const first = await number(page, "#counters tr:last-child td:nth-child(2)");
    await until(page, (before) => Number(document.querySelector("#counters tr:last-child td:nth-child(2)").textContent) > before, first);
    assert.ok((await number(page, "#dc")) > 0);

    // Charts: one bar per minute and per RSSI bin, as SVG elements.
    assert.equal(await page.locator("#ppm rect").count(), 60);
    assert.equal(await page.locator("#rssi rect").count(), 24);
    assert.ok((await page.locator("#packets tr").count()) === 5);
    assert.ok((await page.locator("#poc tr").count()) === 2);

    // A hostile error string is shown as text, never run as markup.
    assert.match((await page.textContent("#services"))!, /<script>alert\(1\)<\/script>/);
    assert.equal(await page.locator("#services script").count(), 0);

    // Admin page: the key carries over in sessionStorage; actions reach the action interface.
    await page.goto(base + "/admin");
    await until(page, () => document.querySelectorAll("#keys tr").length === 1);
    await page.click("#restart");
    await until(page, () => document.querySelector("#actionresult").textContent === "radio restarted");
    assert.deepEqual(hotspot.calls, ["restartRadio"]);

    await page.click("#reset");
    await until(page, () => document.querySelector("#actionresult").textContent === "factory reset started");
    assert.deepEqual(hotspot.calls, ["restartRadio", "factoryReset"]);
    assert.equal(dialogs.length, 1, "factory reset asked for confirmation");

    // Config: a bad field is named and nothing changes; a good change is applied.
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

    // Add-gateway txn and a new read key.
    const owner = "13jL4pXB3rFQ8Qu9MBmbhDBSMkWnBjcH6KrkfiqmAhEcY8zYjB8";
    await page.fill("#owner", owner);
    await page.fill("#payer", owner.replace("13", "14"));
    await page.click("#addgw button");
    await until(page, () => document.querySelector("#txn").value.length > 0);
    await page.click("#newkey button");
    await until(page, () => /^[0-9a-f]{16}\.[0-9a-f]{64}$/.test(document.querySelector("#newsecret").textContent));
    await until(page, () => document.querySelectorAll("#keys tr").length === 2);
    assert.equal(app.keys.list().length, 2);

    // The key never left sessionStorage for persistent storage.
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
