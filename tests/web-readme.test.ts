// The signing recipes in modules/web/README.md are run as written (bash + curl + openssl, and
// Node's fetch + node:crypto) against a live server, so the documented canonical string, headers
// and key derivation cannot drift from what the hotspot checks.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { createWebApp } from "../modules/web/web.js";
import { HttpServer } from "../modules/web/http/server.js";
import { NodeListener } from "../sim/host/listener.js";
import { NodeTCP } from "../sim/host/tcp.js";
import { realTimeClock, realTimers } from "../sim/host/real-time.js";
import { FakeHotspot, MemoryStore, nobleHash } from "./support/web-fixture.js";

const run = promisify(execFile);
const README = fileURLToPath(new URL("../../../modules/web/README.md", import.meta.url));

function testedBlocks(): { lang: string; code: string }[] {
  const text = readFileSync(README, "utf8");
  const blocks: { lang: string; code: string }[] = [];
  const re = /<!-- tested[^>]*-->\n```(\w+)\n([\s\S]*?)\n```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) blocks.push({ lang: m[1], code: m[2] });
  return blocks;
}

test("the README's curl/openssl and Node signing examples work against the hotspot", { timeout: 60_000 }, async () => {
  const blocks = testedBlocks();
  assert.deepEqual(blocks.map((b) => b.lang), ["sh", "js"]);
  const hotspot = await FakeHotspot.create();
  const app = createWebApp({ status: hotspot, actions: hotspot, hash: nobleHash, store: new MemoryStore(), clock: realTimeClock(), random: (b) => b.set(randomBytes(b.length)) });
  const key = app.bootstrap()!.key;
  let listener: NodeListener | undefined;
  const server = new HttpServer({
    Listener: class extends NodeListener {
      constructor(o: ConstructorParameters<typeof NodeListener>[0]) {
        super(o);
        listener = this;
      }
    },
    TCP: NodeTCP,
    port: 0,
    handler: app.handler,
    timers: realTimers(),
  });
  const port = await listener!.listening();
  const env = { ...process.env, HOTSPOT: `http://127.0.0.1:${port}`, KEY: key };
  const dir = mkdtempSync(join(tmpdir(), "hotspot-readme-"));
  try {
    const sh = await run("bash", ["-c", `set -euo pipefail\n${blocks[0].code}`], { env });
    const docs = sh.stdout.replace(/}\s*{/g, "}\n{").split("\n").map((l) => JSON.parse(l));
    assert.equal(docs.length, 3, sh.stdout);
    assert.equal(docs[0].identity.address, hotspot.address);
    assert.deepEqual(docs[1], { done: "restart-radio" });
    assert.equal(docs[2].scope, "read");
    assert.equal(docs[2].label, "grafana");
    assert.deepEqual(hotspot.calls, ["restartRadio"]);

    const file = join(dir, "example.mjs");
    writeFileSync(file, blocks[1].code);
    const js = await run(process.execPath, [file], { env });
    const [status, config] = js.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(status.status, 200);
    assert.equal(status.body.identity.name, hotspot.name);
    assert.equal(config.status, 400);
    assert.ok(config.body.fields.some((f: { field: string }) => f.field === "region"));
    assert.equal(app.auth.status.failures.badSignature, 0);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
