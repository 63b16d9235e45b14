// The verifier's own beacon construction (helium-protocol.md 1.3, peers-and-oracles.md 1.7),
// independent of the firmware and its core: @noble/hashes SHA-256 seeds @noble/ciphers ChaCha12
// (zero nonce and counter: rand_chacha's word order), and each payload byte is the low byte of the
// next 32-bit word.
import { sha256 } from "@noble/hashes/sha2.js";
import { chacha12 } from "@noble/ciphers/chacha.js";
import { decodePlain, types } from "./protos.js";

export const BEACON_PAYLOAD_SIZE = 51;

export interface TaggedSpreading {
  region_spreading: number; // RegionSpreading: SF7 = 1 ... SF12 = 6
  max_packet_size: number;
}
/** One `blockchain_region_param_v1` as the config service serves it. */
export interface RegionParam {
  channel_frequency: number | bigint; // Hz
  bandwidth: number; // Hz
  max_eirp: number; // dBm x 10
  spreading?: { tagged_spreading: TaggedSpreading[] };
}

export interface EntropyRecord {
  data: Uint8Array;
  /** Unix seconds. */
  timestamp: number;
  version: number;
}

export interface RebuiltBeacon {
  data: Uint8Array;
  frequency: number;
  datarate: number;
  conductedPower: number;
}

const SPREADING_SF: Record<number, number> = { 1: 7, 2: 8, 3: 9, 4: 10, 5: 11, 6: 12 };

/** helium.data_rate value of SF/BW (LoRa only), or undefined. */
export function dataRateValue(sf: number, bandwidthKhz: number): number | undefined {
  const column = { 125: 0, 250: 6, 500: 12 }[bandwidthKhz];
  if (column === undefined || sf < 7 || sf > 12) return undefined;
  return column + (12 - sf);
}

export function decodeRegionParams(bytes: Uint8Array): RegionParam[] {
  return decodePlain<{ region_params?: RegionParam[] }>(types.regionParams, bytes).region_params ?? [];
}

function le64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(value), true);
  return out;
}

/** The beacon gateway-rs would build from these inputs, or the reason it refuses to build one. */
export function rebuildBeacon(
  remote: EntropyRecord,
  localData: Uint8Array,
  params: readonly RegionParam[],
  gainX10: number,
): { ok: true; beacon: RebuiltBeacon } | { ok: false; error: string } {
  if (remote.version !== 0 && remote.version !== 1) return { ok: false, error: `entropy version ${remote.version}` };
  if (params.length === 0) return { ok: false, error: "no region params" };
  const seedInput = new Uint8Array(remote.data.length + 8 + localData.length + 8);
  seedInput.set(remote.data, 0);
  seedInput.set(le64(remote.timestamp), remote.data.length);
  seedInput.set(localData, remote.data.length + 8); // local timestamp: eight zero bytes
  const words = chacha12(sha256(seedInput), new Uint8Array(12), new Uint8Array(BEACON_PAYLOAD_SIZE * 4));
  const data = Uint8Array.from({ length: BEACON_PAYLOAD_SIZE }, (_, i) => words[4 * i]);
  const frequency = Number(params[(data[0] | (data[1] << 8)) % params.length].channel_frequency);
  const spreading = (params[0].spreading?.tagged_spreading ?? []).find((t) => t.max_packet_size >= BEACON_PAYLOAD_SIZE);
  if (!spreading) return { ok: false, error: "no spreading fits the beacon" };
  const sf = SPREADING_SF[spreading.region_spreading];
  const datarate = sf === undefined ? undefined : dataRateValue(sf, Math.trunc(params[0].bandwidth / 1000));
  if (datarate === undefined) return { ok: false, error: "no data rate for the region's spreading and bandwidth" };
  // trunc(max_eirp/10 - gain/10) in exact integer arithmetic (both are tenths of a dB); rust_decimal's
  // to_u32 refuses any negative value, a truncated -0.x included.
  const headroom = Math.max(...params.map((p) => p.max_eirp)) - gainX10;
  if (headroom < 0) return { ok: false, error: "negative conducted power" };
  return { ok: true, beacon: { data, frequency, datarate, conductedPower: Math.trunc(headroom / 10) } };
}
