// Benchmark row for beacon derivation (spec 1.3): SHA-256 seed, ChaCha12 stream, region-params
// decoding, frequency/datarate/power selection. "ours" goes through the product binding (Core);
// "noble" is the test suite's independent reference on @noble/hashes, @noble/ciphers and protobufjs.
// node:crypto has no ChaCha12, so this row has no native column.
import crypto from "node:crypto";
import { loadNodeCore } from "../sim/node-core.js";
import { encodeHistoricalRegionParams } from "../modules/region/historical-params.js";
import { referenceBeacon } from "../tests/support/reference-beacon.js";
import type { BenchRow } from "./run.js";

export function beaconRows(): BenchRow[] {
  const core = loadNodeCore();
  const regionParams = encodeHistoricalRegionParams(core, "US915");
  if (regionParams === undefined) throw new Error("no built-in US915 region params");
  const remoteData = new Uint8Array(crypto.randomBytes(32));
  const localData = new Uint8Array(crypto.randomBytes(4));
  const remoteTimestamp = 1_700_000_000;
  const ours = core.deriveBeacon({ remoteData, remoteTimestamp, remoteVersion: 0, localData, regionParams, gainDbiX10: 12 });
  const noble = referenceBeacon(remoteData, BigInt(remoteTimestamp), localData, regionParams, 12);
  if (typeof noble === "string" || Buffer.compare(Buffer.from(ours.data), Buffer.from(noble.data)) !== 0) {
    throw new Error("the core and the reference disagree on the benchmark's beacon");
  }
  return [
    {
      name: "beacon derivation",
      ours: () => core.deriveBeacon({ remoteData, remoteTimestamp, remoteVersion: 0, localData, regionParams, gainDbiX10: 12 }),
      noble: () => referenceBeacon(remoteData, BigInt(remoteTimestamp), localData, regionParams, 12),
    },
  ];
}
