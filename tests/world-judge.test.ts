// The simulator's observers, each on its own: the world's downlink judge (a downlink matched to the
// uplink it answers by the device's keys, judged against that device's own window), the host stall
// before SetTx (--tx-delay), the relay that counts what a GWMP server acknowledged, the steady
// real-time clock, the chip model's record of why it missed an uplink, and the funnel's counting.
// Frames are built by lora-packet, not by the simulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { HELTEC_WIFI_LORA_32_V3, boardIo } from "../drivers/sx1262/boards.js";
import { SX1262, type Sx1262TxReport } from "../drivers/sx1262/sx1262.js";
import { regionPlan } from "../modules/region/plans.js";
import { judgeDownlink } from "../sim/downlink-judge.js";
import { EndDevice } from "../sim/end-device.js";
import { GwmpTap } from "../sim/gwmp-tap.js";
import { stallingBeforeSetTx } from "../sim/hotspot-host.js";
import { Rng } from "../sim/rng.js";
import { SteadyRealTimeScheduler } from "../sim/steady-real-time.js";
import { Sx1262Model } from "../sim/sx1262-model.js";
import { GwmpTestServer, ID, until } from "./support/gwmp-server.js";
import { lora, phy } from "./support/lora-packet.js";
import { biggestLoss, funnelOf } from "../sim/funnel.js";
import type { Transmission } from "../sim/radio-world.js";
import type { AnswerTrace, UplinkTrace } from "../sim/uplink-trace.js";
import { makeHotspot, makeRadioHotspot, makeWorld, modelBoardFor } from "./support/radio-rig.js";

const US915 = regionPlan("US915");
const LISTEN = { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 9, bandwidthKhz: 125 } as const;
const NWK = Buffer.from("2b7e151628aed2a6abf7158809cf4f3c", "hex");
const APP = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex");
const APP_KEY = Buffer.from("00112233445566778899aabbccddeeff", "hex");
const DEVADDR = 0x78000abc;

function setup() {
  const env = makeWorld(11, { shadowingSigmaDb: 0 });
  const hs = makeRadioHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, region: US915, listen: LISTEN });
  const common = { world: env.world, region: US915, dataRate: 1, channelsHz: [903_900_000], confirmed: true };
  const abp = new EndDevice({ ...common, name: "abp", position: { x: 600, y: 0 }, activation: { kind: "abp", devAddr: DEVADDR, nwkSKey: new Uint8Array(NWK), appSKey: new Uint8Array(APP) }, rng: new Rng(1) });
  const otaa = new EndDevice({ ...common, name: "otaa", position: { x: 0, y: 700 }, activation: { kind: "otaa", devEui: "70b3d57ed0000001", joinEui: "0000000000000001", appKey: new Uint8Array(APP_KEY) }, rng: new Rng(2) });
  return { env, hs, abp, otaa };
}

function ack(fCnt: number): Uint8Array {
  const devAddr = Buffer.alloc(4);
  devAddr.writeUInt32BE(DEVADDR);
  return phy(lora.fromFields({ MType: "Unconfirmed Data Down", DevAddr: devAddr, FCnt: fCnt, FCtrl: { ACK: true }, FPort: 1, payload: Buffer.from("ok") }, APP, NWK));
}

function joinAccept(): Uint8Array {
  return phy(lora.fromFields({ MType: "Join Accept", AppNonce: Buffer.from("010203", "hex"), NetID: Buffer.from("000024", "hex"), DevAddr: Buffer.from("48000001", "hex"), DLSettings: 0, RxDelay: 1 }, null, null, APP_KEY));
}

/** Hears one uplink from `device`, then answers it at `delayMicros` (+ `lateMicros`) on RX1 (SF9BW500, 923.3 MHz). */
function answer(s: ReturnType<typeof setup>, device: EndDevice, payload: Uint8Array, delayMicros: number, lateMicros: number) {
  s.env.scheduler.at(s.env.scheduler.now() + 100_000, () => device.sendUplink());
  s.env.scheduler.runFor(1_000_000);
  const up = s.hs.uplinks.at(-1)!;
  assert.ok(s.hs.radio.schedule({ payload, tmst: (up.tmst + delayMicros + lateMicros) >>> 0, frequencyHz: 923_300_000, datarate: "SF9BW500" }).ok);
  s.env.scheduler.runFor(delayMicros + 2_000_000);
  return s.hs.model.transmitted.at(-1)!.tx;
}

test("a confirmed uplink's ACK is matched to it by DevAddr and MIC and judged against its RX1 window: on time, then 50 ms late", () => {
  const s = setup();
  const onTime = judgeDownlink(answer(s, s.abp, ack(0), 1_000_000, 0), [s.otaa, s.abp])!;
  assert.equal(onTime.device, s.abp);
  assert.equal(onTime.uplink, s.abp.uplinks[0]);
  assert.equal(onTime.window.name, "RX1");
  assert.equal(onTime.window.open, s.abp.uplinks[0].tx.end + 1_000_000);
  assert.ok(Math.abs(onTime.errorMicros) < 1, `error ${onTime.errorMicros} µs`);
  assert.equal(onTime.onTime, true);
  assert.equal(s.abp.uplinks[0].acked, true, "and the device did take it");

  const late = judgeDownlink(answer(s, s.abp, ack(1), 1_000_000, 50_000), [s.otaa, s.abp])!;
  assert.equal(late.uplink, s.abp.uplinks[1], "the ACK answers the latest uplink, not the first");
  assert.ok(Math.abs(late.errorMicros - 50_000) < 1);
  assert.equal(late.onTime, false);
  assert.equal(s.abp.uplinks[1].acked, false, "the device missed it, as judged");
});

test("a join-accept is matched to the join request its AppKey opens, against the device's 5 s window", () => {
  const s = setup();
  const j = judgeDownlink(answer(s, s.otaa, joinAccept(), 5_000_000, 0), [s.abp, s.otaa])!;
  assert.equal(j.device, s.otaa);
  assert.equal(j.uplink.kind, "join");
  assert.equal(j.window.open, s.otaa.uplinks[0].tx.end + 5_000_000);
  assert.equal(j.onTime, true);
  assert.equal(s.otaa.joined, true);
});

test("a frame no device's keys open is not matched", () => {
  const s = setup();
  const devAddr = Buffer.alloc(4);
  devAddr.writeUInt32BE(DEVADDR);
  const foreign = phy(lora.fromFields({ MType: "Unconfirmed Data Down", DevAddr: devAddr, FCnt: 0, FCtrl: { ACK: true }, FPort: 1, payload: Buffer.from("x") }, APP, Buffer.alloc(16, 9)));
  assert.equal(judgeDownlink(answer(s, s.abp, foreign, 1_000_000, 0), [s.abp, s.otaa]), undefined);
});

test("--tx-delay: a host stall before SetTx shows as exactly that much error, in the driver's report and on the air", () => {
  const env = makeWorld(12, { shadowingSigmaDb: 0 });
  const board = HELTEC_WIFI_LORA_32_V3;
  const model = new Sx1262Model({ name: "stalled", scheduler: env.scheduler, world: env.world, pins: board.pins, board: modelBoardFor(board) });
  const io = model.io();
  const reports: Sx1262TxReport[] = [];
  const driver = new SX1262({
    ...boardIo(board, { SPI: stallingBeforeSetTx(io.SPI, env.scheduler, 40_000), Digital: io.Digital }),
    board: board.settings,
    clock: env.clock,
    timers: env.timers,
    listen: LISTEN,
    airtime: env.airtime,
    onTransmitted: (r) => reports.push(r),
  });
  const at = (Math.floor(env.clock.micros()) + 200_000) >>> 0;
  assert.ok(driver.write({ payload: new Uint8Array(10), frequencyHz: 923_300_000, spreadingFactor: 9, bandwidthKhz: 500, powerDbm: 14, invertIq: true, at }));
  env.scheduler.runFor(500_000);
  assert.equal(reports[0].tmst! - at, 40_000);
  assert.equal(model.transmitted[0].tx.start - at, 40_000);
  assert.deepEqual(model.violations, []);
});

test("the GWMP relay passes datagrams both ways and counts an uplink once the server acknowledged its PUSH_DATA", async () => {
  const server = await GwmpTestServer.open();
  const tap = await GwmpTap.open({ address: "127.0.0.1", portUp: server.port, portDown: server.port });
  const gateway = dgram.createSocket("udp4");
  const replies: Buffer[] = [];
  gateway.on("message", (m) => replies.push(m));
  await new Promise<void>((resolve) => gateway.bind(0, "127.0.0.1", resolve));
  const port = Number(tap.spec.split(":")[1]);
  const eui = Buffer.from("0200aabbfffe0102", "hex");
  const push = (token: number, rxpk: number) =>
    gateway.send(Buffer.concat([Buffer.from([2, token >> 8, token & 0xff, ID.PUSH_DATA]), eui, Buffer.from(JSON.stringify({ rxpk: Array.from({ length: rxpk }, () => ({ data: "QAEC" })) }))]), port, "127.0.0.1");
  try {
    push(0x0101, 2);
    await until("the PUSH_ACK back at the gateway", () => replies.some((r) => r[3] === ID.PUSH_ACK));
    assert.equal(server.of(ID.PUSH_DATA).length, 1);
    assert.equal(tap.uplinksFrom("0200AABBFFFE0102"), 2);
    server.ackPush = () => false;
    push(0x0102, 3);
    await until("the server got the second PUSH_DATA", () => server.of(ID.PUSH_DATA).length === 2);
    assert.equal(tap.uplinksFrom("0200AABBFFFE0102"), 2, "not acknowledged, not counted");
    gateway.send(Buffer.concat([Buffer.from([2, 0, 7, ID.PULL_DATA]), eui]), port, "127.0.0.1");
    await until("PULL_DATA at the server", () => server.of(ID.PULL_DATA).length === 1);
    server.sendPullResp(0x0203, JSON.stringify({ txpk: { imme: true } }));
    await until("the PULL_RESP at the gateway", () => replies.some((r) => r[3] === ID.PULL_RESP));
    assert.deepEqual(server.malformed, []);
  } finally {
    gateway.close();
    tap.close();
    await server.close();
  }
});

test("steady real-time clock: events never run early and in order; a busy wait lasts at least its time; a model's computation takes none", async () => {
  const s = new SteadyRealTimeScheduler();
  try {
    const ran: [string, number, number][] = [];
    const t0 = s.now();
    s.at(t0 + 30_000, (t) => ran.push(["b", t, s.now()]));
    s.at(t0 + 10_000, (t) => ran.push(["a", t, s.now()]));
    const c = s.at(t0 + 20_000, () => ran.push(["never", 0, 0]));
    s.cancel(c);
    await until("both events", () => ran.length === 2, 5000);
    assert.deepEqual(ran.map((r) => r[0]), ["a", "b"]);
    for (const [, scheduled, at] of ran) assert.ok(at >= scheduled, `ran at ${at}, scheduled ${scheduled}`);
    const before = s.now();
    s.advance(3000);
    assert.ok(s.now() - before >= 3000);
    const frozen = s.untimed(() => {
      const inside = s.now();
      const end = performance.now() + 40;
      while (performance.now() < end);
      assert.equal(s.now(), inside, "the clock stands still inside");
      return inside;
    });
    assert.ok(s.now() - frozen < 20_000, `40 ms of model computation left ${s.now() - frozen} µs on the clock`);
    assert.ok(s.preemptions.modelMicros >= 40_000);
  } finally {
    s.stop();
  }
});

test("the chip model says why it missed an uplink: transmitting, locked onto another, another SF, too weak", () => {
  const env = makeWorld(21, { shadowingSigmaDb: 0 });
  const hs = makeHotspot(env, { board: HELTEC_WIFI_LORA_32_V3, listen: LISTEN });
  const device = (name: string, x: number, dataRate = 1) =>
    new EndDevice({ name, world: env.world, position: { x, y: 0 }, region: US915, dataRate, channelsHz: [903_900_000], activation: { kind: "abp", devAddr: 0x78000000 + x, nwkSKey: new Uint8Array(16), appSKey: new Uint8Array(16) }, rng: new Rng(x) });
  const [near, second, otherSf, far] = [device("near", 300), device("second", 500), device("sf10", 700, 0), device("far", 60_000)];
  // The hotspot transmits a long frame; an uplink starting in the middle of it is missed.
  const at = (Math.floor(env.clock.micros()) + 100_000) >>> 0;
  assert.ok(hs.driver.write({ payload: new Uint8Array(50), frequencyHz: 923_300_000, spreadingFactor: 12, bandwidthKhz: 500, powerDbm: 14, invertIq: true, at }));
  let during: Transmission | undefined;
  env.scheduler.at(env.scheduler.now() + 150_000, () => (during = near.sendUplink().tx));
  env.scheduler.runFor(4_000_000);
  assert.equal(hs.model.misses.get(during!.id)?.reason, "hotspot_transmitting");
  // Two uplinks overlapping: the receiver is locked onto the first when the second starts.
  let first: Transmission | undefined;
  let overlapping: Transmission | undefined;
  env.scheduler.at(env.scheduler.now() + 100_000, () => (first = near.sendUplink().tx));
  env.scheduler.at(env.scheduler.now() + 120_000, () => (overlapping = second.sendUplink().tx));
  env.scheduler.at(env.scheduler.now() + 2_500_000, () => otherSf.sendUplink());
  env.scheduler.at(env.scheduler.now() + 6_000_000, () => far.sendUplink());
  env.scheduler.runFor(10_000_000);
  assert.ok(hs.model.receptions.some((r) => r.tx === first), "locked onto the first");
  assert.deepEqual(hs.model.misses.get(overlapping!.id), { reason: "receiver_locked_on_earlier_packet", detectable: true });
  assert.equal(hs.model.misses.get(otherSf.uplinks[0].tx.id)?.reason, "wrong_channel_or_sf");
  assert.equal(hs.model.misses.get(far.uplinks[0].tx.id)?.detectable, false, "60 km away: below what the receiver can detect");
});

test("the funnel counts each traced uplink once, at the stage it stopped", () => {
  const t = (lostBeforeHeard?: string, lostBeforeRouted?: string, answer?: Partial<AnswerTrace>): UplinkTrace =>
    ({ id: "x", device: { name: "d" }, uplink: {}, heardBy: [], routed: lostBeforeHeard === undefined && lostBeforeRouted === undefined, ...(lostBeforeHeard ? { lostBeforeHeard } : {}), ...(lostBeforeRouted ? { lostBeforeRouted } : {}), ...(answer ? { answer: { scheduled: false, transmitted: false, received: false, ...answer } } : {}) }) as unknown as UplinkTrace;
  const f = funnelOf([
    t("collision", undefined, { notScheduled: "not_heard" }),
    t("collision"),
    t(undefined, "in_flight"),
    t(undefined, undefined, { scheduled: true, transmitted: true, received: true }),
    t(undefined, undefined, { scheduled: true, notTransmitted: "refused_too_late" }),
    t(undefined, undefined, { scheduled: true, transmitted: true, notReceived: "late" }),
  ]);
  assert.deepEqual(f, {
    sent: 6,
    heard: 4,
    routed: 3,
    lostBeforeHeard: { collision: 2 },
    lostBeforeRouted: { in_flight: 1 },
    answers: { needed: 4, scheduled: 3, transmitted: 2, received: 1, notScheduled: { not_heard: 1 }, notTransmitted: { refused_too_late: 1 }, notReceived: { late: 1 } },
  });
  assert.equal(biggestLoss(f), "not heard: collision x2");
  assert.equal(biggestLoss(funnelOf([t(undefined, "in_flight")])), "none", "in flight is not a loss");
});
