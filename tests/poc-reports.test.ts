// Byte compatibility of the hotspot's PoC reports (modules/poc) with the spec's vectors (8.6 beacon
// V1, 8.7 witness and beacon report encodings): first the report builders with the vector inputs,
// then the whole pipeline (a received frame -> witness report; entropy -> beacon -> beacon report),
// decoded with @helium/proto and signature-checked with @noble/curves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ed25519 } from "@noble/curves/ed25519.js";
import { encodeForSigning } from "../modules/proto/codec.js";
import { beaconReportFields, witnessReportFields, unixNanos } from "../modules/poc/reports.js";
import { Poc } from "../modules/poc/poc.js";
import { gatewayKeyFromSeed } from "../modules/identity/gateway-key.js";
import { core } from "./support/core.js";
import { VirtualTime } from "./support/virtual-time.js";
import { FakeEntropy, FakeRadio, RecordingTransport, seededRandom } from "./support/poc-rig.js";
import { heliumStatic, loadOurProtos } from "./support/helium-protos.js";
import { VECTORS } from "./support/vectors.js";

const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const GATEWAY_SEED = hex("f8374ea8637b16cb24fa88566e77c6aa".repeat(2)); // spec 5.5 vector 1
const GATEWAY = hex("01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09");
const V1_DATA = hex("a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e");
const V1_REMOTE = new Uint8Array(Buffer.from("CE98+3O9JaKJYQqNO7vCF94iOVasA/TaWfdcpvLmcWs=", "base64"));
const WITNESS_87 =
  "122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a091a33a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e20959a97ece39fe7cb1728959aef3a30fb1138b5ffffffffffffffff0140a0e5c79d03";
const BEACON_87 =
  "122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a091a04010203042220084f7cfb73bd25a289610a8d3bbbc217de223956ac03f4da59f75ca6f2e6716b2a33a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e30a0e5c79d03480e50959a97ece39fe7cb17";
const EU868 = hex(VECTORS.eu868_region_params.blockchainRegionParamsV1Hex);
const TS_NS = 1_700_000_000_123_456_789n;
const TS_87 = "959a97ece39fe7cb17"; // varint of TS_NS, as in both vectors

const protos = loadOurProtos(true);
const Request = protos.lookupType("helium.poc_lora.lora_stream_request_v1");
const Witness = heliumStatic("helium.poc_lora.lora_witness_report_req_v1")!;
const BeaconReport = heliumStatic("helium.poc_lora.lora_beacon_report_req_v1")!;

function varint(v: bigint): string {
  let out = "";
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out += b.toString(16).padStart(2, "0");
  } while (v > 0n);
  return out;
}

test("report builders with the vector inputs give the 8.7 witness and beacon report bytes", () => {
  const witness = witnessReportFields({
    pubKey: GATEWAY, data: V1_DATA, timestampNs: TS_NS, tmst: 123456789, rssiDbm: -115, snrDb: -7.5, frequencyHz: 867300000, datarate: 0,
  });
  assert.equal(toHex(encodeForSigning(core, "lora_witness_report_req_v1", witness)), WITNESS_87);
  const beacon = beaconReportFields({
    pubKey: GATEWAY, localEntropy: hex("01020304"), remoteEntropy: V1_REMOTE, data: V1_DATA, frequencyHz: 867300000, datarate: 0,
    txPowerDbm: 14, timestampNs: TS_NS, tmst: 0,
  });
  assert.equal(toHex(encodeForSigning(core, "lora_beacon_report_req_v1", beacon)), BEACON_87);
  // signal is whole dBm x 10 (half away from zero), snr deci-dB truncated toward zero
  const f = (rssiDbm: number, snrDb: number) => witnessReportFields({ pubKey: GATEWAY, data: V1_DATA, timestampNs: 1n, tmst: 0, rssiDbm, snrDb, frequencyHz: 1, datarate: 0 });
  assert.deepEqual([f(-114.5, -7.25).signal, f(-114.5, -7.25).snr], [-1150, -72]);
  assert.deepEqual([f(-114.4, 9.75).signal, f(-114.4, 9.75).snr], [-1140, 97]);
  assert.equal(unixNanos(1_700_000_000_123.456), 1_700_000_000_123_456_000n);
});

/** The signed report inside one stream request, decoded with @helium/proto, and its unsigned bytes. */
function openRequest(bytes: Uint8Array, member: "witness_report" | "beacon_report") {
  const outer = Request.toObject(Request.decode(bytes)) as Record<string, Record<string, unknown>>;
  assert.ok(outer[member], `request carries ${member}`);
  const inner = protos.lookupType(`helium.poc_lora.lora_${member === "witness_report" ? "witness" : "beacon"}_report_req_v1`);
  const innerBytes = inner.encode(inner.fromObject(outer[member])).finish();
  const codec = member === "witness_report" ? Witness : BeaconReport;
  const decoded = codec.decode(innerBytes) as Record<string, unknown>;
  const signature = new Uint8Array(decoded.signature as Uint8Array);
  delete decoded.signature; // decoded messages hold only fields that were on the wire
  return { decoded, signature, unsigned: codec.encode(decoded).finish() };
}

function rig(wallBaseMillis: number | undefined, random = seededRandom(7)) {
  const vt = new VirtualTime(5_000_000, wallBaseMillis);
  const radio = new FakeRadio(vt, 1000);
  const gateway = gatewayKeyFromSeed(core, GATEWAY_SEED);
  const entropy = new FakeEntropy(() => ({ data: V1_REMOTE, timestamp: 1663702455, version: 0 }));
  const poc = new Poc({ core, clock: vt.clock, timers: vt.timers, random, gateway, entropy, radio, intervalSeconds: 60 });
  const transport = new RecordingTransport();
  poc.attachTransport(transport);
  // the server's offer
  const Response = protos.lookupType("helium.poc_lora.lora_stream_response_v1");
  poc.session.onOpen();
  poc.session.onMessage(Response.encode(Response.fromObject({ offer: { nonce: new Uint8Array(32).fill(5) } })).finish());
  const init = (Request.toObject(Request.decode(transport.sent[0])) as { session_init: { session_key: Uint8Array } }).session_init;
  return { vt, radio, poc, transport, sessionKey: new Uint8Array(init.session_key).subarray(1) };
}

test("pipeline: a received V1 beacon frame becomes the 8.7 witness report (µs timestamp), signed by the session key", () => {
  const { poc, transport, sessionKey, vt } = rig(1_700_000_000_000 - 5_000); // wall = 1700000000.000 s at start
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  vt.advance(123.456789);
  const handled = poc.onFrame({ payload: Uint8Array.from([0xe0, ...V1_DATA]), tmst: 123456789, rssi: -115, snr: -7.5, freq: 867300000, datarate: "SF12BW125", crcOk: true });
  assert.equal(handled, true);
  const { decoded, signature, unsigned } = openRequest(transport.sent.at(-1)!, "witness_report");
  const ts = BigInt(String(decoded.timestamp));
  assert.equal(ts, 1_700_000_000_123_457_000n, "the build time in ns at the clock's µs resolution");
  assert.equal(toHex(unsigned), WITNESS_87.replace(TS_87, varint(ts)));
  assert.ok(ed25519.verify(signature, unsigned, sessionKey), "signed by the session key");
  assert.ok(!ed25519.verify(signature, unsigned, gatewayKeyFromSeed(core, GATEWAY_SEED).publicKey));
});

test("pipeline: entropy V1 + local 01020304 + EU868 at gain 1.2 dBi -> the V1 beacon on air and the 8.7 beacon report", () => {
  // every 4-byte draw is 01020304: the local entropy, and (harmlessly) the schedule's draws
  const scripted = seededRandom(3);
  const random = (bytes: Uint8Array) => (bytes.length === 4 ? bytes.set([1, 2, 3, 4]) : scripted(bytes));
  const { poc, transport, sessionKey, vt, radio } = rig(1_700_000_000_000, random);
  radio.tmstOverride = 0;
  poc.setRegion({ region: "EU868", params: EU868, gainX10: 12 });
  poc.start();
  vt.advance(2 * 60_000);
  assert.ok(radio.sent.length >= 1);
  const { tx } = radio.sent[0];
  assert.equal(toHex(tx.frame), "e0" + toHex(V1_DATA));
  assert.deepEqual([tx.frequencyHz, tx.datarate, tx.powerDbm, tx.invertIq, tx.codingRate, tx.crc], [867300000, "SF12BW125", 14, false, 5, true]);
  const { decoded, signature, unsigned } = openRequest(transport.sent[1], "beacon_report");
  const ts = BigInt(String(decoded.timestamp));
  assert.equal(toHex(unsigned), BEACON_87.replace(TS_87, varint(ts)));
  assert.ok(ed25519.verify(signature, unsigned, sessionKey));
});
