// The Core over the raw exports of the compute core and its linear memory. Inputs are copied into
// the core's scratch region, outputs copied out of it; results < 0 become CoreError. This file
// knows nothing of WebAssembly: wasm.ts hands it an instance, and a native build whose glue exposes
// the same exports and memory can hand it those.
import { ERR_BAD_LENGTH, type CoreResult } from "../proto/core.js";
import type { AirtimeParams, Beacon, BeaconInput, Core, FrameType, LoRaWANFrame } from "./core.js";
import { CoreError } from "./errors.js";

/** A core export: i32/usize arguments as numbers, i64 arguments as bigints; results are i32. */
export type RawExport = (...args: (number | bigint)[]) => number;

export interface LinearModule {
  /** A view of the whole linear memory. */
  memory(): Uint8Array;
  /** The export of that name, or undefined. */
  exported(name: string): RawExport | undefined;
}

const SHA256_BYTES = 32;
const SHA512_BYTES = 64;
const MD5_BYTES = 16;
const SEED_BYTES = 32;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
const PB_RECORD_BYTES = 16; // pb_decode's field record
// beacon_derive's 151-byte record (assembly/beacon/beacon.ts): frequency u64 | datarate i32 |
// power i32 | seed [32] | frame [52] at 48 | data [51] at 100.
const BEACON_RECORD_BYTES = 151;

/** Outputs start 16-byte aligned after the input, so the core's records are aligned. */
const align16 = (n: number) => (n + 15) & ~15;

// lorawan_classify's 36-byte record (assembly/lorawan/classify.ts documents the layout).
const CLASSIFY_RECORD_BYTES = 36;
const FRAME_TYPES: readonly FrameType[] = Object.freeze([
  "join_request", "join_accept", "unconfirmed_up", "confirmed_up", "unconfirmed_down", "confirmed_down",
  "beacon", "proprietary", "invalid",
]);
const INVALID_REASONS: readonly string[] = Object.freeze([
  "",
  "empty frame (no MHDR)",
  "longer than a LoRa payload (255 bytes)",
  "MType 110 is reserved (RFU)",
  "Major is not 0 (LoRaWAN R1)",
  "a join request has 23 bytes",
  "a join accept has 17 or 33 bytes",
  "a data frame has at least 12 bytes",
  "the FOpts length runs into the MIC",
  "FPort 0 together with FOpts",
]);
const FLAG_DATA = 1;
const FLAG_FPORT = 2;
const FLAG_JOIN_REQUEST = 4;

/** An EUI stored as a little-endian u64 value, as bytes in the usual big-endian reading. */
function euiBigEndian(record: Uint8Array, offset: number): Uint8Array {
  return record.slice(offset, offset + 8).reverse();
}

function ascii(text: string, operation: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new CoreError("BAD_INPUT", operation, `non-ASCII character at position ${i}`);
    out[i] = c;
  }
  return out;
}

function fromAscii(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function requireLength(bytes: Uint8Array, length: number, what: string, operation: string): void {
  if (bytes.length !== length) throw new CoreError("BAD_LENGTH", operation, `${what} must be ${length} bytes, not ${bytes.length}`);
}

export function bindLinearCore(module: LinearModule): Core {
  const fn = (name: string): RawExport => {
    const f = module.exported(name);
    if (f === undefined) throw new CoreError("UNSUPPORTED", "bindLinearCore", `the core has no export "${name}"`);
    return f;
  };
  const scratch = fn("scratch_ptr")();
  const scratchSize = fn("scratch_size")();

  /** Calls a core export; negative results and traps become CoreError. */
  const call = (operation: string, f: RawExport, ...args: (number | bigint)[]): number => {
    let result: number;
    try {
      result = f(...args);
    } catch (error) {
      if (error instanceof CoreError) throw error;
      throw new CoreError("TRAP", operation, `the core trapped: ${String(error)}`);
    }
    if (result < 0) throw new CoreError(result, operation);
    return result;
  };
  const put = (offset: number, bytes: Uint8Array): number => {
    module.memory().set(bytes, scratch + offset);
    return scratch + offset;
  };
  const take = (offset: number, length: number): Uint8Array => module.memory().slice(scratch + offset, scratch + offset + length);
  const fits = (operation: string, needed: number): void => {
    if (needed > scratchSize) throw new CoreError("TOO_LARGE", operation, `needs ${needed} bytes of the core's ${scratchSize}-byte scratch region`);
  };

  /** A hash with one-shot and streaming exports: small inputs in one call, large ones in scratch-sized chunks. */
  const hasher = (name: string, digestBytes: number) => {
    const oneShot = fn(name);
    const init = fn(`${name}_init`);
    const update = fn(`${name}_update`);
    const final = fn(`${name}_final`);
    return (data: Uint8Array): Uint8Array => {
      if (data.length + digestBytes <= scratchSize) {
        call(name, oneShot, put(digestBytes, data), data.length, scratch);
        return take(0, digestBytes);
      }
      call(name, init);
      for (let at = 0; at < data.length; at += scratchSize) {
        const chunk = data.subarray(at, Math.min(at + scratchSize, data.length));
        call(name, update, put(0, chunk), chunk.length);
      }
      call(name, final, scratch);
      return take(0, digestBytes);
    };
  };

  const sha256 = hasher("sha256", SHA256_BYTES);
  const sha512 = hasher("sha512", SHA512_BYTES);
  const md5Export = fn("md5");
  const publicKeyExport = fn("ed25519_public_key");
  const signExport = fn("ed25519_sign");
  const verifyExport = fn("ed25519_verify");
  const chachaExport = fn("chacha_stream");

  /** Runs a text/bytes codec export of shape (in_ptr, len, out_ptr, out_cap) -> out_len. */
  const codec = (name: string) => {
    const f = fn(name);
    return (operation: string, input: Uint8Array): Uint8Array => {
      fits(operation, input.length + 1);
      const outOffset = input.length;
      const length = call(operation, f, put(0, input), input.length, scratch + outOffset, scratchSize - outOffset);
      return take(outOffset, length);
    };
  };
  const b58Encode = codec("b58_encode");
  const b58Decode = codec("b58_decode");
  const b58CheckEncode = codec("b58check_encode");
  const b58CheckDecode = codec("b58check_decode");
  const addressEncode = codec("helium_address_encode");
  const addressDecode = codec("helium_address_decode");
  const classifyExport = fn("lorawan_classify");
  const airtimeExport = fn("lora_airtime_us");
  const beaconExport = fn("beacon_derive");

  const pbEncodeExport = fn("pb_encode");
  const pbDecodeExport = fn("pb_decode");
  const pbDecodePackedExport = fn("pb_decode_packed");
  const pbErrorAt = fn("pb_error_at");
  const pbErrorField = fn("pb_error_field");
  /** The ProtoCore convention (modules/proto/core.ts): results, not exceptions; `unit` bytes per returned count. */
  const protoCall = (f: RawExport, input: Uint8Array, unit: number): CoreResult => {
    const outOffset = align16(input.length);
    if (outOffset >= scratchSize) return { ok: false, code: ERR_BAD_LENGTH, at: 0, field: 0 };
    let count: number;
    try {
      count = f(put(0, input), input.length, scratch + outOffset, scratchSize - outOffset);
    } catch (error) {
      throw new CoreError("TRAP", "protobuf", `the core trapped: ${String(error)}`);
    }
    if (count < 0) return { ok: false, code: count, at: pbErrorAt(), field: pbErrorField() };
    return { ok: true, bytes: take(outOffset, count * unit) };
  };

  return {
    sha256,
    sha512,

    md5(data) {
      fits("md5", data.length + MD5_BYTES);
      call("md5", md5Export, put(MD5_BYTES, data), data.length, scratch);
      return take(0, MD5_BYTES);
    },

    ed25519PublicKey(seed) {
      requireLength(seed, SEED_BYTES, "a seed", "ed25519PublicKey");
      call("ed25519PublicKey", publicKeyExport, put(0, seed), scratch + SEED_BYTES);
      return take(SEED_BYTES, PUBLIC_KEY_BYTES);
    },

    ed25519Sign(seed, message) {
      requireLength(seed, SEED_BYTES, "a seed", "ed25519Sign");
      const messageOffset = SEED_BYTES + SIGNATURE_BYTES;
      fits("ed25519Sign", messageOffset + message.length);
      put(0, seed);
      call("ed25519Sign", signExport, scratch, put(messageOffset, message), message.length, scratch + SEED_BYTES);
      return take(SEED_BYTES, SIGNATURE_BYTES);
    },

    ed25519Verify(publicKey, message, signature) {
      requireLength(publicKey, PUBLIC_KEY_BYTES, "a public key", "ed25519Verify");
      requireLength(signature, SIGNATURE_BYTES, "a signature", "ed25519Verify");
      const messageOffset = PUBLIC_KEY_BYTES + SIGNATURE_BYTES;
      fits("ed25519Verify", messageOffset + message.length);
      put(0, publicKey);
      put(PUBLIC_KEY_BYTES, signature);
      try {
        return call("ed25519Verify", verifyExport, scratch, put(messageOffset, message), message.length, scratch + PUBLIC_KEY_BYTES) === 1;
      } catch (error) {
        // A signature over a key or R that is not a point, or with S >= L, is simply not valid.
        if (error instanceof CoreError && (error.code === "BAD_POINT" || error.code === "NON_CANONICAL")) return false;
        throw error;
      }
    },

    chacha(rounds, seed, words) {
      requireLength(seed, SEED_BYTES, "a seed", "chacha");
      if (!Number.isInteger(words) || words < 0) throw new CoreError("BAD_INPUT", "chacha", "the word count must be a whole number >= 0");
      fits("chacha", 4 * words);
      // The export reads the seed before writing, so the stream may overwrite it: both start at 0.
      call("chacha", chachaExport, rounds, put(0, seed), scratch, words);
      const bytes = take(0, 4 * words);
      const view = new DataView(bytes.buffer);
      return Uint32Array.from({ length: words }, (_, i) => view.getUint32(4 * i, true));
    },

    base58Encode: (bytes) => fromAscii(b58Encode("base58Encode", bytes)),
    base58Decode: (text) => b58Decode("base58Decode", ascii(text, "base58Decode")),
    base58CheckEncode: (payload) => fromAscii(b58CheckEncode("base58CheckEncode", payload)),
    base58CheckDecode: (text) => b58CheckDecode("base58CheckDecode", ascii(text, "base58CheckDecode")),
    addressEncode: (keyBin) => fromAscii(addressEncode("addressEncode", keyBin)),
    addressDecode: (address) => addressDecode("addressDecode", ascii(address, "addressDecode")),

    classifyLoRaWAN(phyPayload): LoRaWANFrame {
      const recordOffset = align16(phyPayload.length);
      fits("classifyLoRaWAN", recordOffset + CLASSIFY_RECORD_BYTES);
      call("classifyLoRaWAN", classifyExport, put(0, phyPayload), phyPayload.length, scratch + recordOffset);
      const r = take(recordOffset, CLASSIFY_RECORD_BYTES);
      const view = new DataView(r.buffer);
      const type = FRAME_TYPES[r[0]];
      if (type === undefined) throw new CoreError("BAD_INPUT", "classifyLoRaWAN", `the core reported frame type ${r[0]}`);
      const frame: LoRaWANFrame = { type };
      if (phyPayload.length > 0) {
        frame.mType = r[2];
        frame.major = r[3];
      }
      if (type === "invalid") {
        frame.error = INVALID_REASONS[r[1]] ?? `reason ${r[1]}`;
        return frame;
      }
      const flags = r[4];
      if (flags & FLAG_DATA) {
        frame.devAddr = view.getUint32(8, true);
        frame.fCtrl = r[5];
        frame.fCnt = view.getUint16(12, true);
        frame.fOptsLength = r[6];
      }
      if (flags & FLAG_FPORT) frame.fPort = r[7];
      if (flags & FLAG_JOIN_REQUEST) {
        frame.joinEui = euiBigEndian(r, 16);
        frame.devEui = euiBigEndian(r, 24);
        frame.devNonce = view.getUint16(14, true);
      }
      const payloadOffset = view.getUint16(32, true);
      if (payloadOffset > 0) frame.payload = phyPayload.slice(payloadOffset, payloadOffset + view.getUint16(34, true));
      return frame;
    },

    pbEncode: (ops) => protoCall(pbEncodeExport, ops, 1),
    pbDecode: (message) => protoCall(pbDecodeExport, message, PB_RECORD_BYTES),
    pbDecodePacked: (body, wireType) => protoCall((p, n, o, c) => pbDecodePackedExport(p, n, wireType, o, c), body, 8),

    airtimeMicros(p: AirtimeParams): number {
      return call("airtimeMicros", airtimeExport, p.spreadingFactor, p.bandwidthKHz, p.codingRate, p.preambleSymbols, p.payloadLength, p.crc ? 1 : 0, p.implicitHeader ? 1 : 0);
    },

    deriveBeacon(input: BeaconInput): Beacon {
      // The beacon crate accepts remote entropy versions 0 and 1 only (Beacon::new).
      if (input.remoteVersion !== 0 && input.remoteVersion !== 1) {
        throw new CoreError("BAD_INPUT", "deriveBeacon", `remote entropy version ${input.remoteVersion} (only 0 and 1 are accepted)`);
      }
      if (!Number.isSafeInteger(input.remoteTimestamp)) throw new CoreError("BAD_INPUT", "deriveBeacon", "the remote timestamp must be a whole number of seconds");
      if (!Number.isInteger(input.gainDbiX10) || Math.abs(input.gainDbiX10) > 0x7fffffff) throw new CoreError("BAD_INPUT", "deriveBeacon", "the gain must be a 32-bit whole number");
      // Layout: record | remote data | local data | params, each 16-byte aligned.
      const remoteAt = align16(BEACON_RECORD_BYTES);
      const localAt = align16(remoteAt + input.remoteData.length);
      const paramsAt = align16(localAt + input.localData.length);
      fits("deriveBeacon", paramsAt + input.regionParams.length);
      call(
        "deriveBeacon", beaconExport,
        put(remoteAt, input.remoteData), input.remoteData.length, BigInt(input.remoteTimestamp),
        put(localAt, input.localData), input.localData.length,
        put(paramsAt, input.regionParams), input.regionParams.length,
        input.gainDbiX10, scratch,
      );
      const r = take(0, BEACON_RECORD_BYTES);
      const view = new DataView(r.buffer);
      return {
        data: r.slice(100, 151),
        frame: r.slice(48, 100),
        frequency: Number(view.getBigUint64(0, true)),
        datarate: view.getInt32(8, true),
        conductedPower: view.getInt32(12, true),
      };
    },
  };
}
