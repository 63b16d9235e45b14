// `npm start -- --admin-key HEX64`, the simulator's web options, as a script would use them: the
// banner names no enrolment code, and a call signed with node:crypto by that key is an admin call
// on the hotspot's dashboard. A malformed key is a usage error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ClientKey, signHeaders } from "./support/web-fixture.js";

const START = fileURLToPath(new URL("../sim/start.js", import.meta.url));

test("--admin-key enrols the key on every simulated hotspot; a malformed one is refused with exit code 2", { timeout: 90_000 }, async () => {
  const bad = spawnSync(process.execPath, [START, "--admin-key", "zz"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--admin-key must be an Ed25519 public key as 64 hex digits, not "zz"/);

  const key = ClientKey.generate();
  const child = spawn(process.execPath, [START, "--admin-key", key.publicKeyHex, "--hotspots", "2", "--devices", "0", "--duration", "30", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const deadline = Date.now() + 45_000;
    while (!/running for/.test(stderr)) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `the simulator did not come up:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const lines = [...stderr.matchAll(/^\s+(hotspot-\d+)\s.*dashboard (\S+)\s+(.*)$/gm)];
    assert.equal(lines.length, 2, stderr);
    assert.doesNotMatch(stderr, /enrolment code/);
    for (const [, name, dashboard, access] of lines) {
      assert.equal(access, "admin key from --admin-key", name);
      const target = "/api/v1/keys";
      const headers = signHeaders({ method: "GET", target, key, timestamp: Math.floor(Date.now() / 1000) });
      const response = await fetch(new URL(target, dashboard), { headers });
      assert.equal(response.status, 200, name);
      const { keys } = (await response.json()) as { keys: { id: string; scope: string; label: string; createdAt: number; expiresAt: number | null }[] };
      assert.deepEqual(keys, [{ id: key.id, kind: "ed25519", scope: "admin", label: "--admin-key", createdAt: keys[0].createdAt, expiresAt: null }]);
      const open = (await (await fetch(new URL("/api/v1/enrolment", dashboard))).json()) as { open: boolean };
      assert.equal(open.open, false);
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
});
