// The Core's typed results over build/core.wasm against independent code: LoRaWAN fields against
// lora-packet, time on air against the TTN/RadioLib tables and the datasheet formula written here,
// beacons against a reference built on @noble + protobufjs and the spec's vectors, the built-in
// region plans against the spec's encodings, and the protobuf calls against protobufjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { createRequire } from "node:module";
import { CoreError } from "../modules/core/errors.js";
import { decodeMessage, encodeMessage } from "../modules/proto/codec.js";
import { ProtoError } from "../modules/proto/errors.js";
import { HELIUM_SCHEMA } from "../modules/proto/schema.js";
import { encodeHistoricalRegionParams, HISTORICAL_REGIONS } from "../modules/region/historical-params.js";
import { loadOurProtos } from "./support/helium-protos.js";
import { randomPlainObject, seededRandom, withoutDefaults } from "./support/random-proto.js";
import { referenceBeacon } from "./support/reference-beacon.js";
import { core } from "./support/core.js";
import { VECTORS } from "./support/vectors.js";

const rand = (n: number) => new Uint8Array(randomBytes(n));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

// ------------------------------------------------------------------ LoRaWAN

interface LoraPacket {
  getPHYPayload(): Buffer;
  getMType(): string;
  getFCnt(): number | null;
  getFPort(): number | null;
  DevAddr?: Buffer;
  AppEUI?: Buffer;
  DevEUI?: Buffer;
  DevNonce?: Buffer;
  FCtrl?: Buffer;
  FOpts?: Buffer;
  FRMPayload?: Buffer;
}
const lora = createRequire(import.meta.url)("lora-packet") as { fromWire(b: Buffer): LoraPacket; fromFields(f: object): LoraPacket };
const LORA_PACKET_TYPE: Record<string, string> = {
  "Join Request": "join_request", "Join Accept": "join_accept", "Unconfirmed Data Up": "unconfirmed_up", "Confirmed Data Up": "confirmed_up",
  "Unconfirmed Data Down": "unconfirmed_down", "Confirmed Data Down": "confirmed_down",
};

function randomFrame(i: number): Uint8Array {
  if (i % 10 === 0) return new Uint8Array(lora.fromFields({ MType: "Join Request", AppEUI: randomBytes(8), DevEUI: randomBytes(8), DevNonce: randomBytes(2) }).getPHYPayload());
  const fopts = randomInt(0, 16);
  const payload = randomBytes(randomInt(0, 3) === 0 ? 0 : randomInt(1, 200));
  const fields: Record<string, unknown> = { MType: randomInt(2, 6), DevAddr: randomBytes(4), FCnt: randomInt(0, 65536), FOpts: randomBytes(fopts), payload };
  if (payload.length > 0) fields.FPort = randomInt(1, 256);
  return new Uint8Array(lora.fromFields(fields).getPHYPayload());
}

test("classifyLoRaWAN: types, DevAddr, FCnt, FPort, EUIs and payload equal lora-packet's reading on 1,000 random frames", () => {
  for (let i = 0; i < 1000; i++) {
    const frame = randomFrame(i);
    const ours = core.classifyLoRaWAN(frame);
    const p = lora.fromWire(Buffer.from(frame));
    assert.equal(ours.type, LORA_PACKET_TYPE[p.getMType()], hex(frame));
    assert.equal(ours.mType, frame[0] >> 5);
    assert.equal(ours.major, 0);
    if (ours.type === "join_request") {
      assert.equal(hex(ours.joinEui!), p.AppEUI!.toString("hex"));
      assert.equal(hex(ours.devEui!), p.DevEUI!.toString("hex"));
      assert.equal(ours.devNonce, p.DevNonce!.readUInt16BE(0));
      assert.equal(ours.devAddr, undefined);
    } else {
      assert.equal(ours.devAddr, p.DevAddr!.readUInt32BE(0));
      assert.equal(ours.fCnt, p.getFCnt());
      assert.equal(ours.fCtrl, p.FCtrl![0]);
      assert.equal(ours.fOptsLength, p.FOpts!.length);
      assert.equal(ours.fPort, p.getFPort() ?? undefined);
      if (ours.fPort !== undefined) assert.deepEqual(Buffer.from(ours.payload!), p.FRMPayload);
      assert.equal(ours.joinEui, undefined);
    }
  }
});

test("classifyLoRaWAN: the oracle frames, beacon-shaped and proprietary frames, and invalid frames with a reason", () => {
  const up = core.classifyLoRaWAN(fromHex(VECTORS.lorawan_readme_uplink.phyHex));
  assert.deepEqual([up.type, up.devAddr?.toString(16), up.fCnt, up.fPort], ["unconfirmed_up", VECTORS.lorawan_readme_uplink.expect.devAddr, 2, 1]);
  const join = core.classifyLoRaWAN(fromHex(VECTORS.lorawan_join_request.expectPhyHex));
  assert.equal(join.type, "join_request");
  assert.equal(hex(join.joinEui!), VECTORS.lorawan_join_request.appEUI.toLowerCase());
  assert.equal(hex(join.devEui!), VECTORS.lorawan_join_request.devEUI.toLowerCase());
  const data = rand(51);
  const beacon = core.classifyLoRaWAN(new Uint8Array([0xe0, ...data]));
  assert.equal(beacon.type, "beacon");
  assert.deepEqual(beacon.payload, data);
  assert.equal(core.classifyLoRaWAN(new Uint8Array([0xe0, ...rand(30)])).type, "proprietary");
  for (const [frame, why] of [
    [new Uint8Array(0), /empty/],
    [new Uint8Array([0x00, ...rand(10)]), /23 bytes/],
    [new Uint8Array([0x40, 1, 2, 3, 4, 0, 0, 0, 1, 2, 3]), /at least 12/],
    [new Uint8Array([0x41, ...rand(20)]), /Major/],
    [new Uint8Array([0x40, 1, 2, 3, 4, 0x0f, 0, 0, 1, 2, 3, 4, 5]), /FOpts/],
    [new Uint8Array(256).fill(0x40), /255/],
  ] as const) {
    const r = core.classifyLoRaWAN(frame);
    assert.equal(r.type, "invalid");
    assert.match(r.error!, why);
    assert.equal(r.devAddr, undefined);
  }
});

// ------------------------------------------------------------------ time on air

/** The SX126x datasheet formula (radio-and-wire C.1), in exact µs, written here independently. */
function referenceAirtime(sf: number, bwKHz: number, cr: number, preamble: number, len: number, crc: boolean, implicit: boolean): number {
  const symbolUs = (2 ** sf * 1000) / bwKHz;
  const ldro = symbolUs >= 16_000;
  const n = Math.max(0, 8 * len + (crc ? 16 : 0) - 4 * sf + (implicit ? 0 : 20) + (sf >= 7 ? 8 : 0));
  const d = sf <= 6 ? 4 * sf : ldro ? 4 * (sf - 2) : 4 * sf;
  const payloadSymbols = Math.ceil(n / d) * (cr + 4);
  const symbols = preamble + (sf >= 7 ? 4.25 : 6.25) + 8 + payloadSymbols;
  return symbols * symbolUs;
}

test("airtimeMicros: the TTN and RadioLib tables (quoted in radio-and-wire C.2)", () => {
  const ttn = (sf: number, bw: number, len: number, cr = 5) =>
    core.airtimeMicros({ spreadingFactor: sf, bandwidthKHz: bw, codingRate: cr, preambleSymbols: 8, payloadLength: len, crc: true, implicitHeader: false });
  assert.deepEqual([7, 8, 9, 10, 11, 12].map((sf) => ttn(sf, 125, 10)), [41_216, 72_192, 144_384, 288_768, 577_536, 991_232]);
  assert.deepEqual([ttn(7, 250, 10), ttn(7, 500, 10)], [20_608, 10_304]);
  assert.deepEqual([6, 7, 8].map((cr) => ttn(7, 125, 10, cr)), [45_312, 49_408, 53_504]);
  assert.deepEqual([13, 14, 15].map((len) => ttn(7, 125, len)), [46_336, 46_336, 46_336]);
  assert.deepEqual([16, 17, 18, 19].map((len) => ttn(7, 125, len)), [51_456, 51_456, 51_456, 51_456]);
  const radiolib = (len: number) =>
    core.airtimeMicros({ spreadingFactor: 11, bandwidthKHz: 250, codingRate: 8, preambleSymbols: 16, payloadLength: len, crc: false, implicitHeader: true });
  assert.deepEqual([5, 15, 100, 200].map(radiolib), [296_960, 362_496, 1_411_072, 2_590_720]);
});

test("airtimeMicros equals the datasheet formula on 1,000 random settings; bad settings are typed errors", () => {
  for (let i = 0; i < 1000; i++) {
    const p = {
      spreadingFactor: randomInt(5, 13), bandwidthKHz: [125, 250, 500][randomInt(0, 3)], codingRate: randomInt(5, 9),
      preambleSymbols: randomInt(1, 70), payloadLength: randomInt(0, 256), crc: randomInt(0, 2) === 1, implicitHeader: randomInt(0, 2) === 1,
    };
    const expected = referenceAirtime(p.spreadingFactor, p.bandwidthKHz, p.codingRate - 4, p.preambleSymbols, p.payloadLength, p.crc, p.implicitHeader);
    assert.equal(core.airtimeMicros(p), expected, JSON.stringify(p));
  }
  const good = { spreadingFactor: 7, bandwidthKHz: 125, codingRate: 5, preambleSymbols: 8, payloadLength: 10, crc: true, implicitHeader: false };
  for (const bad of [{ spreadingFactor: 4 }, { spreadingFactor: 13 }, { bandwidthKHz: 200 }, { codingRate: 4 }, { codingRate: 9 }, { payloadLength: 256 }, { preambleSymbols: 0 }]) {
    assert.throws(() => core.airtimeMicros({ ...good, ...bad }), (e: unknown) => e instanceof CoreError && e.code === "BAD_INPUT", JSON.stringify(bad));
  }
});

// ------------------------------------------------------------------ region plans and beacons

const REGION_PARAMS = loadOurProtos(true).lookupType("helium.blockchain_region_params_v1");

test("built-in region plans: US915 equals spec 8.8 and EU868 the beacon crate's EU868 vector byte for byte", () => {
  const us915 = "0a2908e0d681af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0f18daf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e08b9aaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0a6a6af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0c0b2af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0dbbeaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0f5caaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a090d7af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a050801108002";
  assert.equal(hex(encodeHistoricalRegionParams(core, "US915")!), us915);
  assert.equal(hex(encodeHistoricalRegionParams(core, "eu868")!), VECTORS.eu868_region_params.blockchainRegionParamsV1Hex);
  assert.equal(encodeHistoricalRegionParams(core, "EU868_A"), undefined);
});

test("built-in region plans decode with protobufjs to the spec 7.3 channel counts and ranges, and give its DERIVED beacon power at 1.2 dBi", () => {
  // Spec 7.3: first and last channel, count, and the DERIVED conducted power for gain 12.
  const table: Record<string, [number, number, number, number]> = {
    US915: [903_900_000, 905_300_000, 8, 34], EU868: [867_100_000, 868_500_000, 8, 14], EU433: [433_175_000, 433_575_000, 3, 10],
    CN470: [486_300_000, 487_700_000, 8, 17], AU915: [916_800_000, 918_200_000, 8, 28], AS923_1: [923_200_000, 924_600_000, 8, 14],
    AS923_2: [921_400_000, 922_800_000, 8, 14], AS923_3: [916_600_000, 918_000_000, 8, 14], AS923_4: [917_300_000, 918_700_000, 8, 14],
    KR920: [922_100_000, 923_300_000, 7, 12], IN865: [865_062_500, 865_985_000, 3, 28], RU864: [864_100_000, 869_100_000, 7, 14],
  };
  assert.deepEqual([...HISTORICAL_REGIONS].sort(), Object.keys(table).sort());
  for (const [region, [first, last, count, power]] of Object.entries(table)) {
    const encoded = encodeHistoricalRegionParams(core, region)!;
    const list = (REGION_PARAMS.toObject(REGION_PARAMS.decode(encoded), { longs: Number }) as { region_params: { channel_frequency: number; bandwidth: number }[] }).region_params;
    assert.equal(list.length, count, region);
    assert.equal(list[0].channel_frequency, first, region);
    assert.equal(list[count - 1].channel_frequency, last, region);
    assert.ok(list.every((p) => p.bandwidth === 125_000));
    const beacon = core.deriveBeacon({ remoteData: rand(32), remoteTimestamp: 1_700_000_000, remoteVersion: 0, localData: rand(4), regionParams: encoded, gainDbiX10: 12 });
    assert.equal(beacon.conductedPower, power, region);
    assert.equal(beacon.datarate, region === "EU868" ? 0 : 3, `${region} beacons at ${region === "EU868" ? "SF12BW125" : "SF9BW125"}`);
  }
});

test("deriveBeacon: the spec's worked vectors V1-V3 and the oracle vector", () => {
  const us915 = encodeHistoricalRegionParams(core, "US915")!;
  const eu868 = fromHex(VECTORS.eu868_region_params.blockchainRegionParamsV1Hex);
  const v1 = { remoteData: new Uint8Array(Buffer.from("CE98+3O9JaKJYQqNO7vCF94iOVasA/TaWfdcpvLmcWs=", "base64")), remoteTimestamp: 1663702455, remoteVersion: 0, localData: fromHex("01020304"), gainDbiX10: 12 };
  const v1Data = "a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e";
  const eu = core.deriveBeacon({ ...v1, regionParams: eu868 });
  assert.deepEqual([hex(eu.data), hex(eu.frame), eu.frequency, eu.datarate, eu.conductedPower], [v1Data, `e0${v1Data}`, 867_300_000, 0, 14]);
  const us = core.deriveBeacon({ ...v1, regionParams: us915 });
  assert.deepEqual([us.frequency, us.datarate, us.conductedPower], [904_100_000, 3, 34]);
  const v2 = core.deriveBeacon({ remoteData: new Uint8Array(0), remoteTimestamp: 1_780_000_000, remoteVersion: 0, localData: fromHex("deadbeef"), regionParams: us915, gainDbiX10: 12 });
  assert.deepEqual([hex(v2.data), v2.frequency, v2.datarate], ["60531a0efb988e716743ed1c9448f77a4d643eb86ed4bcd3476c36c61518d08d9b273fd22870a7a54a1e1c3ecfa9f22f85d481", 903_900_000, 3]);
  const v3 = core.deriveBeacon({ remoteData: new Uint8Array(32), remoteTimestamp: 0, remoteVersion: 0, localData: new Uint8Array(4), regionParams: us915, gainDbiX10: 12 });
  assert.deepEqual([hex(v3.data), v3.frequency], ["9dba90d52b7178debdf616053a9d4b858035aa88856fddbfbbdf90d08272c37bb33286f4592e5503c97af7647d3ada866c7800", 904_900_000]);
  const o = VECTORS.beacon_v1_eu868;
  const oracle = core.deriveBeacon({ remoteData: fromHex(o.remoteEntropy.dataHex), remoteTimestamp: o.remoteEntropy.timestampSecs, remoteVersion: o.remoteEntropy.version, localData: fromHex(o.localEntropy.dataHex), regionParams: eu868, gainDbiX10: 12 });
  assert.deepEqual([hex(oracle.data), oracle.frequency, oracle.datarate, oracle.conductedPower], [o.expect.dataHex, o.expect.frequencyHz, 0, o.expect.conductedPowerDbm]);
});

test("deriveBeacon equals the @noble/protobufjs reference on 1,000 random entropies, plans and gains", () => {
  const plans = HISTORICAL_REGIONS.map((r) => encodeHistoricalRegionParams(core, r)!);
  for (let i = 0; i < 1000; i++) {
    const remoteData = rand(randomInt(0, 65));
    const remoteTimestamp = i % 4 === 0 ? -randomInt(0, 2 ** 40) : randomInt(0, 2 ** 47);
    const localData = rand(4);
    const regionParams = plans[i % plans.length];
    const gainDbiX10 = randomInt(0, 400);
    const expected = referenceBeacon(remoteData, BigInt(remoteTimestamp), localData, regionParams, gainDbiX10);
    const input = { remoteData, remoteTimestamp, remoteVersion: i % 2, localData, regionParams, gainDbiX10 };
    if (typeof expected === "string") {
      assert.throws(() => core.deriveBeacon(input), (e: unknown) => e instanceof CoreError && e.code === "BAD_POWER", expected);
      continue;
    }
    const beacon = core.deriveBeacon(input);
    assert.deepEqual(beacon.data, expected.data);
    assert.deepEqual(beacon.frame, new Uint8Array([0xe0, ...expected.data]));
    assert.equal(beacon.frequency, expected.frequency);
    assert.equal(beacon.datarate, expected.datarate);
    assert.equal(beacon.conductedPower, expected.conductedPower);
  }
});

test("deriveBeacon refuses what the beacon crate refuses, with typed errors", () => {
  const good = { remoteData: rand(32), remoteTimestamp: 1, remoteVersion: 0, localData: rand(4), regionParams: encodeHistoricalRegionParams(core, "US915")!, gainDbiX10: 12 };
  const code = (input: object) => {
    try {
      core.deriveBeacon({ ...good, ...input });
    } catch (error) {
      assert.ok(error instanceof CoreError);
      return error.code;
    }
    return "accepted";
  };
  assert.equal(code({ remoteVersion: 2 }), "BAD_INPUT");
  assert.equal(code({ regionParams: new Uint8Array(0) }), "NO_REGION_PARAMS");
  assert.equal(code({ gainDbiX10: 370 }), "BAD_POWER");
  // 36.0 - 36.5 = -0.5 truncates to -0, which rust_decimal's to_u32 refuses (it keeps the sign).
  assert.equal(code({ gainDbiX10: 365 }), "BAD_POWER");
  assert.equal(code({ gainDbiX10: 360 }), "accepted");
  const noFit = REGION_PARAMS.encode(REGION_PARAMS.fromObject({ region_params: [{ channel_frequency: 1, bandwidth: 125000, max_eirp: 100, spreading: { tagged_spreading: [{ region_spreading: 1, max_packet_size: 50 }] } }] })).finish();
  assert.equal(code({ regionParams: noFit }), "NO_SPREADING");
  const garbage = code({ regionParams: new Uint8Array(40).fill(0xff) });
  assert.ok(garbage !== "accepted" && garbage !== "TRAP", garbage);
  assert.equal(code({ regionParams: new Uint8Array(20_000) }), "TOO_LARGE");
});

// ------------------------------------------------------------------ protobuf through the Core

test("pbEncode/pbDecode through the Core: 1,000+ random messages of the whole schema re-encode to protobufjs' canonical bytes", () => {
  const types = loadOurProtos(true);
  const rnd = seededRandom(20);
  let compared = 0;
  for (const spec of Object.values(HELIUM_SCHEMA.messages)) {
    const type = types.lookupType(spec.fullName);
    for (let i = 0; i < 60; i++) {
      const plain = withoutDefaults(type, randomPlainObject(type, rnd));
      const bytes = type.encode(type.fromObject(plain)).finish();
      if (bytes.length > 4000) continue;
      const decoded = decodeMessage(core, spec.name, bytes);
      assert.deepEqual(encodeMessage(core, spec.name, decoded), new Uint8Array(bytes), `${spec.name} ${hex(bytes)}`);
      compared++;
    }
  }
  assert.ok(compared >= 1000, `${compared} compared`);
});

test("pbDecode reports bad input as a result with the offset and field, which the codec turns into ProtoError", () => {
  const result = core.pbDecode(new Uint8Array([0x0a, 0x05, 0x01]));
  assert.equal(result.ok, false);
  assert.throws(() => decodeMessage(core, "lora_witness_report_req_v1", new Uint8Array([0x1a, 0x05, 0x01])), ProtoError);
  assert.equal(core.pbDecode(new Uint8Array(20_000)).ok, false, "oversized input is a result, not an exception");
});
