// The packet router client (modules/router) and Proof-of-Coverage (modules/poc) on the XS engine with
// the native core, over an in-memory gRPC network (tests/support/grpc-memory.ts) in virtual time.
// The server side sends messages encoded by protobufjs on Node (fixtures/network.js); everything
// the clients send is printed as an artifact and checked on Node with protobufjs and @noble
// (signatures verify, fields decode to what was fed in, beacons equal the reference beacon).
import { artifact, test } from "./harness.js";
import { equal, equalBytes, ok } from "./assert.js";
import fx from "./fixtures/network.js";
import { createNativeCore } from "../../modules/core/native.js";
import { Conduit } from "../../modules/grpc/conduit.js";
import { GrpcStatus } from "../../modules/grpc/status.js";
import { gatewayKeyFromSeed } from "../../modules/identity/gateway-key.js";
import { Poc, POC_STREAM_PATH } from "../../modules/poc/poc.js";
import type { BeaconTransmission, BeaconTxResult } from "../../modules/poc/types.js";
import type { ProtoMessage } from "../../modules/proto/values.js";
import { coreCodec, coreSessionKeys, coreSigner, coreVerify } from "../../modules/router/core-deps.js";
import { PacketRouterClient, ROUTE_PATH, type Downlink } from "../../modules/router/packet-router.js";
import { fromHex, toHex } from "../../modules/util/bytes.js";
import { MemoryGrpcChannel, type MemoryServerStream } from "../support/grpc-memory.js";
import { VirtualTime } from "../support/virtual-time.js";

const core = createNativeCore();
const codec = coreCodec(core);
const verify = coreVerify(core);
const hwRandom = native("xs_hw_random") as (bytes: Uint8Array) => void;
const gateway = gatewayKeyFromSeed(core, fromHex(fx.gatewaySeed));

/** The signature of `message` (a member of a decoded envelope) checked by the core, before Node checks it independently. */
function signedBy(name: string, message: ProtoMessage, key: Uint8Array): boolean {
  return verify(key, codec.encodeForSigning(name, message), message.signature as Uint8Array);
}

test("packet router: register, session, uplinks signed by the session key, a downlink, garbage, and a new session after the stream drops", () => {
  const vt = new VirtualTime(0, fx.wallMillis);
  const net = new MemoryGrpcChannel(vt.timers);
  net.serve(ROUTE_PATH, (stream) => stream.sendHeaders());
  const downlinks: Downlink[] = [];
  const client = new PacketRouterClient({
    channel: net.channel,
    timers: vt.timers,
    clock: vt.clock,
    random: hwRandom,
    codec,
    gatewayKey: coreSigner(core, gateway),
    newSessionKey: coreSessionKeys(core, hwRandom),
    region: () => fx.router.region,
    onDownlink: (d) => downlinks.push(d),
    initialDelayMs: 0,
    policy: { retries: 5, minMs: 1000, maxMs: 4000 },
  });
  client.start();
  vt.advance(10);
  equal(net.streams.length, 1);
  const first = net.streams[0];
  equal(client.state, "registered");
  equal(first.received.length, 1);
  const register = codec.decode("envelope_up_v1", first.received[0]).register as ProtoMessage;
  equalBytes(register.gateway as Uint8Array, gateway.publicKeyBin);
  ok(signedBy("packet_router_register_v1", register, gateway.publicKeyBin), "register signed by the gateway key");
  artifact("router-register", { envelope: toHex(first.received[0]) });

  first.send(fromHex(fx.router.offer));
  vt.advance(10);
  equal(client.state, "session");
  equal(first.received.length, 2);
  artifact("router-session-init", { envelope: toHex(first.received[1]) });

  for (const u of fx.router.uplinks) {
    client.uplink({ payload: fromHex(u.payload), tmst: u.tmst, rssi: u.rssi, snr: u.snr, frequency: u.frequency, datarate: u.datarate, receivedAt: vt.clock.millis() });
    vt.advance(5);
  }
  equal(first.received.length, 2 + fx.router.uplinks.length);
  equal(client.stats.uplinksSent, fx.router.uplinks.length);
  for (let i = 0; i < fx.router.uplinks.length; i++) artifact("router-packet-up", { envelope: toHex(first.received[2 + i]), index: i, session: 1 });

  first.send(fromHex(fx.router.downlink));
  vt.advance(10);
  equal(downlinks.length, 1);
  const expected = fx.router.expectedDownlink;
  equal(toHex(downlinks[0].payload), expected.payload);
  equal(JSON.stringify(downlinks[0].rx1), JSON.stringify(expected.rx1));
  equal(JSON.stringify(downlinks[0].rx2), JSON.stringify(expected.rx2));

  first.send(Uint8Array.of(0x0a, 0x05, 0x01));
  vt.advance(10);
  equal(client.stats.badMessages, 1, "an undecodable envelope is counted, not fatal");
  equal(client.state, "session");

  // The server drops the stream: uplinks wait in the queue until a new session exists.
  first.close(GrpcStatus.UNAVAILABLE, "server restart");
  vt.advance(10);
  equal(client.state, "connecting");
  const queued = fx.router.uplinks[0];
  client.uplink({ payload: fromHex(queued.payload), tmst: queued.tmst, rssi: queued.rssi, snr: queued.snr, frequency: queued.frequency, datarate: queued.datarate, receivedAt: vt.clock.millis() });
  equal(client.queue.length, 1);
  for (let waited = 0; net.streams.length < 2 && waited < 10_000; waited += 100) vt.advance(100);
  equal(net.streams.length, 2, "re-connected after the backoff");
  const second = net.streams[1];
  equal(second.received.length, 1, "a new register");
  second.send(fromHex(fx.router.offer));
  vt.advance(10);
  equal(client.state, "session");
  equal(second.received.length, 3, "session_init, then the queued uplink");
  equal(client.queue.length, 0);
  artifact("router-session-init", { envelope: toHex(second.received[1]) });
  artifact("router-packet-up", { envelope: toHex(second.received[2]), index: 0, session: 2 });
  client.stop();
});

test("PoC: ingest session, a beacon built from the entropy and region params, its report, and a witness report", () => {
  const vt = new VirtualTime(0, fx.wallMillis);
  const net = new MemoryGrpcChannel(vt.timers);
  net.serve(POC_STREAM_PATH, (stream) => {
    stream.sendHeaders();
    stream.send(fromHex(fx.poc.offer));
  });
  const sent: { tx: BeaconTransmission; wallMillis: number; tmst: number }[] = [];
  const radio = {
    transmit(tx: BeaconTransmission, done: (result: BeaconTxResult) => void) {
      const tmst = Math.floor(vt.clock.micros()) >>> 0;
      sent.push({ tx, wallMillis: vt.clock.wallMillis()!, tmst });
      vt.timers.set(() => done({ ok: true, powerDbm: tx.powerDbm - 2, tmst }), 1500);
    },
  };
  let fetches = 0;
  const entropy = {
    fetch(done: (r: { ok: true; entropy: { data: Uint8Array; timestamp: number; version: number } }) => void) {
      fetches++;
      done({ ok: true, entropy: { data: fromHex(fx.poc.entropy.data), timestamp: fx.poc.entropy.timestamp, version: fx.poc.entropy.version } });
    },
  };
  const poc = new Poc({
    core,
    clock: vt.clock,
    timers: vt.timers,
    random: hwRandom,
    gateway: { seed: gateway.seed, publicKeyBin: gateway.publicKeyBin },
    entropy,
    radio,
    intervalSeconds: 60,
  });
  const conduit = new Conduit({ channel: net.channel, path: POC_STREAM_PATH, timers: vt.timers, random: hwRandom, initialDelayMs: 0 }, poc.session);
  poc.attachTransport(conduit);
  conduit.start();
  vt.advance(10);
  equal(poc.session.state, "ready");
  const stream: MemoryServerStream = net.streams[0];
  equal(stream.received.length, 1);
  artifact("poc-session-init", { request: toHex(stream.received[0]) });

  poc.setRegion({ region: "EU868", params: fromHex(fx.poc.regionParams), gainX10: fx.poc.gainX10, timestampSeconds: Math.floor(fx.wallMillis / 1000) });
  poc.start();
  vt.advance(125_000);
  // No new beacons; one sent in the last 1.5 s still gets its confirmation and its report.
  poc.stop();
  vt.advance(2000);
  ok(sent.length >= 1, "a beacon within two 60 s windows");
  equal(fetches, sent.length, "fresh entropy for each beacon");
  const beacons = stream.received.slice(1);
  equal(beacons.length, sent.length, "one report per beacon");
  const b = sent[0];
  artifact("poc-beacon", {
    request: toHex(beacons[0]),
    frame: toHex(b.tx.frame),
    frequencyHz: b.tx.frequencyHz,
    datarate: b.tx.datarate,
    powerDbm: b.tx.powerDbm,
    usedDbm: b.tx.powerDbm - 2,
    tmst: b.tmst,
  });

  const w = fx.poc.witness;
  const before = stream.received.length;
  const heardAt = vt.clock.wallMillis()!;
  ok(poc.onFrame({ payload: fromHex(w.payload), tmst: w.tmst, rssi: w.rssi, signalRssi: w.signalRssi, snr: w.snr, freq: w.freq, datarate: w.datarate, crcOk: true }), "a beacon-shaped frame is PoC's");
  ok(!poc.onFrame({ payload: fromHex(w.payload), tmst: w.tmst, rssi: w.rssi, snr: w.snr, freq: w.freq, datarate: w.datarate, crcOk: false }), "a CRC-bad frame is not");
  vt.advance(10);
  equal(stream.received.length, before + 1, "one witness report");
  artifact("poc-witness", { request: toHex(stream.received[before]), wallMillis: heardAt });
  equal(poc.status().counters.witnessesSubmitted, 1);
  conduit.stop();
});
