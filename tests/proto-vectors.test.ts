// The spec's canonical encodings, byte for byte (helium-protocol.md 8.7 and 8.8, checked there
// against the protobuf reference library), the EU868 plan from helium/proto's beacon crate test,
// and the gateway-rs README add-gateway transaction — encoded by us and decoded back by us.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeMessage, encodeForSigning, encodeMessage } from "../modules/proto/codec.js";
import { DATA_RATE, REGION_SPREADING } from "../modules/proto/schema.js";
import type { ProtoMessage } from "../modules/proto/values.js";
import { loadProtoCore } from "./support/proto-core.js";

const { core } = loadProtoCore();
const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const b64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");

// helium-protocol.md 5.5 vector 1 (gateway key, binary) and 8.6 V1 (beacon data, remote entropy).
const GATEWAY = hex("01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09");
const V1_DATA = hex("a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e");
const V1_REMOTE = b64("CE98+3O9JaKJYQqNO7vCF94iOVasA/TaWfdcpvLmcWs=");

/** Encodes, compares with the vector, decodes back and compares every given field. */
function roundTrip(name: string, value: ProtoMessage, expectedHex: string): ProtoMessage {
  const bytes = encodeMessage(core, name, value);
  assert.equal(toHex(bytes), expectedHex, `${name} bytes`);
  const decoded = decodeMessage(core, name, bytes);
  for (const [k, v] of Object.entries(value)) assert.deepEqual(decoded[k], v, `${name}.${k} decoded`);
  return decoded;
}

test("8.7 witness report (unsigned): sint32 signal, 10-byte int32 snr, SF12BW125 omitted", () => {
  roundTrip(
    "lora_witness_report_req_v1",
    {
      pub_key: GATEWAY, data: V1_DATA, timestamp: 1700000000123456789n, tmst: 123456789, signal: -1150, snr: -75,
      frequency: 867300000n, datarate: DATA_RATE.SF12BW125,
    },
    "122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a091a33a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e20959a97ece39fe7cb1728959aef3a30fb1138b5ffffffffffffffff0140a0e5c79d03",
  );
});

test("8.7 beacon report (unsigned)", () => {
  roundTrip(
    "lora_beacon_report_req_v1",
    {
      pub_key: GATEWAY, local_entropy: hex("01020304"), remote_entropy: V1_REMOTE, data: V1_DATA, frequency: 867300000n,
      channel: 0, datarate: 0, tx_power: 14, timestamp: 1700000000123456789n, tmst: 0,
    },
    "122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a091a04010203042220084f7cfb73bd25a289610a8d3bbbc217de223956ac03f4da59f75ca6f2e6716b2a33a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e30a0e5c79d03480e50959a97ece39fe7cb17",
  );
});

test("8.7 packet_up (unsigned): float snr, US915 omitted", () => {
  roundTrip(
    "packet_router_packet_up_v1",
    {
      payload: hex("4047a5650080822902d6031b3d8ca5d38fc40186381f7ade"), timestamp: 3000000000n, rssi: -112,
      frequency: 904300000, datarate: DATA_RATE.SF7BW125, snr: 7.5, region: 0, hold_time: 12n, gateway: GATEWAY,
    },
    "0a184047a5650080822902d6031b3d8ca5d38fc40186381f7ade1080bcc1960b18df0120e08b9aaf032805350000f040400c4a2101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09",
  );
});

test("8.7 register (unsigned), and encodeForSigning clears a set signature", () => {
  const value = { timestamp: 1700000000123n, gateway: GATEWAY, session_capable: true, packet_ack_interval: 0 };
  const expected = "08fbd095ffbc31122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a092001";
  roundTrip("packet_router_register_v1", value, expected);
  const signed = { ...value, signature: new Uint8Array(64).fill(7) };
  assert.equal(toHex(encodeForSigning(core, "packet_router_register_v1", signed)), expected);
  // the signature goes between gateway (2) and session_capable (4)
  assert.equal(
    toHex(encodeMessage(core, "packet_router_register_v1", signed)),
    expected.replace("2a092001", "2a091a40" + "07".repeat(64) + "2001"),
  );
});

function regionPlan(channels: number[], bandwidth: number, maxEirp: number, spreading: [number, number][]): ProtoMessage {
  return {
    region_params: channels.map((hz) => ({
      channel_frequency: BigInt(hz),
      bandwidth,
      max_eirp: maxEirp,
      spreading: { tagged_spreading: spreading.map(([sf, size]) => ({ region_spreading: sf, max_packet_size: size })) },
    })),
  };
}

test("8.8 US915 blockchain_region_params_v1", () => {
  const { SF10, SF9, SF8, SF7 } = REGION_SPREADING;
  const channels = Array.from({ length: 8 }, (_, i) => 903900000 + 200000 * i);
  const plan = regionPlan(channels, 125000, 360, [[SF10, 25], [SF9, 67], [SF8, 139], [SF7, 256]]);
  const expected =
    "0a2908e0d681af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0f18daf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e08b9aaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0a6a6af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0c0b2af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0dbbeaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0f5caaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a090d7af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a050801108002";
  const decoded = roundTrip("blockchain_region_params_v1", plan, expected);
  assert.equal((decoded.region_params as ProtoMessage[]).length, 8);
});

test("EU868 plan of helium/proto's beacon crate test (oracle-vectors eu868_region_params)", () => {
  const { SF12, SF9, SF8 } = REGION_SPREADING;
  const channels = [867100000, 867300000, 867500000, 867700000, 867900000, 868100000, 868300000, 868500000];
  roundTrip(
    "blockchain_region_params_v1",
    regionPlan(channels, 125000, 161, [[SF12, 65], [SF9, 129], [SF8, 238]]),
    "0a2308e0cabb9d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a0e5c79d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0ffd39d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a09ae09d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0b4ec9d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a0cff89d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0e9849e0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a084919e0310c8d00718a10122140a04080610410a0508031081010a05080210ee01",
  );
});

test("gateway-rs README add-gateway txn: decoded, re-encoded identically, signed bytes as upstream", () => {
  const txn = b64(
    "CqsBCiEBeIw1M0Uk4cPSIzXN0dYvm75a/gemuzpP5ACRRhZZyygSIQEp0bQLLyCMNqYqDUQSNZRs6UuPMCQf5JYYBDpU15+2nSJAbf3/EvyxZY+2mXXUxFYteQdWuV78DgwoQuQ1MWokUk7be9XiNBBBQF72WzTci8VMD7kcLGCqhu6lI6rtKXFEDSohAXiMNTNFJOHD0iM1zdHWL5u+Wv4Hprs6T+QAkUYWWcso",
  );
  const decoded = decodeMessage(core, "blockchain_txn", txn);
  const add = decoded.add_gateway as ProtoMessage;
  const owner = "01788c35334524e1c3d22335cdd1d62f9bbe5afe07a6bb3a4fe40091461659cb28";
  assert.equal(toHex(add.owner as Uint8Array), owner);
  assert.equal(toHex(add.payer as Uint8Array), owner);
  assert.equal((add.gateway_signature as Uint8Array).length, 64);
  assert.equal(add.fee, 0n);
  assert.deepEqual(encodeMessage(core, "blockchain_txn", decoded), txn);
  assert.equal(
    toHex(encodeForSigning(core, "blockchain_txn_add_gateway_v1", add)),
    "0a2101788c35334524e1c3d22335cdd1d62f9bbe5afe07a6bb3a4fe40091461659cb2812210129d1b40b2f208c36a62a0d441235946ce94b8f30241fe49618043a54d79fb69d2a2101788c35334524e1c3d22335cdd1d62f9bbe5afe07a6bb3a4fe40091461659cb28",
  );
});
