// The compute core through modules/core/native.ts on the real XS engine: the wasm2c C of
// build/core.wasm with the device's runtime and binding. Expected values come from upstream
// vectors (FIPS 180-2, RFC 8032, the spec's 8.6 beacons and 8.7 encoding, LoRaWAN's airtime
// table) and from node:crypto, @noble, bs58,
// bs58check and @helium/address (tests/support/xs-fixtures.ts computes those before each run).
import { test } from "./harness.js";
import { equal, equalBytes, ok, throws } from "./assert.js";
import oracle from "./fixtures/core-oracle.js";
import { createNativeCore } from "../../modules/core/native.js";
import { CoreError } from "../../modules/core/errors.js";
import { encodeMessage } from "../../modules/proto/codec.js";
import { DATA_RATE } from "../../modules/proto/schema.js";
import { encodeHistoricalRegionParams } from "../../modules/region/historical-params.js";
import { fromBase64, fromHex, toHex } from "../../modules/util/bytes.js";

const core = createNativeCore();
const raw = native("xs_core_instantiate")() as { memory: ArrayBuffer; exports: Record<string, (...a: number[]) => number> };

test("one 64 KiB page of linear memory with the 16 KiB scratch region inside it", () => {
  equal(new Uint8Array(raw.memory).length, 65536);
  const ptr = raw.exports.scratch_ptr();
  equal(raw.exports.scratch_size(), 16384);
  ok(ptr > 0 && ptr + 16384 <= 65536 && ptr % 16 === 0, `scratch at ${ptr}`);
});

test("SHA-256 and SHA-512 of 'abc' (FIPS 180-2 appendix examples)", () => {
  const abc = Uint8Array.of(0x61, 0x62, 0x63);
  equal(toHex(core.sha256(abc)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  equal(
    toHex(core.sha512(abc)),
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  );
});

test("SHA-256 and SHA-512 equal node:crypto across block edges and streamed past the scratch region; MD5 too", () => {
  for (const c of oracle.hashes) {
    const data = fromHex(c.data);
    equal(toHex(core.sha256(data)), c.sha256, `sha256 of ${data.length} bytes`);
    equal(toHex(core.sha512(data)), c.sha512, `sha512 of ${data.length} bytes`);
    if (c.md5 !== undefined) equal(toHex(core.md5(data)), c.md5, `md5 of ${data.length} bytes`);
  }
});

test("Ed25519: RFC 8032 test 1", () => {
  const seed = fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const publicKey = core.ed25519PublicKey(seed);
  equal(toHex(publicKey), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const signature = core.ed25519Sign(seed, new Uint8Array(0));
  equal(
    toHex(signature),
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  );
  equal(core.ed25519Verify(publicKey, new Uint8Array(0), signature), true);
});

test("Ed25519 keys and signatures equal @noble/curves; verify agrees on tampered signatures", () => {
  for (const c of oracle.ed25519) {
    const seed = fromHex(c.seed);
    const message = fromHex(c.message);
    equal(toHex(core.ed25519PublicKey(seed)), c.publicKey);
    equal(toHex(core.ed25519Sign(seed, message)), c.signature);
    equal(core.ed25519Verify(fromHex(c.publicKey), message, fromHex(c.signature)), true);
    equal(core.ed25519Verify(fromHex(c.publicKey), message, fromHex(c.tampered)), c.tamperedValid);
  }
});

test("ChaCha12/20 streams equal @noble/ciphers (rand_chacha word order)", () => {
  for (const c of oracle.chacha) {
    const words = core.chacha(c.rounds, fromHex(c.seed), c.words);
    equal(toHex(new Uint8Array(words.buffer, words.byteOffset, words.byteLength)), c.stream, `chacha${c.rounds} ${c.words} words`);
  }
});

test("base58 and base58check equal bs58 and bs58check; Helium addresses equal @helium/address", () => {
  for (const c of oracle.base58) {
    equal(core.base58Encode(fromHex(c.bytes)), c.b58);
    equal(toHex(core.base58Decode(c.b58)), c.bytes);
    equal(core.base58CheckEncode(fromHex(c.bytes)), c.b58check);
    equal(toHex(core.base58CheckDecode(c.b58check)), c.bytes);
  }
  for (const c of oracle.addresses) {
    equal(core.addressEncode(fromHex(c.keyBin)), c.address);
    equal(toHex(core.addressDecode(c.address)), c.keyBin);
  }
});

test("bad input is a CoreError with the core's code, not a trap", () => {
  throws(() => core.base58Decode("0OIl"), /BAD_INPUT/);
  const wrong = core.base58CheckEncode(Uint8Array.of(1, 2, 3)).slice(0, -1) + "1";
  throws(() => core.base58CheckDecode(wrong), /BAD_CHECKSUM/);
  throws(() => core.ed25519PublicKey(new Uint8Array(31)), /BAD_LENGTH/);
  try {
    core.addressDecode("1");
  } catch (error) {
    ok(error instanceof CoreError, `a CoreError, not ${String(error)}`);
  }
});

test("canonical proto3: the spec's 8.7 witness report encodes byte for byte", () => {
  const gateway = fromHex("01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09");
  const data = fromHex("a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e");
  const bytes = encodeMessage(core, "lora_witness_report_req_v1", {
    pub_key: gateway, data, timestamp: 1700000000123456789n, tmst: 123456789, signal: -1150, snr: -75,
    frequency: 867300000n, datarate: DATA_RATE.SF12BW125,
  });
  equalBytes(
    bytes,
    fromHex(
      "122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a091a33a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e20959a97ece39fe7cb1728959aef3a30fb1138b5ffffffffffffffff0140a0e5c79d03",
    ),
  );
});

test("beacons: the spec's worked vectors V1 (US915) and V2/V3 (an i64 timestamp crosses the binding)", () => {
  const us915 = encodeHistoricalRegionParams(core, "US915");
  ok(us915 !== undefined, "the built-in US915 plan");
  const v1 = core.deriveBeacon({
    remoteData: fromBase64("CE98+3O9JaKJYQqNO7vCF94iOVasA/TaWfdcpvLmcWs="), remoteTimestamp: 1663702455, remoteVersion: 0,
    localData: fromHex("01020304"), regionParams: us915!, gainDbiX10: 12,
  });
  equal(toHex(v1.data), "a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e");
  equal(toHex(v1.frame.subarray(0, 2)), "e0a1");
  equal(v1.frequency, 904_100_000);
  equal(v1.datarate, 3);
  equal(v1.conductedPower, 34);
  const v2 = core.deriveBeacon({ remoteData: new Uint8Array(0), remoteTimestamp: 1_780_000_000, remoteVersion: 0, localData: fromHex("deadbeef"), regionParams: us915!, gainDbiX10: 12 });
  equal(toHex(v2.data), "60531a0efb988e716743ed1c9448f77a4d643eb86ed4bcd3476c36c61518d08d9b273fd22870a7a54a1e1c3ecfa9f22f85d481");
  equal(v2.frequency, 903_900_000);
  const v3 = core.deriveBeacon({ remoteData: new Uint8Array(32), remoteTimestamp: 0, remoteVersion: 0, localData: new Uint8Array(4), regionParams: us915!, gainDbiX10: 12 });
  equal(toHex(v3.data), "9dba90d52b7178debdf616053a9d4b858035aa88856fddbfbbdf90d08272c37bb33286f4592e5503c97af7647d3ada866c7800");
  equal(v3.frequency, 904_900_000);
});

test("LoRa time on air: SF7/125 kHz, CR 4/5, 8 symbols, CRC on, 13 bytes is 46.336 ms (LoRaWAN airtime table)", () => {
  const us = core.airtimeMicros({ spreadingFactor: 7, bandwidthKHz: 125, codingRate: 5, preambleSymbols: 8, payloadLength: 13, crc: true, implicitHeader: false });
  equal(us, 46336);
});
