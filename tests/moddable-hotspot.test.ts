// The simulator's side of a Moddable hotspot before its first boot (sim/moddable-hotspot.ts): what
// it provisions into the store the firmware's key-value module reads (targets/sim/host/key-value.ts,
// the same files: tests/sdk's kv-app checks that layout in mcsim). No mcsim is started here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadNodeCore } from "../sim/node-core.js";
import { FileStore } from "../sim/hotspot-host.js";
import { createModdableHotspot } from "../sim/moddable-hotspot.js";
import { RadioWorld } from "../sim/radio-world.js";
import { RealTimeScheduler } from "../sim/host/real-time.js";
import { ApiKeys } from "../modules/web/api/keys.js";
import { loadGatewayKey } from "../modules/identity/gateway-key.js";
import { ClientKey } from "./support/web-fixture.js";
import { airtime } from "./support/radio-rig.js";

test("--admin-key for a Moddable hotspot: the key is in its store as a non-expiring admin key before the first boot, and only then", () => {
  const core = loadNodeCore();
  const scheduler = new RealTimeScheduler();
  const dir = mkdtempSync(join(tmpdir(), "moddable-hotspot-"));
  try {
    const world = new RadioWorld({ scheduler, airtime: airtime(), seed: 1 });
    const made = createModdableHotspot({
      setup: { library: "/nonexistent/mc.so", mcsim: "/nonexistent/mcsim", display: ":99" },
      name: "hotspot-2",
      position: { lat: 30.27, lon: -97.74 },
      core,
      scheduler,
      world,
      antennaGainDbi: 1.2,
      config: {},
      dir,
      logFile: join(dir, "hotspot-2.log"),
    });
    const admin = ClientKey.generate();
    made.firmware.presetAdminKey(admin.publicKey);
    made.firmware.presetAdminKey(admin.publicKey); // the same key again: nothing changes

    // Read back the way the firmware's ApiKeys reads its store.
    const store = new FileStore(join(dir, "store", "hotspot"));
    const keys = new ApiKeys({ store, crypto: core, random: () => {}, wallMillis: () => Date.now() });
    assert.ok(keys.hasUsableAdmin());
    assert.deepEqual(
      keys.list().map((k) => [k.id, k.scope, k.expiresAt]),
      [[admin.id, "admin", null]],
    );
    assert.equal(loadGatewayKey(core, store)?.address, made.firmware.key.address, "the gateway key is provisioned too");
    assert.equal(made.firmware.dashboard, undefined, "no port before launch");

    made.firmware.start(); // mcsim does not exist here: the launch fails later, but the firmware counts as started
    assert.throws(() => made.firmware.presetAdminKey(ClientKey.generate().publicKey), /before the firmware starts/);
    made.firmware.started().catch(() => {});
    made.firmware.stop();
  } finally {
    scheduler.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
