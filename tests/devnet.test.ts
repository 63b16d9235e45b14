// The devnet as the hotspot will meet it, driven through our own gRPC client (modules/grpc) with a
// test-side "hotspot" that encodes with protobufjs and signs with @noble (modules/router comes later).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { loraPacket as lp } from "../devnet/lora.js";
import { startDevnet, type Devnet } from "../devnet/devnet.js";
import { encode, decode, signedBytes, type Plain } from "../devnet/proto.js";
import { heliumAddress } from "../devnet/keys.js";
import { GrpcStatus, GrpcError } from "../modules/grpc/status.js";
import type { GrpcCall } from "../modules/grpc/call.js";
import { channelTo, until, sleep } from "./support/grpc-servers.js";

const UP = "helium.packet_router.envelope_up_v1";
const DOWN = "helium.packet_router.envelope_down_v1";

const devnets: Devnet[] = [];
after(async () => {
  for (const d of devnets) await d.stop();
});
async function devnet(opts: Parameters<typeof startDevnet>[0] = {}): Promise<Devnet> {
  const d = await startDevnet(opts);
  devnets.push(d);
  return d;
}

function keyBin(secret: Uint8Array): Uint8Array {
  return new Uint8Array([0x01, ...ed25519.getPublicKey(secret)]);
}

/** A test-side hotspot speaking the router protocol over our gRPC client. */
class TestHotspot {
  readonly secret = ed25519.utils.randomSecretKey();
  readonly gateway = keyBin(this.secret);
  readonly address = heliumAddress(this.gateway);
  session: Uint8Array | undefined;
  sessionKeys: string[] = [];
  downs: Plain[] = [];
  status: { code: number } | undefined;
  call!: GrpcCall;

  constructor(private readonly d: Devnet, private readonly autoSession = true) {}

  open(): void {
    const ch = channelTo(this.d.ports.router);
    this.call = ch.startCall("/helium.packet_router.packet/route", {
      onMessage: (m) => {
        const env = decode(DOWN, m);
        this.downs.push(env);
        if (env.session_offer && this.autoSession) this.sessionInit((env.session_offer as Plain).nonce as Uint8Array);
      },
      onStatus: (s) => (this.status = s),
    });
    this.register();
  }

  register(sign = this.secret): void {
    const reg: Plain = { timestamp: String(Date.now()), gateway: this.gateway, session_capable: true };
    reg.signature = ed25519.sign(signedBytes("helium.packet_router.packet_router_register_v1", reg), sign);
    this.send({ register: reg });
  }

  sessionInit(nonce: Uint8Array): void {
    const secret = ed25519.utils.randomSecretKey();
    const init: Plain = { gateway: this.gateway, nonce, session_key: keyBin(secret) };
    init.signature = ed25519.sign(signedBytes("helium.packet_router.packet_router_session_init_v1", init), this.secret);
    this.send({ session_init: init });
    this.session = secret;
    this.sessionKeys.push(heliumAddress(keyBin(secret)));
  }

  packetUp(payload: Uint8Array, extra: Plain = {}, tamper?: (bytes: Uint8Array) => void): void {
    const up: Plain = { payload, timestamp: "1000000", rssi: -80, frequency: 868100000, datarate: 0, snr: 5.5, region: 1, hold_time: "3", gateway: this.gateway, ...extra };
    up.signature = ed25519.sign(signedBytes("helium.packet_router.packet_router_packet_up_v1", up), this.session ?? this.secret);
    const bytes = encode(UP, { packet: up });
    tamper?.(bytes);
    this.call.write(bytes);
  }

  send(env: Plain): void {
    assert.equal(this.call.write(encode(UP, env)), true);
  }
}

const ABP = { devAddr: "48000a01", nwkSKey: "2b7e151628aed2a6abf7158809cf4f3c", appSKey: "000102030405060708090a0b0c0d0e0f" };
function abpUplink(fCnt: number, confirmed = false, data = "hello"): Uint8Array {
  const p = lp.fromFields(
    { MType: confirmed ? "Confirmed Data Up" : "Unconfirmed Data Up", DevAddr: Buffer.from(ABP.devAddr, "hex"), FCnt: fCnt, FPort: 2, payload: Buffer.from(data) },
    Buffer.from(ABP.appSKey, "hex"),
    Buffer.from(ABP.nwkSKey, "hex"),
  );
  return new Uint8Array(p.getPHYPayload()!);
}

test("register, session offer/init, packet_up signed by the session key: routed, decoded by the LNS", async () => {
  const d = await devnet();
  d.lns.addAbpDevice(ABP);
  const h = new TestHotspot(d);
  h.open();
  await until(() => h.session !== undefined && d.router.events.some((e) => e.kind === "session_init"), 5000, "session");
  h.packetUp(abpUplink(1));
  await until(() => d.router.packets.length === 1, 5000, "packet");
  assert.equal(d.router.packets[0].verdict, "routed");
  assert.equal(d.router.packets[0].signedBy, "session");
  assert.equal(d.router.packets[0].sessionKey, h.sessionKeys[0]);
  assert.equal(d.router.packets[0].rssi, -80);
  const up = d.lns.events.find((e) => e.kind === "uplink")!;
  assert.equal(up.devAddr, ABP.devAddr);
  assert.equal(Buffer.from(up.data!, "hex").toString(), "hello");
  assert.equal(up.gateway, h.address);
  h.call.cancel();
});

test("packet checks in HPR order: type, gateway, signature (a tampered byte), duplicates, rate, canonical form", async () => {
  const d = await devnet();
  d.lns.addAbpDevice(ABP);
  const h = new TestHotspot(d);
  h.open();
  await until(() => h.session !== undefined && d.router.events.some((e) => e.kind === "session_init"), 5000, "session");
  const verdicts = () => d.router.packets.map((p) => p.verdict);
  h.packetUp(new Uint8Array(Buffer.from("600a0000480000000000", "hex"))); // a downlink frame
  h.packetUp(abpUplink(2), { gateway: keyBin(ed25519.utils.randomSecretKey()) });
  h.packetUp(abpUplink(3), {}, (bytes) => (bytes[10] ^= 0x01)); // a payload byte flipped after signing
  h.packetUp(abpUplink(4));
  h.packetUp(abpUplink(4)); // same payload within 1 s
  await until(() => d.router.packets.length === 5, 5000, "five packets");
  assert.deepEqual(verdicts(), ["invalid_packet_type", "wrong_gateway", "bad_signature", "routed", "throttled_duplicate"]);
  // A zero field written explicitly is not what prost emits: the envelope is refused as non-canonical.
  const up: Plain = { payload: abpUplink(5), gateway: h.gateway };
  up.signature = ed25519.sign(signedBytes("helium.packet_router.packet_router_packet_up_v1", up), h.session!);
  const canonical = encode(UP, { packet: up });
  const inner = encode("helium.packet_router.packet_router_packet_up_v1", up);
  const withZeroRssi = Buffer.concat([Buffer.from(inner), Buffer.from([0x18, 0x00])]);
  h.call.write(Buffer.concat([Buffer.from([0x12, withZeroRssi.length]), withZeroRssi]));
  await until(() => d.router.packets.length === 6, 5000, "non-canonical packet");
  assert.equal(d.router.packets[5].verdict, "non_canonical");
  assert.ok(canonical.length > 0);
  // 25 packets per second per gateway: the 26th distinct packet inside a second is throttled.
  for (let i = 0; i < 30; i++) h.packetUp(abpUplink(100 + i));
  await until(() => d.router.packets.length === 36, 5000, "burst");
  const burst = d.router.packets.slice(6).map((p) => p.verdict);
  assert.ok(burst.filter((v) => v === "throttled_gateway").length >= 5, burst.join(","));
  h.call.cancel();
});

test("a register with a bad signature closes the stream", async () => {
  const d = await devnet();
  const h = new TestHotspot(d);
  const ch = channelTo(d.ports.router);
  h.call = ch.startCall("/helium.packet_router.packet/route", { onStatus: (s) => (h.status = s) });
  h.register(ed25519.utils.randomSecretKey());
  await until(() => h.status !== undefined, 5000, "stream end");
  assert.ok(d.router.events.some((e) => e.kind === "register_rejected" && e.detail === "invalid_signature"));
});

test("OTAA join answered with a join-accept in RX1 (+5 s); a confirmed uplink is ACKed in RX1 (+1 s) with RX2", async () => {
  const d = await devnet();
  const dev = { devEui: "0004a30b001c0530", joinEui: "70b3d57ed0000001", appKey: "8d7ffe4b1e2b8c0f5e3a9e6c2f1b3a4d" };
  d.lns.addOtaaDevice(dev);
  const h = new TestHotspot(d);
  h.open();
  await until(() => h.session !== undefined && d.router.events.some((e) => e.kind === "session_init"), 5000, "session");
  const appKey = Buffer.from(dev.appKey, "hex");
  const devNonce = randomBytes(2);
  const jr = lp.fromFields({ MType: "Join Request", AppEUI: Buffer.from(dev.joinEui, "hex"), DevEUI: Buffer.from(dev.devEui, "hex"), DevNonce: devNonce }, undefined, undefined, appKey);
  h.packetUp(new Uint8Array(jr.getPHYPayload()!), { timestamp: "2000000" });
  await until(() => h.downs.some((e) => e.packet), 5000, "join accept");
  const down = h.downs.find((e) => e.packet)!.packet as Plain;
  const rx1 = down.rx1 as Plain;
  assert.equal(rx1.timestamp, "7000000");
  assert.equal(rx1.frequency, 868100000);
  const accept = lp.fromWire(lp.decryptJoinAccept(lp.fromWire(Buffer.from(down.payload as Uint8Array)), appKey));
  assert.equal(accept.getMType(), "Join Accept");
  assert.equal(lp.verifyMIC(accept, undefined, appKey), true);
  const keys = lp.generateSessionKeys(appKey, accept.NetID!, accept.AppNonce!, devNonce);
  const conf = lp.fromFields({ MType: "Confirmed Data Up", DevAddr: accept.DevAddr!, FCnt: 1, FPort: 1, payload: Buffer.from("temp=21") }, keys.AppSKey, keys.NwkSKey);
  h.packetUp(new Uint8Array(conf.getPHYPayload()!), { timestamp: "9000000" });
  await until(() => h.downs.filter((e) => e.packet).length === 2, 5000, "ack");
  const ack = h.downs.filter((e) => e.packet)[1].packet as Plain;
  assert.equal((ack.rx1 as Plain).timestamp, "10000000");
  assert.equal((ack.rx2 as Plain).timestamp, "11000000");
  assert.equal((ack.rx2 as Plain).frequency, 869525000);
  const ackFrame = lp.fromWire(Buffer.from(ack.payload as Uint8Array));
  assert.equal(ackFrame.getFCtrlACK(), true);
  assert.equal(lp.verifyMIC(ackFrame, keys.NwkSKey), true);
  assert.deepEqual(d.lns.events.map((e) => e.kind), ["join_accepted", "uplink", "confirmed_ack"]);
  h.call.cancel();
});

test("session rotation: three offers give three session keys and no packet is lost", async () => {
  const d = await devnet({ router: { sessionOfferIntervalMs: 250 } });
  d.lns.addAbpDevice(ABP);
  const h = new TestHotspot(d);
  h.open();
  let fCnt = 1;
  const started = Date.now();
  let afterThird = 0;
  while (afterThird < 5 && Date.now() - started < 8000) {
    if (h.session) h.packetUp(abpUplink(fCnt++));
    if (h.sessionKeys.length >= 3) afterThird++;
    await sleep(40);
  }
  await sleep(100);
  assert.ok(h.sessionKeys.length >= 3);
  assert.equal(new Set(h.sessionKeys).size, h.sessionKeys.length);
  await until(() => d.router.packets.length === fCnt - 1, 3000, "all packets");
  assert.ok(d.router.packets.every((p) => p.verdict === "routed"), d.router.packets.map((p) => p.verdict).join(","));
  const used = new Set(d.router.packets.map((p) => p.sessionKey));
  assert.ok(used.size >= 3, `packets were signed under ${used.size} session keys`);
  h.call.cancel();
});

test("config service: signed region params for the asserted region and gain; a bad request signature is refused", async () => {
  const d = await devnet();
  const secret = ed25519.utils.randomSecretKey();
  const gateway = keyBin(secret);
  d.config.assert(heliumAddress(gateway), { region: 0, gain: 12 });
  const ch = channelTo(d.ports.config);
  const REQ = "helium.iot_config.gateway_region_params_req_v1";
  const RES = "helium.iot_config.gateway_region_params_res_v1";
  const req: Plain = { region: 1, address: gateway };
  req.signature = ed25519.sign(signedBytes(REQ, req), secret);
  const res = decode(RES, await ch.unary("/helium.iot_config.gateway/region_params", encode(REQ, req)));
  assert.equal(res.region, undefined, "US915 (0) is omitted on the wire"); // asserted US915 wins over EU868
  assert.equal(res.gain, "12");
  assert.deepEqual(new Uint8Array(res.signer as Uint8Array), d.configKey.publicKeyBin);
  const signed = signedBytes(RES, res);
  assert.equal(ed25519.verify(res.signature as Uint8Array, signed, d.configKey.publicKeyBin.subarray(1)), true);
  signed[signed.length - 1] ^= 1;
  assert.equal(ed25519.verify(res.signature as Uint8Array, signed, d.configKey.publicKeyBin.subarray(1)), false);
  const channels = ((res.params as Plain).region_params as Plain[]).map((p) => p.channel_frequency);
  assert.deepEqual(channels, ["903900000", "904100000", "904300000", "904500000", "904700000", "904900000", "905100000", "905300000"]);
  const bad = { ...req, signature: ed25519.sign(signedBytes(REQ, req), ed25519.utils.randomSecretKey()) };
  await assert.rejects(ch.unary("/helium.iot_config.gateway/region_params", encode(REQ, bad)), (e: unknown) => e instanceof GrpcError && e.code === GrpcStatus.PERMISSION_DENIED);
  ch.close();
});

test("entropy service: current report over gRPC, renewed on its interval", async () => {
  const d = await devnet({ entropyIntervalMs: 150 });
  const ch = channelTo(d.ports.entropy);
  const first = decode("helium.entropy_report_v1", await ch.unary("/helium.poc_entropy.poc_entropy/entropy", new Uint8Array(0)));
  assert.equal((first.data as Uint8Array).length, 32);
  assert.ok(Math.abs(Number(first.timestamp) - Date.now() / 1000) < 5);
  await sleep(400);
  const second = decode("helium.entropy_report_v1", await ch.unary("/helium.poc_entropy.poc_entropy/entropy", new Uint8Array(0)));
  assert.notDeepEqual(second.data, first.data);
  assert.ok(d.entropy.history.length >= 3);
  ch.close();
});
