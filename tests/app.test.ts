// The composition root (modules/app) on a virtual clock: the whole app over the simulator's host
// provider, a real SX1262 driver on the chip model, LoRaWAN devices in the radio world. Frames and
// downlinks are checked with lora-packet (independent of the firmware and the simulated devices).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DATA_RATE } from "../modules/proto/schema.js";
import { scheduleRouterDownlink } from "../modules/app/transmit.js";
import { RegionState } from "../modules/app/region-state.js";
import type { Uplink } from "../modules/router/packet-router.js";
import type { DownlinkOutcome } from "../modules/radio/radio.js";
import type { RadioNode } from "../sim/radio-world.js";
import { lora, phy } from "./support/lora-packet.js";
import { ClientKey, signHeaders } from "./support/web-fixture.js";
import { CHANNEL, abpDevice, makeAppRig, rigConfig, type AppRig } from "./support/app-rig.js";

const SECOND = 1e6;

/** The uplinks the packet router client holds (no router answers in the rig, so they wait in its queue). */
function queuedUplinks(rig: AppRig): Uplink[] {
  const router = rig.app.parts!.router!;
  const out: Uplink[] = [];
  for (let e = router.queue.popFresh(rig.sim.host.clock.millis()); e; e = router.queue.popFresh(rig.sim.host.clock.millis())) out.push(e.item);
  return out;
}

/** A radio node that puts arbitrary frames on the rig's channel. */
function transmitter(rig: AppRig): (payload: Uint8Array) => void {
  const node: RadioNode = { name: "test-transmitter", position: { x: 300, y: 0 }, antennaGainDbi: 0 };
  rig.world.addNode(node);
  return (payload) =>
    void rig.world.transmit(node, {
      frequencyHz: CHANNEL.frequencyHz, spreadingFactor: 9, bandwidthKhz: 125, codingRate: 5, lowDataRateOptimize: false,
      invertIq: false, syncWord: 0x3444, preambleSymbols: 8, crc: true, payload, conductedDbm: 14,
    });
}

test("region UNKNOWN: the radio stays off, nothing is heard, routed or beaconed, and the status says why", async () => {
  const rig = makeAppRig(rigConfig({ region: { fallback: null, subBand: 2 } }));
  try {
    const { device } = abpDevice(rig.world, "dev", { x: 500, y: 0 });
    rig.app.start();
    device.start(1 * SECOND);
    rig.scheduler.runFor(90 * SECOND);
    // The config client's failed call settles in a promise callback: let it run.
    await new Promise((r) => setImmediate(r));
    assert.ok(device.uplinks.length >= 3, "the device transmitted");
    const s = rig.app.snapshot();
    assert.deepEqual([s.region.name, s.region.source], ["UNKNOWN", "unknown"]);
    assert.match(s.region.blockedReason!, /Region unknown: the radio stays off/);
    assert.match(s.region.blockedReason!, /no uplinks are heard or routed, no downlinks sent and no beacons/);
    assert.equal(rig.sim.model.receptions.length, 0, "the chip never listened");
    assert.equal(rig.app.stats().radioState, "off");
    assert.equal(rig.app.stats().traffic.heard, 0);
    assert.equal(rig.app.parts!.router!.queue.length, 0);
    assert.equal(rig.app.parts!.poc!.status().blockedBy, "region unknown");
    assert.equal(rig.app.parts!.poc!.status().counters.beaconsSent, 0);
    assert.match(s.radio.listenPlan, /^off: Region unknown/);
    const services = Object.fromEntries(s.services.map((x) => [x.name, x]));
    assert.equal(services.radio.state, "off");
    assert.equal(services.config.state, "backoff");
    assert.match(services.config.lastError!, /ECONNREFUSED|UNAVAILABLE/);
    assert.throws(() => rig.app.restartRadio(), /Region unknown/);
  } finally {
    rig.cleanup();
  }
});

test("fallback region: shown as such; LoRaWAN uplinks go to the router with the region, other frames are counted and dropped, beacons go to PoC", () => {
  const rig = makeAppRig();
  try {
    const { device, keys } = abpDevice(rig.world, "dev", { x: 800, y: 0 });
    rig.app.start();
    const s0 = rig.app.snapshot();
    assert.deepEqual([s0.region.name, s0.region.source], ["US915", "fallback"]);
    assert.match(s0.region.blockedReason!, /Fallback region US915 from the config, not yet confirmed by the config service: uplinks and downlinks run; beacons and witnesses wait/);
    assert.equal(s0.radio.listenPlan, "fixed 903.900 MHz SF9 BW125");
    assert.match(s0.radio.singleChannelNote, /hears 1 of 8 125 kHz uplink channels, only SF9/);

    device.start(1 * SECOND);
    rig.scheduler.runFor(50 * SECOND);
    const send = transmitter(rig);
    // A downlink-type frame heard on the uplink channel, a proprietary frame that is not beacon-shaped, and a PoC-shaped beacon.
    const down = phy(lora.fromFields({ MType: "Unconfirmed Data Down", DevAddr: Buffer.from("49000001", "hex"), FCnt: 1, FPort: 1, payload: Buffer.from("hi") }, Buffer.alloc(16), Buffer.alloc(16)));
    send(down);
    rig.scheduler.runFor(2 * SECOND);
    send(Uint8Array.of(0xe0, 1, 2, 3, 4, 5));
    rig.scheduler.runFor(2 * SECOND);
    send(Uint8Array.from({ length: 52 }, (_, i) => (i === 0 ? 0xe0 : i)));
    rig.scheduler.runFor(2 * SECOND);
    // A frame whose CRC fails at the chip.
    rig.sim.model.faults.crcErrorRate = 1;
    send(Uint8Array.of(0x40, 1, 2, 3, 4, 0, 0, 0, 1, 2, 3, 4));
    rig.scheduler.runFor(2 * SECOND);
    rig.sim.model.faults.crcErrorRate = 0;

    const t = rig.app.stats().traffic;
    assert.equal(t.dropped.not_lorawan_uplink, 2);
    assert.equal(t.beaconsHeard, 1);
    assert.equal(t.dropped.beacon_poc_off, 0, "PoC took the beacon (and ignored it: region not asserted)");
    assert.equal(t.crcBad, 1);
    const sf9 = rig.app.snapshot().counters.find((c) => c.sf === 9)!;
    assert.equal(sf9.crcBad, 1);
    assert.equal(sf9.dropped, 2);
    assert.equal(sf9.heard, device.uplinks.length + 3);

    // Exactly the device's frames wait for the router, each a valid LoRaWAN uplink (lora-packet MIC), with the radio's figures.
    const queued = queuedUplinks(rig);
    assert.deepEqual(queued.map((u) => Buffer.from(u.payload).toString("hex")), device.uplinks.map((u) => Buffer.from(u.tx.payload).toString("hex")));
    for (const [i, u] of queued.entries()) {
      assert.ok(lora.verifyMIC(lora.fromWire(Buffer.from(u.payload)), Buffer.from(keys.nwkSKey)));
      assert.equal(u.frequency, CHANNEL.frequencyHz);
      assert.equal(u.datarate, DATA_RATE.SF9BW125);
      assert.equal(u.tmst, Math.floor(device.uplinks[i].tx.end) >>> 0, "tmst is the end of the packet");
    }
    assert.equal(rig.app.region!.code, 0, "packet_up carries region US915");
    assert.equal(rig.app.snapshot().recentPackets[0].devAddr, "49000001");
  } finally {
    rig.cleanup();
  }
});

test("packet_down: RX1 refused TOO_LATE or TOO_EARLY falls back to RX2, which the device decodes at the right microsecond", () => {
  const rig = makeAppRig();
  try {
    const { device, keys } = abpDevice(rig.world, "dev", { x: 800, y: 0 }, { confirmed: true });
    rig.app.start();
    rig.scheduler.runFor(1 * SECOND);
    const outcomes: DownlinkOutcome[] = [];
    const ack = (fCnt: number) =>
      phy(lora.fromFields({ MType: "Unconfirmed Data Down", DevAddr: Buffer.from("49000001", "hex"), FCnt: fCnt, FCtrl: { ACK: true }, FPort: 1, payload: Buffer.from("ok") }, Buffer.from(keys.appSKey), Buffer.from(keys.nwkSKey)));
    const power = rig.app.region!.downlinkPowerDbm(1.2);
    assert.equal(power, 28, "US915 30 dBm EIRP - 1.2 dBi");

    for (const [fCnt, late] of [[0, true], [1, false]] as const) {
      const up = device.sendUplink();
      rig.scheduler.runUntil(up.tx.end + 100_000);
      const [u] = queuedUplinks(rig);
      // Too late: 20 ms before RX1 (the queue needs 32.5 ms). Too early: an RX1 600 s away.
      if (late) rig.scheduler.runUntil(up.tx.end + SECOND - 20_000);
      const rx1 = { tmst: late ? (u.tmst + SECOND) >>> 0 : (u.tmst + 600 * SECOND) >>> 0, frequency: 923_300_000, datarate: DATA_RATE.SF9BW500, immediate: false };
      const rx2 = { tmst: (u.tmst + 2 * SECOND) >>> 0, frequency: 923_300_000, datarate: DATA_RATE.SF12BW500, immediate: false };
      const r = scheduleRouterDownlink(rig.app.radioPart, { payload: ack(fCnt), rx1, rx2 }, power, (_w, o) => outcomes.push(o));
      assert.deepEqual([r.window, r.rx1Refusal, r.result.ok], ["RX2", late ? "TOO_LATE" : "TOO_EARLY", true]);
      rig.scheduler.runUntil(up.tx.end + 3 * SECOND);
      assert.equal(up.acked, true, "the device decoded the ACK");
      const got = device.downlinks.at(-1)!;
      assert.equal(got.window, "RX2");
      assert.ok(Math.abs(got.tx.start - (up.tx.end + 2 * SECOND)) <= 20, `RX2 start off by ${got.tx.start - (up.tx.end + 2 * SECOND)} µs`);
      assert.deepEqual([got.tx.invertIq, got.tx.spreadingFactor, got.tx.bandwidthKhz, got.tx.frequencyHz], [true, 12, 500, 923_300_000]);
      assert.equal(rig.sim.model.transmitted.at(-1)!.conductedDbm, 22, "28 dBm asked, the board's 22 dBm used");
    }
    assert.equal(outcomes.length, 2);
    assert.ok(outcomes.every((o) => o.ok && o.onTime));
    // Without RX2, the refusal stands.
    const r = scheduleRouterDownlink(rig.app.radioPart, { payload: ack(2), rx1: { tmst: 0, frequency: 923_300_000, datarate: DATA_RATE.SF9BW500, immediate: false } }, power);
    assert.deepEqual([r.window, r.result.ok, r.result.ok ? "" : r.result.error], ["RX1", false, "TOO_LATE"]);
  } finally {
    rig.cleanup();
  }
});

test("restart radio: the driver is rebuilt on the chip, a queued downlink ends RADIO_DOWN, and uplinks are heard again", () => {
  const rig = makeAppRig();
  try {
    const { device } = abpDevice(rig.world, "dev", { x: 800, y: 0 });
    rig.app.start();
    device.start(1 * SECOND);
    rig.scheduler.runFor(30 * SECOND);
    const heard = rig.app.stats().traffic.heard;
    assert.ok(heard >= 1);
    let outcome: DownlinkOutcome | undefined;
    const queued = rig.app.radioPart.schedule(
      { payload: Uint8Array.of(1, 2, 3), tmst: (Math.floor(rig.sim.host.clock.micros()) + 5 * SECOND) >>> 0, frequencyHz: 923_300_000, datarate: "SF9BW500" },
      (o) => (outcome = o),
    );
    assert.ok(queued.ok);
    const framesBefore = rig.sim.model.transmitted.length;
    rig.app.restartRadio();
    assert.equal(outcome?.error, "RADIO_DOWN");
    assert.equal(rig.app.radioPart.restarts, 1);
    assert.equal(rig.app.snapshot().services.find((s) => s.name === "radio")!.reconnects, 1);
    assert.equal(rig.app.stats().radioState, "running");
    rig.scheduler.runFor(60 * SECOND);
    assert.ok(rig.app.stats().traffic.heard >= heard + 2, "heard again after the restart");
    assert.equal(rig.sim.model.transmitted.length, framesBefore, "the cancelled downlink never went on the air");
    assert.deepEqual(rig.sim.model.violations, []);
  } finally {
    rig.cleanup();
  }
});

test("config: a refused PUT names every bad field and keeps the old config; a good one is saved (new slot, then switch) and survives a reboot", () => {
  const rig = makeAppRig();
  try {
    rig.app.start();
    const store = join(rig.dir, "store");
    const before = rig.app.getConfig();
    const files = () => ["cfg.active", "cfg.a", "cfg.b"].map((f) => { try { return readFileSync(join(store, f), "utf8"); } catch { return null; } });
    const stored = files();
    const refused = rig.app.putConfig({
      region: { fallback: "MARS" },
      antennaGainDbi: 99,
      radio: { listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 13, bandwidthKhz: 125 } },
      upstream: { router: "ftp://x", configKey: "not-an-address" },
      poc: { enabled: "yes" },
      forwarder: { mode: "forwarder", servers: [] },
      colour: "blue",
    });
    assert.equal(refused.ok, false);
    const fields = refused.ok ? [] : refused.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ["antennaGainDbi", "colour", "forwarder", "poc.enabled", "radio.listen.spreadingFactor", "region.fallback", "upstream.configKey", "upstream.router"]);
    assert.deepEqual(rig.app.getConfig(), before);
    assert.deepEqual(files(), stored, "nothing written");

    const ok = rig.app.putConfig({ antennaGainDbi: 3, wifi: { ssid: "maker-lab", password: "hunter2hunter2" } });
    assert.equal(ok.ok, true);
    const shown = rig.app.getConfig() as { wifi: Record<string, unknown>; antennaGainDbi: number };
    assert.deepEqual(shown.wifi, { ssid: "maker-lab", passwordSet: true }, "the password is never shown");
    const [active, a, b] = files();
    assert.equal(active, "a", "the first save went to slot a, then the pointer switched to it");
    assert.equal(b, null);
    assert.equal(JSON.parse(a!).antennaGainDbi, 3);
    // The next save goes to the other slot; a PUT without the password keeps it.
    assert.equal(rig.app.putConfig({ wifi: { ssid: "maker-lab-2" } }).ok, true);
    assert.equal(files()[0], "b");
    assert.equal(JSON.parse(files()[2]!).wifi.password, "hunter2hunter2");
    assert.equal(JSON.parse(files()[1]!).wifi.ssid, "maker-lab", "the previous config is untouched in its slot");

    const again = rig.reboot();
    assert.equal(again.config.antennaGainDbi, 3);
    assert.equal(again.config.wifi.ssid, "maker-lab-2");
  } finally {
    rig.cleanup();
  }
});

test("factory reset: config, API keys and counters go, the gateway key stays; each boot without an admin key shows a new enrolment code", () => {
  const rig = makeAppRig();
  try {
    rig.app.start();
    assert.equal(rig.enrolmentCodes.length, 1);
    const address = rig.app.key.address;
    assert.equal(rig.app.putConfig({ antennaGainDbi: 5 }).ok, true);
    assert.ok(!("error" in rig.app.web.keys.add(ClientKey.generate().publicKey, "admin", { expires: false })));
    const quiet = rig.reboot();
    quiet.start();
    assert.equal(rig.enrolmentCodes.length, 1, "no code while an admin key exists");
    rig.app.factoryReset();
    rig.scheduler.runFor(1 * SECOND);
    assert.equal(rig.app.config.antennaGainDbi, 1.2);
    assert.equal(rig.enrolmentCodes.length, 2);
    assert.notEqual(rig.enrolmentCodes[1], rig.enrolmentCodes[0]);
    assert.deepEqual(rig.app.web.keys.list(), []);
    const again = rig.reboot();
    again.start();
    assert.equal(again.key.address, address);
    assert.equal(again.config.antennaGainDbi, 1.2);
    assert.equal(rig.enrolmentCodes.length, 3, "still no admin key: a new code");
    for (const code of rig.enrolmentCodes) assert.ok(!rig.logs.some((l) => l.includes(code)), "a code never reaches the log");
  } finally {
    rig.cleanup();
  }
});

test("region state: unknown, then asserted by the config service; the plan changes only with the band; power from the params", () => {
  const params = (maxEirp: number) => ({ region_params: [{ channel_frequency: 903_900_000, bandwidth: 125_000, max_eirp: maxEirp }] });
  const answer = (region: number, maxEirp = 360) => ({ region, params: params(maxEirp), paramsBytes: Uint8Array.of(1), gain: 12, timestamp: 1_800_000_000 });
  const state = new RegionState(null, 2);
  assert.deepEqual([state.source, state.code, state.plan, state.downlinkPowerDbm(1.2)], ["unknown", 99, undefined, undefined]);
  assert.equal(state.asserted(answer(0)), true, "UNKNOWN -> US915: the radio must start");
  assert.deepEqual([state.source, state.active!.name, state.plan!.name, state.reason()], ["asserted", "US915", "US915", null]);
  assert.equal(state.downlinkPowerDbm(1.2), 34, "(360 - 12) / 10, from the params and the asserted gain");
  assert.equal(state.asserted(answer(0, 300)), false, "same band: no restart");
  assert.equal(state.downlinkPowerDbm(1.2), 28);
  assert.equal(state.asserted(answer(1)), true, "US915 -> EU868");
  assert.equal(state.plan!.name, "EU868");
  assert.equal(state.asserted(answer(2)), true);
  assert.deepEqual([state.active!.name, state.plan], ["EU433", undefined]);
  assert.equal(state.reason(), "Region EU433 has no radio plan in this firmware: the radio stays off.");
  const fallback = new RegionState("EU868", 2);
  assert.deepEqual([fallback.source, fallback.code, fallback.downlinkPowerDbm(2)], ["fallback", 1, 14]);
  assert.equal(fallback.asserted(answer(1, 161)), false, "the fallback confirmed: same plan, no restart");
  assert.equal(fallback.source, "asserted");
});

test("the app behind the web API: signed config PUT with bad fields is a 400 naming them, the old config stays; status and add-gateway never carry the gateway key", async () => {
  const rig = makeAppRig();
  try {
    rig.app.start();
    const key = ClientKey.generate();
    const call = async (method: string, target: string, body?: unknown, extra: Record<string, string> = {}) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      const timestamp = Math.floor(rig.sim.host.clock.wallMillis()! / 1000);
      const headers = new Map<string, string>(Object.entries({ ...signHeaders({ method, target, body: text, key, timestamp }), ...extra }).map(([k, v]) => [k.toLowerCase(), v]));
      if (text) headers.set("content-type", "application/json");
      headers.set("host", "hotspot");
      const res = await rig.app.web.handler({ method, target, path: target, query: "", version: "1.1", headers, body: new TextEncoder().encode(text) });
      const raw = typeof res.body === "string" ? res.body : new TextDecoder().decode(res.body ?? new Uint8Array(0));
      return { status: res.status, raw, json: JSON.parse(raw) };
    };
    const enrolled = await call("POST", "/api/v1/keys", { publicKey: key.publicKeyHex }, { "X-Hotspot-Enrolment-Code": rig.enrolmentCodes[0] });
    assert.equal(enrolled.status, 201, enrolled.raw);
    const before = await call("GET", "/api/v1/config");
    assert.equal(before.status, 200);
    const bad = await call("PUT", "/api/v1/config", { antennaGainDbi: -3, poc: { intervalSeconds: 0 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error, "invalid_config");
    assert.deepEqual(bad.json.fields.map((f: { field: string }) => f.field).sort(), ["antennaGainDbi", "poc.intervalSeconds"]);
    const hostile = await call("PUT", "/api/v1/config", { forwarder: { mode: ["helium"] }, radio: { listen: { kind: { toString: 1 } } } });
    assert.equal(hostile.status, 400, hostile.raw);
    assert.deepEqual(hostile.json.fields.map((f: { field: string }) => f.field), ["radio.listen.kind.toString"]);
    const wrongTypes = await call("PUT", "/api/v1/config", { forwarder: { mode: ["helium"] }, region: { fallback: { name: "US915" } } });
    assert.deepEqual(wrongTypes.json.fields.map((f: { field: string }) => f.field).sort(), ["forwarder", "region.fallback"]);
    assert.deepEqual((await call("GET", "/api/v1/config")).json, before.json);
    const status = await call("GET", "/api/v1/status");
    assert.equal(status.json.identity.address, rig.app.key.address);
    assert.equal(status.json.region.source, "fallback");
    const owner = rig.app.key.address;
    const txn = await call("POST", "/api/v1/add-gateway", { owner, payer: owner });
    assert.equal(txn.status, 200);
    const seedForms = [Buffer.from(rig.app.key.seed).toString("hex"), Buffer.from(rig.app.key.seed).toString("base64")];
    for (const r of [before, bad, status, txn]) for (const form of seedForms) assert.ok(!r.raw.includes(form), "the gateway key never leaves");
  } finally {
    rig.cleanup();
  }
});
