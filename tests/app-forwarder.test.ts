// The forwarder round trip in real time: a simulated hotspot (the whole app in forwarder mode, over
// its SX1262 model) forwards a device's confirmed uplink to a GWMP server in this test; the server
// (Buffer + JSON.parse + lora-packet, none of the firmware) answers with a PULL_RESP for RX1, and
// the simulated device decodes the ACK in its RX1 window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HotspotApp } from "../modules/app/hotspot.js";
import { schedulerTimers } from "../sim/host-clock.js";
import { createSimHost } from "../sim/hotspot-host.js";
import { RadioWorld } from "../sim/radio-world.js";
import { RealTimeScheduler } from "../sim/host/real-time.js";
import { core } from "./support/core.js";
import { airtime } from "./support/radio-rig.js";
import { abpDevice, refusingTcp, rigConfig } from "./support/app-rig.js";
import { GwmpTestServer, ID, until } from "./support/gwmp-server.js";
import { lora, phy } from "./support/lora-packet.js";

test("forwarder mode: rxpk to a GWMP server, its PULL_RESP reaches the device in RX1", { timeout: 30_000 }, async () => {
  const server = await GwmpTestServer.open();
  const scheduler = new RealTimeScheduler();
  const world = new RadioWorld({ scheduler, airtime: airtime(), seed: 5, shadowingSigmaDb: 0 });
  const dir = mkdtempSync(join(tmpdir(), "app-fwd-"));
  const sim = createSimHost({
    name: "fwd", scheduler, world, position: { x: 0, y: 0 }, antennaGainDbi: 1.2, airtime: airtime(), storeDir: dir,
    log: () => {}, TCP: refusingTcp(schedulerTimers(scheduler)),
  });
  const app = new HotspotApp({
    host: sim.host,
    core,
    config: rigConfig({ forwarder: { mode: "forwarder", servers: [`127.0.0.1:${server.port}`] } }),
    radio: { driver: sim.driver, maxConductedDbm: 22 },
    web: false,
    mac: Uint8Array.of(0x02, 0x11, 0x22, 0x33, 0x44, 0x55),
    onEnrolmentCode: () => {},
  });
  try {
    app.start();
    assert.equal(app.snapshot().services.find((s) => s.name === "router")!.state, "disabled");
    await server.waitFor("PULL_DATA", () => server.of(ID.PULL_DATA).length > 0);
    assert.equal(server.of(ID.PULL_DATA)[0].euiHex, "021122FFFE334455", "EUI from the MAC");

    const { device, keys } = abpDevice(world, "dev", { x: 800, y: 0 }, { confirmed: true });
    const sent = new Promise<void>((resolve) => scheduler.at(scheduler.now() + 200_000, () => (device.sendUplink(), resolve())));
    await sent;
    await server.waitFor("PUSH_DATA with rxpk", () => server.of(ID.PUSH_DATA).some((d) => d.json?.rxpk), 5000);
    const rxpk = server.of(ID.PUSH_DATA).find((d) => d.json?.rxpk)!.json.rxpk[0];
    const up = device.uplinks[0];
    assert.equal(Buffer.from(rxpk.data, "base64").toString("hex"), Buffer.from(up.tx.payload).toString("hex"));
    assert.ok(lora.verifyMIC(lora.fromWire(Buffer.from(rxpk.data, "base64")), Buffer.from(keys.nwkSKey)));
    assert.deepEqual([rxpk.freq, rxpk.datr, rxpk.stat, rxpk.tmst], [903.9, "SF9BW125", 1, Math.floor(up.tx.end) >>> 0]);

    const ack = phy(lora.fromFields({ MType: "Unconfirmed Data Down", DevAddr: Buffer.from("49000001", "hex"), FCnt: 0, FCtrl: { ACK: true }, FPort: 1, payload: Buffer.from("ok") }, Buffer.from(keys.appSKey), Buffer.from(keys.nwkSKey)));
    const txpk = { imme: false, tmst: (rxpk.tmst + 1_000_000) >>> 0, freq: 923.3, rfch: 0, powe: 20, modu: "LORA", datr: "SF9BW500", codr: "4/5", ipol: true, size: ack.length, data: Buffer.from(ack).toString("base64") };
    server.sendPullResp(0x1234, JSON.stringify({ txpk }));
    await server.waitFor("TX_ACK", () => server.of(ID.TX_ACK).length > 0);
    const txAck = server.of(ID.TX_ACK)[0];
    assert.equal(txAck.token, 0x1234);
    assert.equal(txAck.json?.txpk_ack?.error ?? "NONE", "NONE", txAck.text);
    await until("the ACK in the device's RX1", () => up.acked, 3000);
    const got = device.downlinks[0];
    assert.equal(got.window, "RX1");
    assert.equal(got.tx.sender, sim.model);
    assert.equal(Buffer.from(got.payload).toString(), "ok");
    // Real time: the start is the driver's µs wait plus the simulator's own overhead, well inside the window.
    assert.ok(Math.abs(got.tx.start - (up.tx.end + 1_000_000)) < 2000, `${got.tx.start - (up.tx.end + 1_000_000)} µs`);
    assert.equal(app.stats().traffic.forwarded, 1);
    assert.deepEqual(server.malformed, []);
  } finally {
    app.stop();
    scheduler.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
