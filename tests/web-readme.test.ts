// The signing recipes in modules/web/README.md are run as written (bash + curl + openssl, and
// Node's fetch + node:crypto) against a live server, so the documented canonical string, headers,
// key id and enrolment cannot drift from what the hotspot checks. The key file openssl makes in the
// shell recipe is the one the Node recipe then signs with.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createHash, createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import { createWebApp } from "../modules/web/web.js";
import { realTimeClock } from "../sim/host/real-time.js";
import { FakeHotspot, MemoryStore, coreCrypto } from "./support/web-fixture.js";
import { serveOnLoopback } from "./support/web-loopback.js";

const run = promisify(execFile);
const README = fileURLToPath(new URL("../../../modules/web/README.md", import.meta.url));

function testedBlocks(): { lang: string; code: string }[] {
  const text = readFileSync(README, "utf8");
  const blocks: { lang: string; code: string }[] = [];
  const re = /<!-- tested[^>]*-->\n```(\w+)\n([\s\S]*?)\n```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) blocks.push({ lang: m[1], code: m[2] });
  return blocks;
}

test("the README's curl/openssl and Node signing examples work against the hotspot, enrolment included", { timeout: 60_000 }, async () => {
  const blocks = testedBlocks();
  assert.deepEqual(blocks.map((b) => b.lang), ["sh", "js"]);
  const hotspot = await FakeHotspot.create();
  const app = createWebApp({ status: hotspot, actions: hotspot, crypto: coreCrypto, store: new MemoryStore(), clock: realTimeClock(), random: (b) => b.set(randomBytes(b.length)) });
  const code = app.openEnrolment()!;
  const { server, port } = await serveOnLoopback(app.handler);
  const dir = mkdtempSync(join(tmpdir(), "hotspot-readme-"));
  const keyFile = join(dir, "key.pem");
  const env = { ...process.env, HOTSPOT: `http://127.0.0.1:${port}`, KEY: keyFile, CODE: code };
  try {
    const sh = await run("bash", ["-c", `set -euo pipefail\n${blocks[0].code}`], { env });
    const docs = sh.stdout.replace(/}\s*{/g, "}\n{").split("\n").map((l) => JSON.parse(l));
    assert.equal(docs.length, 4, sh.stdout);
    // The key openssl made is the one enrolled: its id is SHA-256 of its public key (node:crypto).
    const publicKey = createPublicKey(createPrivateKey(readFileSync(keyFile))).export({ format: "der", type: "spki" }).subarray(-32);
    const id = createHash("sha256").update(publicKey).digest("hex").slice(0, 16);
    assert.deepEqual([docs[0].id, docs[0].scope, docs[0].label], [id, "admin", "laptop"]);
    assert.equal(docs[1].identity.address, hotspot.address);
    assert.deepEqual(docs[2], { done: "restart-radio" });
    assert.match(docs[3].token, /^[0-9a-f]{16}\.[0-9a-f]{64}$/);
    assert.equal(docs[3].label, "grafana");
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
