// Beacon derivation from the core against an independent re-derivation (peers-and-oracles.md
// 1.7): @noble/hashes SHA-256 for the seed, @noble/ciphers ChaCha12 (zero 12-byte nonce, see
// chacha.test.ts for why that equals rand_chacha's stream 0) for the payload, region params
// encoded by @helium/proto, data rates named through @helium/proto's data_rate enum.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { createRequire } from "node:module";
import { sha256 } from "@noble/hashes/sha2.js";
import { chacha12 } from "@noble/ciphers/chacha.js";
import { loadRawCore } from "./support/raw-core.js";

interface TaggedSpreading { regionSpreading: number; maxPacketSize: number }
interface RegionParam { channelFrequency: number; bandwidth: number; maxEirp: number; spreading?: { taggedSpreading: TaggedSpreading[] } }
interface ProtoType<T> { encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T }
const require = createRequire(import.meta.url);
const helium = (require("@helium/proto") as {
  helium: {
    blockchain_region_params_v1: ProtoType<{ regionParams: RegionParam[] }>;
    data_rate: Record<string, number>;
    RegionSpreading: Record<number, string>;
  };
}).helium;

// Error codes of assembly/errors.ts.
const ERR_NO_REGION_PARAMS = -30;
const ERR_NO_SPREADING = -31;
const ERR_NO_DATARATE = -32;
const ERR_BAD_POWER = -33;

// oracle-vectors.json: eu868_region_params (helium/proto beacon/src/region.rs EU868_PARAMS) and
// beacon_v1_eu868 (DERIVED; @noble and an independent Python implementation agree).
const EU868 = Buffer.from(
  "0a2308e0cabb9d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a0e5c79d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0ffd39d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a09ae09d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0b4ec9d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a0cff89d0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308e0e9849e0310c8d00718a10122140a04080610410a0508031081010a05080210ee010a2308a084919e0310c8d00718a10122140a04080610410a0508031081010a05080210ee01",
  "hex",
);
const ORACLE_V1 = {
  remoteHex: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", remoteTs: 1700000000, localHex: "01020304",
  seedHex: "5cdd459de68581624af2f7478dd970cf9157949fefb3ccb895446fa96ebfa190",
  dataHex: "aa4770cb5251a8e810a5fe5aeb5177dad8c19c284170338c3d6c75d6b84533a8922463d8b3c0e77afc4adfade21ea618f66f34",
  frequencyHz: 867500000, datarate: "SF12BW125", conductedPowerDbm: 14,
};
// helium-protocol.md 8.8 (US915 from the historical chain variables, 7.3).
const US915 = Buffer.from(
  "0a2908e0d681af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0f18daf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e08b9aaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0a6a6af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0c0b2af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a0dbbeaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908e0f5caaf0310c8d00718e802221a0a04080410190a04080310430a050802108b010a0508011080020a2908a090d7af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a050801108002",
  "hex",
);

const core = loadRawCore();
const beaconDerive = core.exports.beacon_derive as unknown as (
  remotePtr: number, remoteLen: number, ts: bigint, localPtr: number, localLen: number, paramsPtr: number, paramsLen: number, gain: number, out: number,
) => number;

interface Beacon { frequency: bigint; datarate: number; power: number; seed: Uint8Array; frame: Uint8Array; data: Uint8Array }

function ours(remote: Uint8Array, ts: bigint, local: Uint8Array, params: Uint8Array, gain: number): Beacon | number {
  const r = core.put(remote, 0);
  const l = core.put(local, 512);
  const p = core.put(params, 1024);
  const out = core.scratch + 8192;
  const n = beaconDerive(r, remote.length, ts, l, local.length, p, params.length, gain, out);
  if (n < 0) return n;
  assert.equal(n, 151);
  const rec = core.get(out, 151);
  const view = new DataView(rec.buffer);
  return {
    frequency: view.getBigUint64(0, true), datarate: view.getInt32(8, true), power: view.getInt32(12, true),
    seed: rec.slice(16, 48), frame: rec.slice(48, 100), data: rec.slice(100, 151),
  };
}

function le64(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, true);
  return b;
}

/** The recipe of peers-and-oracles.md 1.7 and helium-protocol.md 1.3, from the decoded params. */
function reference(remote: Uint8Array, ts: bigint, local: Uint8Array, params: RegionParam[], gain: number): Beacon | number {
  if (params.length === 0) return ERR_NO_REGION_PARAMS;
  const seed = sha256(new Uint8Array([...remote, ...le64(ts), ...local, ...le64(0n)]));
  const keystream = chacha12(seed, new Uint8Array(12), new Uint8Array(51 * 4));
  const data = Uint8Array.from({ length: 51 }, (_, i) => keystream[4 * i]);
  const frequency = BigInt(String(params[(data[0] | (data[1] << 8)) % params.length].channelFrequency));
  const first = params[0];
  if (!first.spreading) return ERR_NO_SPREADING;
  const fit = first.spreading.taggedSpreading.find((t) => t.maxPacketSize >= 51);
  if (!fit) return ERR_NO_SPREADING;
  const sfName = helium.RegionSpreading[fit.regionSpreading];
  if (sfName === undefined) return ERR_NO_SPREADING;
  const datarate = helium.data_rate[`${sfName}BW${Math.floor(first.bandwidth / 1000)}`];
  if (datarate === undefined) return ERR_NO_DATARATE;
  const maxEirp = Math.max(...params.map((p) => p.maxEirp));
  if (maxEirp - gain < 0) return ERR_BAD_POWER;
  return { frequency, datarate, power: Math.trunc((maxEirp - gain) / 10), seed, frame: new Uint8Array([0xe0, ...data]), data };
}

function randomTs(): bigint {
  const pick = randomInt(0, 4);
  if (pick === 0) return BigInt(randomInt(1_600_000_000, 1_900_000_000));
  if (pick === 1) return 0n;
  return new DataView(randomBytes(8).buffer).getBigInt64(0, true);
}

function randomEntropy(): { remote: Uint8Array; local: Uint8Array } {
  const remote = new Uint8Array(randomBytes(randomInt(0, 4) === 0 ? 0 : randomInt(1, 65)));
  const local = new Uint8Array(randomBytes(randomInt(0, 5) === 0 ? randomInt(0, 17) : 4));
  return { remote, local };
}

function randomParams(): RegionParam[] {
  const n = randomInt(0, 12) === 0 ? 0 : randomInt(1, 17);
  const bandwidths = [125000, 250000, 500000, 125999, 200000, 0];
  const bandwidth = bandwidths[randomInt(0, 6) === 0 ? randomInt(3, 6) : randomInt(0, 3)];
  return Array.from({ length: n }, () => {
    const param: RegionParam = { channelFrequency: randomInt(400_000_000, 1_000_000_000), bandwidth, maxEirp: randomInt(0, 400) };
    if (randomInt(0, 10) !== 0) {
      const count = randomInt(0, 7);
      param.spreading = {
        taggedSpreading: Array.from({ length: count }, () => ({ regionSpreading: randomInt(0, 10) === 0 ? 0 : randomInt(1, 7), maxPacketSize: randomInt(0, 260) })),
      };
    }
    return param;
  });
}

function assertSame(actual: Beacon | number, expected: Beacon | number, what: string): void {
  assert.deepEqual(actual, expected, what);
}

test("beacons from the spec's US915 and EU868 params equal the @noble re-derivation on 400 random entropies", () => {
  for (const [name, bytes] of [["US915", US915], ["EU868", EU868]] as const) {
    const params = helium.blockchain_region_params_v1.decode(bytes).regionParams;
    assert.equal(params.length, 8);
    for (let i = 0; i < 200; i++) {
      const { remote, local } = randomEntropy();
      const ts = randomTs();
      const gain = randomInt(0, 120);
      assertSame(ours(remote, ts, local, bytes, gain), reference(remote, ts, local, params, gain), `${name} #${i}`);
    }
  }
});

test("beacons from 500 random region plans (encoded by @helium/proto) equal the re-derivation, errors included", () => {
  const outcomes = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const params = randomParams();
    const bytes = helium.blockchain_region_params_v1.encode({ regionParams: params }).finish();
    const { remote, local } = randomEntropy();
    const ts = randomTs();
    const gain = randomInt(0, 400);
    const expected = reference(remote, ts, local, params, gain);
    assertSame(ours(remote, ts, local, bytes, gain), expected, `plan ${Buffer.from(bytes).toString("hex")} gain ${gain}`);
    outcomes.add(typeof expected === "number" ? String(expected) : "ok");
  }
  for (const o of ["ok", String(ERR_NO_REGION_PARAMS), String(ERR_NO_SPREADING), String(ERR_NO_DATARATE), String(ERR_BAD_POWER)]) {
    assert.ok(outcomes.has(o), `no case for ${o}`);
  }
});

test("the oracle vector comes out of the re-derivation and the core alike", () => {
  const v = ORACLE_V1;
  const remote = new Uint8Array(Buffer.from(v.remoteHex, "hex"));
  const local = new Uint8Array(Buffer.from(v.localHex, "hex"));
  const got = ours(remote, BigInt(v.remoteTs), local, EU868, 12) as Beacon;
  assertSame(got, reference(remote, BigInt(v.remoteTs), local, helium.blockchain_region_params_v1.decode(EU868).regionParams, 12), "oracle V1");
  assert.equal(Buffer.from(got.seed).toString("hex"), v.seedHex);
  assert.equal(Buffer.from(got.data).toString("hex"), v.dataHex);
  assert.equal(got.frequency, BigInt(v.frequencyHz));
  assert.equal(got.datarate, helium.data_rate[v.datarate]);
  assert.equal(got.power, v.conductedPowerDbm);
});
