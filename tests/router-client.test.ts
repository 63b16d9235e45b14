// modules/router and modules/region/config-client against the devnet, with the real protobuf codec
// (modules/proto over the wasm core) and @noble Ed25519 standing in for the core's signing.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ed25519 } from "@noble/curves/ed25519.js";
import { startDevnet, type Devnet } from "../devnet/devnet.js";
import { loraPacket as lp } from "../devnet/lora.js";
import { encodeMessage, encodeForSigning, decodeMessage } from "../modules/proto/codec.js";
import { PacketRouterClient, type Downlink, type Uplink } from "../modules/router/packet-router.js";
import { fetchRegionParams, ConfigResponseError } from "../modules/region/config-client.js";
import type { MessageCodec, Signer } from "../modules/router/deps.js";
import type { Clock } from "../modules/host/provider.js";
import { loadProtoCore } from "./support/proto-core.js";
import { channelTo, until, sleep, timers } from "./support/grpc-servers.js";
import { heliumAddress } from "../devnet/keys.js";
import { toHex } from "../modules/util/bytes.js";

const { core } = loadProtoCore();
const codec: MessageCodec = {
  encode: (name, value) => encodeMessage(core, name, value),
  encodeForSigning: (name, value) => encodeForSigning(core, name, value),
  decode: (name, bytes) => decodeMessage(core, name, bytes),
};
function nobleSigner(secret = ed25519.utils.randomSecretKey()): Signer {
  return { publicKey: new Uint8Array([0x01, ...ed25519.getPublicKey(secret)]), sign: (m) => ed25519.sign(m, secret) };
}
const verify = (pub: Uint8Array, m: Uint8Array, s: Uint8Array) => {
  try {
    return ed25519.verify(s, m, pub.subarray(1));
  } catch {
    return false;
  }
};

const devnets: Devnet[] = [];
const clients: PacketRouterClient[] = [];
after(async () => {
  for (const c of clients) c.stop();
  for (const d of devnets) await d.stop();
});

const US915_PARAMS_HEX =
  "0a2908e0d681af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0f18daf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e08b9aaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0a6a6af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0c0b2af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0dbbeaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0f5caaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a090d7af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a050801108002";

const ABP = { devAddr: "48000b07", nwkSKey: "2b7e151628aed2a6abf7158809cf4f3c", appSKey: "000102030405060708090a0b0c0d0e0f" };
function frame(fCnt: number, confirmed = false): Uint8Array {
  const p = lp.fromFields(
    { MType: confirmed ? "Confirmed Data Up" : "Unconfirmed Data Up", DevAddr: Buffer.from(ABP.devAddr, "hex"), FCnt: fCnt, FPort: 3, payload: Buffer.from(`n${fCnt}`) },
    Buffer.from(ABP.appSKey, "hex"),
    Buffer.from(ABP.nwkSKey, "hex"),
  );
  return new Uint8Array(p.getPHYPayload()!);
}

/** A clock whose monotonic time the test can move (queue expiry), wall time real. */
function testClock(): Clock & { offset: number } {
  const c = { offset: 0, micros: () => (Date.now() + c.offset) * 1000, millis: () => Date.now() + c.offset, wallMillis: () => Date.now(), delayMicros: () => (Date.now() + c.offset) * 1000 };
  return c;
}

function client(port: number, o: { clock?: Clock; downlinks?: Downlink[]; region?: number } = {}): PacketRouterClient {
  const c = new PacketRouterClient({
    channel: channelTo(port),
    timers,
    clock: o.clock ?? testClock(),
    random: (b) => b.set(new Uint8Array(b.length).map(() => (Math.random() * 256) | 0)),
    codec,
    gatewayKey: nobleSigner(),
    newSessionKey: () => nobleSigner(),
    region: () => o.region ?? 1,
    onDownlink: (d) => o.downlinks?.push(d),
    policy: { retries: 40, minMs: 50, maxMs: 300 },
    initialDelayMs: 0,
  });
  clients.push(c);
  return c;
}

function uplink(fCnt: number, clock: Clock, confirmed = false): Uplink {
  return { payload: frame(fCnt, confirmed), tmst: 5_000_000 + fCnt, rssi: -97, snr: -3.25, frequency: 868300000, datarate: 0, receivedAt: clock.millis() };
}

test("register, session, queued uplinks sent under the session key: every packet verified and routed by the devnet", async () => {
  const d = await startDevnet();
  devnets.push(d);
  d.lns.addAbpDevice(ABP);
  const clock = testClock();
  const downlinks: Downlink[] = [];
  const c = client(d.ports.router, { clock, downlinks });
  for (let i = 1; i <= 3; i++) c.uplink(uplink(i, clock)); // before any connection: queued
  c.start();
  await until(() => d.router.packets.length === 3, 5000, "queued packets");
  c.uplink(uplink(4, clock, true));
  await until(() => downlinks.length === 1, 5000, "ACK downlink");
  assert.deepEqual(d.router.packets.map((p) => p.verdict), ["routed", "routed", "routed", "routed"]);
  assert.ok(d.router.packets.every((p) => p.signedBy === "session" && p.sessionKey === heliumAddress(c.sessionKey!)));
  assert.equal(d.router.packets[0].rssi, -97);
  assert.equal(d.router.packets[0].snr, -3.25);
  assert.equal(d.router.packets[0].timestamp, "5000001");
  assert.deepEqual(d.lns.events.filter((e) => e.kind === "uplink").map((e) => Buffer.from(e.data!, "hex").toString()), ["n1", "n2", "n3", "n4"]);
  assert.equal(downlinks[0].rx1.tmst, 5_000_004 + 1_000_000);
  assert.equal(downlinks[0].rx2?.frequency, 869525000);
  assert.equal(lp.fromWire(Buffer.from(downlinks[0].payload)).getFCtrlACK(), true);
  assert.equal(c.state, "session");
  c.stop();
});

test("the queue keeps the newest 20 and discards packets older than 60 s, counting both", async () => {
  const clock = testClock();
  const c = client(1, { clock }); // never started
  for (let i = 1; i <= 25; i++) c.uplink(uplink(i, clock));
  assert.equal(c.queue.length, 20);
  assert.equal(c.queue.stats.droppedFull, 5);
  clock.offset = 61000;
  assert.equal(c.queue.popFresh(clock.millis()), undefined);
  assert.equal(c.queue.stats.droppedExpired, 20);
  const unknown = client(1, { clock, region: 99 });
  unknown.uplink(uplink(1, clock));
  assert.equal(unknown.queue.length, 0);
  assert.equal(unknown.stats.uplinksHeldNoRegion, 1);
});

test("session rotation through the client: three offers, three keys, no packet lost", async () => {
  const d = await startDevnet({ router: { sessionOfferIntervalMs: 200 } });
  devnets.push(d);
  d.lns.addAbpDevice(ABP);
  const clock = testClock();
  const c = client(d.ports.router, { clock });
  c.start();
  const keys = new Set<string>();
  let fCnt = 0;
  const started = Date.now();
  while ((keys.size < 3 || fCnt < 30) && Date.now() - started < 8000) {
    c.uplink(uplink(++fCnt, clock));
    if (c.sessionKey) keys.add(toHex(c.sessionKey));
    await sleep(60); // under the router's 25 packets/s per gateway
  }
  await until(() => d.router.packets.length === fCnt, 5000, "all packets");
  assert.ok(keys.size >= 3, `${keys.size} session keys`);
  assert.ok(d.router.packets.every((p) => p.verdict === "routed"), d.router.packets.map((p) => p.verdict).join());
  assert.ok(new Set(d.router.packets.map((p) => p.sessionKey)).size >= 3);
  c.stop();
});

test("router down at start, then killed mid-stream: reconnect, re-register, queued packets delivered", async () => {
  const probe = await startDevnet();
  const port = probe.ports.router;
  await probe.stop(); // nothing listens on `port` now
  const clock = testClock();
  const c = client(port, { clock });
  c.start();
  c.uplink(uplink(1, clock));
  await until(() => c.conduit.stats.failures >= 2, 5000, "failed attempts");
  let d = await startDevnet({ routerPort: port });
  devnets.push(d);
  d.lns.addAbpDevice(ABP);
  await until(() => d.router.packets.length === 1, 5000, "first packet after the router came up");
  d.servers.router.forceShutdown(); // killed mid-stream
  await until(() => c.state !== "session", 5000, "session lost");
  c.uplink(uplink(2, clock));
  c.uplink(uplink(3, clock));
  d = await startDevnet({ routerPort: port });
  devnets.push(d);
  d.lns.addAbpDevice(ABP);
  await until(() => d.router.packets.length === 2, 5000, "queued packets after restart");
  assert.deepEqual(d.router.packets.map((p) => p.verdict), ["routed", "routed"]);
  assert.equal(d.router.events.filter((e) => e.kind === "register").length, 1);
  assert.equal(c.queue.stats.droppedFull + c.queue.stats.droppedExpired, 0);
  c.stop();
});

test("config client: region params verified with the config key; a wrong key or signer is refused", async () => {
  const d = await startDevnet();
  devnets.push(d);
  const gatewayKey = nobleSigner();
  d.config.assert(heliumAddress(gatewayKey.publicKey), { region: 0, gain: 23 });
  const channel = channelTo(d.ports.config);
  const r = await fetchRegionParams({ channel, codec, gatewayKey, configKey: d.configKey.publicKeyBin, verify }, 99);
  assert.equal(r.region, 0);
  assert.equal(r.gain, 23);
  assert.ok(Math.abs(r.timestamp - Date.now() / 1000) < 5);
  // helium-protocol.md 8.8: the US915 plan bytes.
  assert.equal(toHex(r.paramsBytes), US915_PARAMS_HEX);
  const other = nobleSigner();
  await assert.rejects(fetchRegionParams({ channel, codec, gatewayKey, configKey: other.publicKey, verify }, 0), ConfigResponseError);
  // Right signer, forged signature: a verifier that rejects everything stands in for a bad signature.
  await assert.rejects(fetchRegionParams({ channel, codec, gatewayKey, configKey: d.configKey.publicKeyBin, verify: () => false }, 0), /signature/);
  channel.close();
});

test("region watcher: first fetch ~10 s after start, hourly after a success, 10 s after a first failure", async () => {
  const d = await startDevnet();
  devnets.push(d);
  const { RegionWatcher } = await import("../modules/region/config-client.js");
  const scheduled: { fn: () => void; ms: number }[] = [];
  const fakeTimers = {
    set: (fn: () => void, ms: number) => (scheduled.push({ fn, ms }), { id: scheduled.length }),
    repeat: () => ({ id: 0 }),
    clear: () => {},
  };
  const results: number[] = [];
  const errors: string[] = [];
  const w = new RegionWatcher({
    channel: channelTo(d.ports.config),
    codec,
    gatewayKey: nobleSigner(),
    configKey: d.configKey.publicKeyBin,
    verify,
    timers: fakeTimers,
    random: (b) => b.fill(0), // no jitter
    defaultRegion: 1,
    onParams: (r) => results.push(r.region),
    onError: (e) => errors.push(e.message),
  });
  w.start();
  assert.equal(scheduled[0].ms, 10000);
  scheduled[0].fn();
  await until(() => scheduled.length === 2, 5000, "after success");
  assert.deepEqual(results, [1]);
  assert.equal(scheduled[1].ms, 3600000);
  await d.stop(); // the config service goes away
  scheduled[1].fn();
  await until(() => scheduled.length === 3, 5000, "after failure");
  assert.equal(errors.length, 1);
  assert.equal(scheduled[2].ms, 10000);
  scheduled[2].fn();
  await until(() => scheduled.length === 4, 5000, "after second failure");
  assert.equal(scheduled[3].ms, 20000);
  assert.equal(w.current?.region, 1, "the last good params stay in force");
  w.stop();
});

test("with the compute core signing (gateway and session keys): the devnet verifies every packet with @noble", async () => {
  const { core: fullCore } = await import("./support/core.js");
  const { coreCodec, coreSigner, coreSessionKeys, coreVerify } = await import("../modules/router/core-deps.js");
  const { generateGatewayKey } = await import("../modules/identity/gateway-key.js");
  const { randomFillSync } = await import("node:crypto");
  const random = (b: Uint8Array) => void randomFillSync(b);
  const d = await startDevnet();
  devnets.push(d);
  d.lns.addAbpDevice(ABP);
  const clock = testClock();
  const gatewayKey = coreSigner(fullCore, generateGatewayKey(fullCore, random));
  const c = new PacketRouterClient({
    channel: channelTo(d.ports.router), timers, clock, random, codec: coreCodec(fullCore), gatewayKey,
    newSessionKey: coreSessionKeys(fullCore, random), region: () => 1, policy: { retries: 40, minMs: 50, maxMs: 300 }, initialDelayMs: 0,
  });
  clients.push(c);
  c.start();
  for (let i = 1; i <= 5; i++) c.uplink(uplink(i, clock));
  await until(() => d.router.packets.length === 5, 5000, "packets");
  assert.ok(d.router.packets.every((p) => p.verdict === "routed" && p.signedBy === "session"));
  const r = await fetchRegionParams({ channel: channelTo(d.ports.config), codec: coreCodec(fullCore), gatewayKey, configKey: d.configKey.publicKeyBin, verify: coreVerify(fullCore) }, 1);
  assert.equal(r.region, 1);
  assert.equal(d.config.requests.at(-1)?.outcome, "ok");
  c.stop();
});
