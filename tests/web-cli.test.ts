// `hotspot api keygen | enroll | call` spawned as a user runs them, against the web app served over
// loopback. The hotspot here verifies with @noble (not the core the CLI signs with), openssl reads
// the key files the CLI writes, and a key openssl made works with the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { createWebApp } from "../modules/web/web.js";
import { realTimeClock } from "../sim/host/real-time.js";
import { FakeHotspot, MemoryStore } from "./support/web-fixture.js";
import { serveOnLoopback } from "./support/web-loopback.js";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../../bin/hotspot.js", import.meta.url));

async function hotspot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { encoding: "utf8" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function openssl(args: string[]): Promise<Buffer> {
  const { stdout } = await run("openssl", args, { encoding: "buffer" });
  return stdout as unknown as Buffer;
}

test("hotspot api: keygen (openssl reads it), enroll with the code, signed calls, a key openssl made; bad input exit 2", { timeout: 60_000 }, async () => {
  const fake = await FakeHotspot.create();
  const app = createWebApp({
    status: fake,
    actions: fake,
    crypto: { sha256: (d) => sha256(d), ed25519Verify: (pk, msg, sig) => ed25519.verify(sig, msg, pk) },
    store: new MemoryStore(),
    clock: realTimeClock(),
    random: (b) => b.set(randomBytes(b.length)),
  });
  const code = app.openEnrolment()!;
  const { server, url } = await serveOnLoopback(app.handler);
  const dir = mkdtempSync(join(tmpdir(), "hotspot-api-cli-"));
  try {
    const adminFile = join(dir, "admin.pem");
    const gen = await hotspot(["api", "keygen", "--out", adminFile]);
    assert.equal(gen.code, 0, gen.stderr);
    const admin = JSON.parse(gen.stdout) as { id: string; publicKey: string };
    assert.equal((statSync(adminFile).mode & 0o777).toString(8), "600");
    const opensslPublic = (await openssl(["pkey", "-in", adminFile, "-pubout", "-outform", "DER"])).subarray(-32);
    assert.equal(opensslPublic.toString("hex"), admin.publicKey, "openssl reads the same key");
    assert.equal(admin.id, Buffer.from(sha256(opensslPublic)).toString("hex").slice(0, 16));
    assert.equal((await hotspot(["api", "keygen", "--out", adminFile])).code, 2, "never overwrites a key");

    const wrong = await hotspot(["api", "enroll", "--url", url, "--code", "AAAA-AAAA-AAAA", "--key", adminFile]);
    assert.equal(wrong.code, 1);
    assert.equal(JSON.parse(wrong.stdout).body.error, "bad_enrolment_code");
    const enrolled = await hotspot(["api", "enroll", "--url", url, "--code", code, "--key", adminFile]);
    assert.equal(enrolled.code, 0, enrolled.stdout + enrolled.stderr);
    assert.deepEqual(JSON.parse(enrolled.stdout).status, 201);
    assert.deepEqual(app.keys.list().map((k) => [k.id, k.scope]), [[admin.id, "admin"]]);

    const status = JSON.parse((await hotspot(["api", "call", "--url", url, "--key", adminFile, "GET", "/api/v1/status"])).stdout);
    assert.equal(status.status, 200);
    assert.equal(status.body.identity.address, fake.address);
    const restart = JSON.parse((await hotspot(["api", "call", "--url", url, "--key", adminFile, "POST", "/api/v1/actions/restart-radio"])).stdout);
    assert.deepEqual(restart, { status: 200, body: { done: "restart-radio" } });
    const metrics = JSON.parse((await hotspot(["api", "call", "--url", url, "--key", adminFile, "GET", "/metrics?x=1"])).stdout);
    assert.equal(metrics.status, 200, "the query is part of what is signed");
    assert.match(metrics.body, /^# HELP hotspot_info /);

    // A read key made by openssl, added by the admin through the CLI, used by the CLI.
    const readerFile = join(dir, "reader.pem");
    await openssl(["genpkey", "-algorithm", "ed25519", "-out", readerFile]);
    const readerPublic = (await openssl(["pkey", "-in", readerFile, "-pubout", "-outform", "DER"])).subarray(-32).toString("hex");
    const added = JSON.parse((await hotspot(["api", "call", "--url", url, "--key", adminFile, "POST", "/api/v1/keys", JSON.stringify({ publicKey: readerPublic, scope: "read", label: "openssl" })])).stdout);
    assert.equal(added.status, 201);
    const readStatus = await hotspot(["api", "call", "--url", url, "--key", readerFile, "GET", "/api/v1/status"]);
    assert.equal(JSON.parse(readStatus.stdout).status, 200);
    const forbidden = await hotspot(["api", "call", "--url", url, "--key", readerFile, "POST", "/api/v1/actions/reboot"]);
    assert.equal(forbidden.code, 0, "any answer exits 0");
    assert.deepEqual([JSON.parse(forbidden.stdout).status, JSON.parse(forbidden.stdout).body.error], [403, "forbidden"]);
    assert.deepEqual(fake.calls, ["restartRadio"]);

    for (const [args, why] of [
      [["api", "call", "--url", url, "--key", adminFile, "get", "/x"], /upper-case HTTP method/],
      [["api", "call", "--url", url, "--key", adminFile, "GET", "x"], /must start with "\/"/],
      [["api", "call", "--url", url, "--key", adminFile, "PUT", "/api/v1/config", "{nope"], /not JSON/],
      [["api", "call", "--url", "ftp://x", "--key", adminFile, "GET", "/"], /http:\/\/ or https:\/\//],
      [["api", "call", "--url", url, "--key", join(dir, "missing.pem"), "GET", "/"], /cannot read key file/],
      [["api", "call", "--url", url, "--key", BIN, "GET", "/"], /not an Ed25519 private key/],
      [["api", "enroll", "--url", url, "--key", adminFile], /--code is required/],
      [["api", "rotate"], /unknown api command "rotate"/],
    ] as [string[], RegExp][]) {
      const r = await hotspot(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, why);
    }
    server.close();
    const down = await hotspot(["api", "call", "--url", url, "--key", adminFile, "GET", "/api/v1/status"]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^hotspot api: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
