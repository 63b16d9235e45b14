// The compute core as the firmware sees it: idiomatic TypeScript over Uint8Array. Two
// implementations share this interface: wasm.ts (WebAssembly, on a PC) and native.ts (the wasm2c C
// of the same module, on the device and the XS test host). Nothing here names WebAssembly.
// Every method throws CoreError on bad input; none returns partial results. The protobuf calls
// (ProtoCore, used by modules/proto/codec.ts) report failures as results instead, as that
// interface defines.
import type { ProtoCore } from "../proto/core.js";

/** LoRaWAN frame kinds, by MType (plus the PoC-shaped proprietary frame and unparseable input). */
export type FrameType =
  | "join_request"
  | "join_accept"
  | "unconfirmed_up"
  | "confirmed_up"
  | "unconfirmed_down"
  | "confirmed_down"
  | "beacon"
  | "proprietary"
  | "invalid";

/** What the core reads from a LoRaWAN PHYPayload. Absent fields are undefined. */
export interface LoRaWANFrame {
  type: FrameType;
  /** MHDR bits 7..5 and 1..0 (present whenever the frame has at least one byte). */
  mType?: number;
  major?: number;
  /** Data frames: DevAddr as the usual big-endian number, FCtrl, 16-bit FCnt, FOpts length, FPort. */
  devAddr?: number;
  fCtrl?: number;
  fCnt?: number;
  fOptsLength?: number;
  fPort?: number;
  /** Join requests: JoinEUI (AppEUI) and DevEUI in the usual big-endian reading, and DevNonce. */
  joinEui?: Uint8Array;
  devEui?: Uint8Array;
  devNonce?: number;
  /** Data frames with FPort: FRMPayload (still encrypted). Beacon/proprietary: everything after the MHDR. */
  payload?: Uint8Array;
  /** For "invalid": why, in words. */
  error?: string;
}

/** LoRa modulation and packet settings for time on air. */
export interface AirtimeParams {
  spreadingFactor: number; // 5..12
  bandwidthKHz: number; // 125, 250 or 500
  codingRate: number; // denominator: 5..8 for 4/5..4/8
  preambleSymbols: number;
  payloadLength: number;
  crc: boolean;
  implicitHeader: boolean;
}

/** Inputs of gateway-rs' beacon construction (spec section 1.2). */
export interface BeaconInput {
  remoteData: Uint8Array;
  /** Remote entropy timestamp in seconds (hashed as i64 LE). */
  remoteTimestamp: number;
  /** Remote entropy version; only 0 and 1 are accepted. */
  remoteVersion: number;
  /** The 4 local entropy bytes. */
  localData: Uint8Array;
  /** Encoded blockchain_region_params_v1 in the order the config service served it. */
  regionParams: Uint8Array;
  /** Antenna gain in dBi x 10 as the config service gives it. */
  gainDbiX10: number;
}

export interface Beacon {
  /** The 51 payload bytes. */
  data: Uint8Array;
  /** What goes on the air: 0xE0 || data (52 bytes). */
  frame: Uint8Array;
  /** Hz. */
  frequency: number;
  /** helium.data_rate enum value. */
  datarate: number;
  /** Whole dBm. */
  conductedPower: number;
}

export interface Core extends ProtoCore {
  sha256(data: Uint8Array): Uint8Array;
  sha512(data: Uint8Array): Uint8Array;
  md5(data: Uint8Array): Uint8Array;

  /** The 32-byte Ed25519 public key of a 32-byte seed. */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  /** RFC 8032 signature (64 bytes) of `message` with the key of `seed`. */
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /** True for a valid signature; false for an invalid one (including bad points and non-canonical S). */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;

  /** The first `words` next_u32 outputs of rand_chacha's ChaCha12Rng/ChaCha20Rng seeded with `seed`. */
  chacha(rounds: 12 | 20, seed: Uint8Array, words: number): Uint32Array;

  base58Encode(bytes: Uint8Array): string;
  base58Decode(text: string): Uint8Array;
  /** base58 of payload || SHA256(SHA256(payload))[0..4]. */
  base58CheckEncode(payload: Uint8Array): string;
  base58CheckDecode(text: string): Uint8Array;

  /** Helium address (b58check of 0x00 || tag || key) of a public key binary. */
  addressEncode(keyBin: Uint8Array): string;
  /** The public key binary (tag || key) of a Helium address; checks checksum, tag and length. */
  addressDecode(address: string): Uint8Array;

  classifyLoRaWAN(phyPayload: Uint8Array): LoRaWANFrame;
  airtimeMicros(params: AirtimeParams): number;
  deriveBeacon(input: BeaconInput): Beacon;
}
