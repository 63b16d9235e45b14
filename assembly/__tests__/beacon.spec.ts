// Beacon derivation on the spec's worked vectors (helium-protocol.md 8.6, 8.8), the oracle vector
// (oracle-vectors.json beacon_v1_eu868), the beacon crate's select_datarate test (8.5) and each
// error of Beacon::new.
import { beacon_derive } from "../beacon/exports";
import { selectDatarate } from "../beacon/beacon";
import { scanRegionParams } from "../beacon/region";
import {
  ERR_BAD_INPUT, ERR_BAD_POWER, ERR_BAD_WIRE_TYPE, ERR_NO_DATARATE, ERR_NO_REGION_PARAMS, ERR_NO_SPREADING, ERR_TRUNCATED,
} from "../errors";

const EU868 = "0a2308e0cabb9d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a0e5c79d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0ffd39d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a09ae09d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0b4ec9d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a0cff89d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0e9849e0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a084919e0310c8d00718a10122140a04080610410a0508031081010a05080210ee01";
const US915 = "0a2908e0d681af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0f18daf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e08b9aaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0a6a6af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0c0b2af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0dbbeaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0f5caaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a090d7af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a050801108002";
const V1_REMOTE = "084f7cfb73bd25a289610a8d3bbbc217de223956ac03f4da59f75ca6f2e6716b"; // base64 CE98+3O9...
const V1_DATA = "a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e";

const OUT = new StaticArray<u8>(151);
const out = changetype<usize>(OUT);

function bytes(hex: string): StaticArray<u8> {
  const buf = new StaticArray<u8>(hex.length >> 1);
  for (let i = 0; i < buf.length; i++) buf[i] = <u8>I32.parseInt(hex.substr(i * 2, 2), 16);
  return buf;
}

function hexAt(offset: i32, len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) {
    const b = OUT[offset + i];
    s += (b < 16 ? "0" : "") + b.toString(16);
  }
  return s;
}

function derive(remoteHex: string, ts: i64, localHex: string, paramsHex: string, gain: i32): i32 {
  const remote = bytes(remoteHex);
  const local = bytes(localHex);
  const params = bytes(paramsHex);
  return beacon_derive(changetype<usize>(remote), remote.length, ts, changetype<usize>(local), local.length,
    changetype<usize>(params), params.length, gain, out);
}

function expectBeacon(frequency: u64, datarate: i32, power: i32): void {
  expect<u64>(load<u64>(out)).toBe(frequency);
  expect<i32>(load<i32>(out, 8)).toBe(datarate);
  expect<i32>(load<i32>(out, 12)).toBe(power);
}

const SF12BW125: i32 = 0;
const SF9BW125: i32 = 3;
const SF8BW125: i32 = 4;

describe("beacon vectors (helium-protocol.md 8.6)", () => {
  it("V1 with EU868 and gain 1.2 dBi: seed, data, 867.3 MHz, SF12BW125, 14 dBm, frame E0 || data", () => {
    expect<i32>(derive(V1_REMOTE, 1663702455, "01020304", EU868, 12)).toBe(151);
    expect<string>(hexAt(16, 32)).toBe("3d39b74ffa5baed2095cd7d82e0c4f61ed34049c15bd4b787cda83adc014aabc");
    expect<string>(hexAt(100, 51)).toBe(V1_DATA);
    expect<string>(hexAt(48, 52)).toBe("e0" + V1_DATA);
    expect<u16>(load<u16>(out, 100)).toBe(39585);
    expectBeacon(867300000, SF12BW125, 14);
  });

  it("V1 with US915 (8.8 bytes): 904.1 MHz, SF9BW125, 34 dBm", () => {
    expect<i32>(derive(V1_REMOTE, 1663702455, "01020304", US915, 12)).toBe(151);
    expect<string>(hexAt(100, 51)).toBe(V1_DATA);
    expectBeacon(904100000, SF9BW125, 34);
  });

  it("V2 (empty remote data, the entropy-stub era) with US915: 903.9 MHz", () => {
    expect<i32>(derive("", 1780000000, "deadbeef", US915, 12)).toBe(151);
    expect<string>(hexAt(16, 32)).toBe("e7f0140bc8e5970d191a6cebe3b7ad39a863d08fe84f38b851cdc7406c598e2c");
    expect<string>(hexAt(100, 51)).toBe("60531a0efb988e716743ed1c9448f77a4d643eb86ed4bcd3476c36c61518d08d9b273fd22870a7a54a1e1c3ecfa9f22f85d481");
    expectBeacon(903900000, SF9BW125, 34);
  });

  it("V3 (all-zero inputs) with US915: 904.9 MHz", () => {
    expect<i32>(derive("0000000000000000000000000000000000000000000000000000000000000000", 0, "00000000", US915, 12)).toBe(151);
    expect<string>(hexAt(16, 32)).toBe("7955cb2de90dd9efc6df9fdbf5f5d10c114f4135a9a6b52db1003be749e32f7a");
    expect<string>(hexAt(100, 51)).toBe("9dba90d52b7178debdf616053a9d4b858035aa88856fddbfbbdf90d08272c37bb33286f4592e5503c97af7647d3ada866c7800");
    expect<u64>(load<u64>(out)).toBe(904900000);
  });

  it("oracle vector beacon_v1_eu868 (remote 32 x aa at 1700000000, local 01020304): 867.5 MHz", () => {
    expect<i32>(derive("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1700000000, "01020304", EU868, 12)).toBe(151);
    expect<string>(hexAt(16, 32)).toBe("5cdd459de68581624af2f7478dd970cf9157949fefb3ccb895446fa96ebfa190");
    expect<string>(hexAt(100, 51)).toBe("aa4770cb5251a8e810a5fe5aeb5177dad8c19c284170338c3d6c75d6b84533a8922463d8b3c0e77afc4adfade21ea618f66f34");
    expect<u16>(load<u16>(out, 100)).toBe(18346);
    expectBeacon(867500000, SF12BW125, 14);
  });
});

describe("beacon crate tests (8.5)", () => {
  it("select_datarate on EU868: 30 -> SF12BW125, 90 -> SF9BW125, 130 -> SF8BW125, 300 -> error", () => {
    const params = bytes(EU868);
    expect<i32>(scanRegionParams(changetype<usize>(params), params.length)).toBe(0);
    expect<i32>(selectDatarate(30)).toBe(SF12BW125);
    expect<i32>(selectDatarate(90)).toBe(SF9BW125);
    expect<i32>(selectDatarate(130)).toBe(SF8BW125);
    expect<i32>(selectDatarate(300)).toBe(ERR_NO_SPREADING);
  });

  it("conducted power: 7.3 table for gain 1.2 dBi, zero headroom is 0 dBm, a negative one fails", () => {
    // One US915-like channel (SF9 <= 67 bytes) with max_eirp 36.0 dBm, then 1.1 dBm.
    const one = "0a1508e0d681af0310c8d00718e80222060a0408031043";
    expect<i32>(derive("", 0, "00", one, 12)).toBe(151);
    expectBeacon(903900000, SF9BW125, 34);
    expect<i32>(derive("", 0, "00", one, 360)).toBe(151);
    expect<i32>(load<i32>(out, 12)).toBe(0);
    expect<i32>(derive("", 0, "00", one, 351)).toBe(151);
    expect<i32>(load<i32>(out, 12)).toBe(0);
    expect<i32>(derive("", 0, "00", one, 361)).toBe(ERR_BAD_POWER);
    expect<i32>(derive("", 0, "00", "0a1408e0d681af0310c8d007180b22060a0408031043", 12)).toBe(ERR_BAD_POWER);
    expect<i32>(derive("", 0, "00", one, -1)).toBe(ERR_BAD_INPUT);
  });
});

describe("beacon errors", () => {
  it("names what is missing from the region params", () => {
    expect<i32>(derive("", 0, "00", "", 12)).toBe(ERR_NO_REGION_PARAMS);
    expect<i32>(derive("", 0, "00", "1801", 12)).toBe(ERR_NO_REGION_PARAMS); // only an unknown field
    expect<i32>(derive("", 0, "00", "0a0d08e0d681af0310c8d00718e802", 12)).toBe(ERR_NO_SPREADING);
    expect<i32>(derive("", 0, "00", "0a1508e0d681af0310c8d00718e80222060a040806101e", 12)).toBe(ERR_NO_SPREADING);
    expect<i32>(derive("", 0, "00", "0a1508e0d681af0310c8d00718e80222060a0408071043", 12)).toBe(ERR_NO_SPREADING);
    expect<i32>(derive("", 0, "00", "0a1508e0d681af0310c8d00718e80222060a0408001043", 12)).toBe(ERR_NO_DATARATE);
    expect<i32>(derive("", 0, "00", "0a1508e0d681af0310c09a0c18e80222060a0408031043", 12)).toBe(ERR_NO_DATARATE);
  });

  it("reads 500 kHz plans and rejects malformed protobuf", () => {
    expect<i32>(derive("", 0, "00", "0a1508e0d681af0310a0c21e18e80222060a0408011043", 12)).toBe(151);
    expect<i32>(load<i32>(out, 8)).toBe(17); // SF7BW500
    expect<i32>(derive("", 0, "00", EU868.substr(0, EU868.length - 2), 12)).toBe(ERR_TRUNCATED);
    expect<i32>(derive("", 0, "00", "0d00000000", 12)).toBe(ERR_BAD_WIRE_TYPE); // field 1 as fixed32
    expect<i32>(derive("", 0, "00", "0a0408e0d6", 12)).toBe(ERR_TRUNCATED); // varint cut off inside a param
  });
});
