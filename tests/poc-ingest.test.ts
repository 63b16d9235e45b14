// devnet/poc's ingest over real gRPC on loopback, driven by a grpc-js client written here:
// requests encoded with @helium/proto (reports) and protobufjs over devnet/proto (stream
// messages), signed with @noble/curves. Checks the offer/init handshake, session-key signatures,
// pub_key binding, the 5 s offer and 30 min session limits (shortened), and the unary submits.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { PocIngest } from "../devnet/poc/ingest.js";
import { startPocIngestServer } from "../devnet/poc/server.js";
import { PocVerifier, type RefusalResult } from "../devnet/poc/verifier.js";
import { PocWorld } from "../devnet/poc/world.js";
import { heliumStatic, loadOurProtos } from "./support/helium-protos.js";

const protos = loadOurProtos(true);
const Request = protos.lookupType("helium.poc_lora.lora_stream_request_v1");
const Response = protos.lookupType("helium.poc_lora.lora_stream_response_v1");
const SessionInit = protos.lookupType("helium.poc_lora.lora_stream_session_init_v1");
const WitnessStatic = heliumStatic("helium.poc_lora.lora_witness_report_req_v1")!;
const BeaconStatic = heliumStatic("helium.poc_lora.lora_beacon_report_req_v1")!;
const Resp = protos.lookupType("helium.poc_lora.lora_witness_report_resp_v1");

const rand = (n: number) => new Uint8Array(randomBytes(n));
const keyBin = (seed: Uint8Array) => Uint8Array.from([0x01, ...ed25519.getPublicKey(seed)]);

const raw = {
  requestSerialize: (b: Uint8Array) => Buffer.from(b),
  requestDeserialize: (b: Buffer) => new Uint8Array(b),
  responseSerialize: (b: Uint8Array) => Buffer.from(b),
  responseDeserialize: (b: Buffer) => new Uint8Array(b),
};
const Client = grpc.makeGenericClientConstructor(
  {
    stream_requests: { path: "/helium.poc_lora.poc_lora/stream_requests", requestStream: true, responseStream: true, ...raw },
    submit_lora_witness: { path: "/helium.poc_lora.poc_lora/submit_lora_witness", requestStream: false, responseStream: false, ...raw },
    submit_lora_beacon: { path: "/helium.poc_lora.poc_lora/submit_lora_beacon", requestStream: false, responseStream: false, ...raw },
  },
  "poc_lora",
);

let server: Awaited<ReturnType<typeof startPocIngestServer>>;
let ingest: PocIngest;
let verifier: PocVerifier;
let client: InstanceType<typeof Client>;

before(async () => {
  verifier = new PocVerifier(new PocWorld());
  ingest = new PocIngest({
    verifier,
    now: () => Date.now(),
    timers: { set: (cb, ms) => setTimeout(cb, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
    random: rand,
    offerTimeoutMs: 500,
    sessionLifetimeMs: 1000,
  });
  server = await startPocIngestServer(ingest);
  client = new Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  // connect first, so the shortened offer timeout measures the protocol and not the TCP set-up
  await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 5000, (e) => (e ? reject(e) : resolve())));
});
after(async () => {
  client.close();
  await server.close();
});

/** A witness report (gateway-rs fields), signed over its encoding without signature by `signer`. */
function witness(pubKey: Uint8Array, signer: Uint8Array): object {
  const fields = { pubKey, data: rand(51), timestamp: 1_700_000_000_123_456_789n.toString(), tmst: 42, signal: -1150, snr: -75, frequency: 867300000, datarate: "SF9BW125" };
  const msg = WitnessStatic.fromObject(fields);
  const signature = ed25519.sign(WitnessStatic.encode(msg).finish(), signer);
  return WitnessStatic.fromObject({ ...fields, signature });
}

function beacon(pubKey: Uint8Array, signer: Uint8Array): object {
  const fields = { pubKey, localEntropy: rand(4), remoteEntropy: rand(32), data: rand(51), frequency: 867300000, txPower: 14, timestamp: "1700000000123456789", tmst: 7 };
  const signature = ed25519.sign(BeaconStatic.encode(BeaconStatic.fromObject(fields)).finish(), signer);
  return BeaconStatic.fromObject({ ...fields, signature });
}

function request(member: "witness_report" | "beacon_report" | "session_init", encoded: Uint8Array): Uint8Array {
  const type = member === "session_init" ? SessionInit : member === "witness_report" ? protos.lookupType("helium.poc_lora.lora_witness_report_req_v1") : protos.lookupType("helium.poc_lora.lora_beacon_report_req_v1");
  return Request.encode(Request.fromObject({ [member]: type.toObject(type.decode(encoded)) })).finish();
}

interface Opened {
  call: grpc.ClientDuplexStream<Uint8Array, Uint8Array>;
  nonce: Uint8Array;
  status: Promise<grpc.StatusObject>;
}

async function open(): Promise<Opened> {
  const call = client.stream_requests() as grpc.ClientDuplexStream<Uint8Array, Uint8Array>;
  const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
  call.on("error", () => {});
  const first = await new Promise<Uint8Array>((resolve) => call.once("data", resolve));
  const offer = Response.toObject(Response.decode(first)) as { offer?: { nonce: Uint8Array } };
  assert.ok(offer.offer, "the server speaks first with an offer");
  assert.equal(offer.offer.nonce.length, 32);
  return { call, nonce: new Uint8Array(offer.offer.nonce), status };
}

function sessionInit(gatewaySeed: Uint8Array, sessionSeed: Uint8Array, nonce: Uint8Array, signer = gatewaySeed): Uint8Array {
  const fields = { pub_key: keyBin(gatewaySeed), nonce, session_key: keyBin(sessionSeed) };
  const signature = ed25519.sign(SessionInit.encode(SessionInit.fromObject(fields)).finish(), signer);
  return request("session_init", SessionInit.encode(SessionInit.fromObject({ ...fields, signature })).finish());
}

const enc = (codec: { encode(m: object): { finish(): Uint8Array } }, m: object) => codec.encode(m).finish();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits (up to 5 s: the machine is shared) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  for (const start = Date.now(); !done() && Date.now() - start < 5000; ) await sleep(10);
}
const lastRefusal = () => verifier.results({ kind: "refused" }).at(-1) as RefusalResult;

test("offer -> session_init signed by the gateway key -> reports signed by the session key are accepted", async () => {
  const gw = rand(32);
  const session = rand(32);
  const { call, nonce } = await open();
  call.write(sessionInit(gw, session, nonce));
  call.write(request("witness_report", enc(WitnessStatic, witness(keyBin(gw), session))));
  call.write(request("beacon_report", enc(BeaconStatic, beacon(keyBin(gw), session))));
  await until(() => ingest.stats.beaconsAccepted + ingest.stats.refused > 0);
  assert.deepEqual(verifier.results({ kind: "refused" }), []);
  assert.equal(ingest.stats.witnessesAccepted, 1);
  assert.equal(ingest.stats.beaconsAccepted, 1);
  const w = verifier.witnesses().at(-1)!;
  assert.equal(w.signal, -1150);
  assert.equal(w.snr, -75);
  call.end();
});

test("a report signed by the gateway key instead of the session key is refused and the stream closed", async () => {
  const gw = rand(32);
  const { call, nonce, status } = await open();
  call.write(sessionInit(gw, rand(32), nonce));
  call.write(request("witness_report", enc(WitnessStatic, witness(keyBin(gw), gw))));
  const s = await status;
  assert.equal(s.code, grpc.status.PERMISSION_DENIED);
  assert.equal(lastRefusal().reason, "invalid_signature");
});

test("a report whose pub_key is not the session's gateway is refused", async () => {
  const gw = rand(32);
  const session = rand(32);
  const { call, nonce, status } = await open();
  call.write(sessionInit(gw, session, nonce));
  call.write(request("witness_report", enc(WitnessStatic, witness(keyBin(rand(32)), session))));
  assert.equal((await status).code, grpc.status.PERMISSION_DENIED);
  assert.equal(lastRefusal().reason, "pub_key_mismatch");
});

test("bad session_init: wrong nonce, signed by another key, a testnet key; reports before init", async () => {
  const cases: [string, (o: Opened) => Uint8Array, string][] = [
    ["wrong nonce", () => sessionInit(rand(32), rand(32), rand(32)), "bad_session_init"],
    ["wrong signer", (o) => sessionInit(rand(32), rand(32), o.nonce, rand(32)), "bad_session_init"],
    ["report first", () => request("witness_report", enc(WitnessStatic, witness(keyBin(rand(32)), rand(32)))), "no_session"],
    ["garbage", () => Uint8Array.from([0x0a, 0xff, 0xff]), "malformed"],
  ];
  for (const [name, message, reason] of cases) {
    const o = await open();
    o.call.write(message(o));
    const s = await o.status;
    assert.notEqual(s.code, grpc.status.OK, name);
    assert.equal(lastRefusal().reason, reason, name);
  }
  // a testnet gateway key (tag 0x11) is not accepted by a mainnet ingest
  const o = await open();
  const gw = rand(32);
  const fields = { pub_key: Uint8Array.from([0x11, ...ed25519.getPublicKey(gw)]), nonce: o.nonce, session_key: keyBin(rand(32)) };
  const signature = ed25519.sign(SessionInit.encode(SessionInit.fromObject(fields)).finish(), gw);
  o.call.write(request("session_init", SessionInit.encode(SessionInit.fromObject({ ...fields, signature })).finish()));
  assert.notEqual((await o.status).code, grpc.status.OK);
  assert.match(lastRefusal().detail, /mainnet/);
});

test("no session_init within the offer timeout closes the stream; a session ends after its lifetime", async () => {
  const o = await open();
  const started = Date.now();
  const s = await o.status;
  assert.equal(s.code, grpc.status.DEADLINE_EXCEEDED);
  assert.ok(Date.now() - started >= 450, "not before the timeout");
  const gw = rand(32);
  const session = rand(32);
  const p = await open();
  p.call.write(sessionInit(gw, session, p.nonce));
  await sleep(600); // past the offer timeout: the session holds
  p.call.write(request("witness_report", enc(WitnessStatic, witness(keyBin(gw), session))));
  const end = await p.status;
  assert.equal(end.code, grpc.status.OK);
  assert.ok(ingest.stats.sessionExpiries >= 1);
});

test("unary submits: accepted when signed by the report's pub_key, refused otherwise", async () => {
  const gw = rand(32);
  const ok = await new Promise<Uint8Array>((resolve, reject) =>
    client.submit_lora_witness(enc(WitnessStatic, witness(keyBin(gw), gw)), (e: Error | null, r: Uint8Array) => (e ? reject(e) : resolve(r))),
  );
  const id = (Resp.toObject(Resp.decode(ok)) as { id: string }).id;
  assert.equal(verifier.result(id)?.kind, "witness");
  const bad = await new Promise<grpc.ServiceError>((resolve) =>
    client.submit_lora_beacon(enc(BeaconStatic, beacon(keyBin(gw), rand(32))), (e: grpc.ServiceError | null) => resolve(e!)),
  );
  assert.equal(bad.code, grpc.status.PERMISSION_DENIED);
  assert.equal(lastRefusal().reason, "invalid_signature");
});
