// Test-only: gateway-rs' beacon construction (spec 1.3) written independently of the core, with
// @noble/hashes SHA-256, @noble/ciphers ChaCha12 and protobufjs decoding the region params.
import { sha256 } from "@noble/hashes/sha2.js";
import { chacha12 } from "@noble/ciphers/chacha.js";
import { loadOurProtos } from "./helium-protos.js";
import { heliumEnum } from "./helium-protos.js";

const RegionParams = loadOurProtos(true).lookupType("helium.blockchain_region_params_v1");
const DATA_RATE = heliumEnum("helium.data_rate") as Record<string, number>;
const SPREADING_NAMES = ["SF_INVALID", "SF7", "SF8", "SF9", "SF10", "SF11", "SF12"];

export interface ReferenceBeacon {
  data: Uint8Array;
  frequency: number;
  datarateName: string;
  datarate: number;
  conductedPower: number;
}

function le64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, value, true);
  return out;
}

/** Returns the beacon, or a string naming why gateway-rs would refuse to build one. */
export function referenceBeacon(remoteData: Uint8Array, remoteTimestamp: bigint, local: Uint8Array, params: Uint8Array, gainX10: number): ReferenceBeacon | string {
  const seed = sha256(new Uint8Array([...remoteData, ...le64(remoteTimestamp), ...local, ...le64(0n)]));
  const stream = chacha12(seed, new Uint8Array(12), new Uint8Array(51 * 4));
  const data = Uint8Array.from({ length: 51 }, (_, i) => stream[4 * i]); // low byte of each next_u32
  const decoded = RegionParams.toObject(RegionParams.decode(params), { longs: Number, defaults: true }) as {
    region_params: { channel_frequency: number; bandwidth: number; max_eirp: number; spreading?: { tagged_spreading: { region_spreading: number; max_packet_size: number }[] } }[];
  };
  const list = decoded.region_params;
  if (list.length === 0) return "no region params";
  const frequency = list[(data[0] | (data[1] << 8)) % list.length].channel_frequency;
  const spreading = (list[0].spreading?.tagged_spreading ?? []).find((t) => t.max_packet_size >= 51);
  if (spreading === undefined) return "no spreading fits 51 bytes";
  const datarateName = `${SPREADING_NAMES[spreading.region_spreading]}BW${Math.trunc(list[0].bandwidth / 1000)}`;
  if (DATA_RATE[datarateName] === undefined) return `no data rate ${datarateName}`;
  const maxEirp = Math.max(...list.map((p) => p.max_eirp));
  // max_eirp/10 - gain/10 in exact decimal, truncated toward zero, then rust_decimal's to_u32, which
  // refuses any negative value, including a truncated -0.x (trunc keeps the sign).
  if (maxEirp - gainX10 < 0) return "negative conducted power";
  const conductedPower = Math.trunc((maxEirp - gainX10) / 10);
  return { data, frequency, datarateName, datarate: DATA_RATE[datarateName], conductedPower };
}
