// Fixtures for the XS suites, computed here in Node by independent implementations: expected values
// for the core suite (node:crypto, @noble/curves, @noble/ciphers, bs58, bs58check, @helium/address),
// server messages for the network suite (protobufjs over our .proto files) and calls signed with
// node:crypto for the web suite. XS has none of these, so the runner writes fresh random cases as
// modules (build/xs/tests/xs/fixtures/*.js) before each run, and keeps them to check the artifacts
// the suites print (xs-artifacts.ts).
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ed25519 } from "@noble/curves/ed25519.js";
import { chacha12, chacha20 } from "@noble/ciphers/chacha.js";
import bs58 from "bs58";
import bs58check from "bs58check";
import type { CoreOracle } from "../xs/fixtures/core-oracle.js";
import type { NetworkFixture } from "../xs/fixtures/network.js";
import type { SignedCall, WebFixture } from "../xs/fixtures/web.js";
import { loadOurProtos } from "./helium-protos.js";
import { VECTORS } from "./vectors.js";
import { ClientKey, signHeaders } from "./web-fixture.js";

interface AddressStatic {
  new (version: number, netType: number, keyType: number, publicKey: Uint8Array): { b58: string; bin: Uint8Array };
}
const require = createRequire(import.meta.url);
const Address = (require("@helium/address") as { default: AddressStatic }).default;

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rand = (n: number) => new Uint8Array(randomBytes(n));

export function coreOracle(): CoreOracle {
  // Sizes around SHA block edges and past the 16 KiB scratch region (streamed in chunks).
  const hashes = [0, 1, 55, 56, 64, 111, 112, 128, 1000, 16_352, 16_400, 40_000].map((size) => {
    const data = rand(size);
    const digest = (algorithm: string) => createHash(algorithm).update(data).digest("hex");
    // The Core's md5 is one-shot (inputs up to the scratch region only).
    return { data: hex(data), sha256: digest("sha256"), sha512: digest("sha512"), md5: size <= 16_000 ? digest("md5") : undefined };
  });
  const ed25519Cases = Array.from({ length: 8 }, (_, i) => {
    const seed = rand(32);
    const message = rand(i === 0 ? 0 : randomInt(1, i === 1 ? 5000 : 200));
    const signature = ed25519.sign(message, seed);
    const tampered = signature.slice();
    tampered[randomInt(0, 64)] ^= 1 << randomInt(0, 8);
    const publicKey = ed25519.getPublicKey(seed);
    return {
      seed: hex(seed),
      message: hex(message),
      publicKey: hex(publicKey),
      signature: hex(signature),
      tampered: hex(tampered),
      tamperedValid: ed25519.verify(tampered, message, publicKey),
    };
  });
  const nonce = new Uint8Array(12);
  const chacha = ([12, 20] as const).flatMap((rounds) =>
    [1, 16, 33].map((words) => {
      const seed = rand(32);
      const stream = (rounds === 12 ? chacha12 : chacha20)(seed, nonce, new Uint8Array(4 * words));
      return { rounds, seed: hex(seed), words, stream: hex(stream) };
    }),
  );
  const base58 = Array.from({ length: 10 }, (_, i) => {
    const bytes = new Uint8Array([...new Uint8Array(i % 3), ...rand(randomInt(0, 40))]); // leading zeros too
    return { bytes: hex(bytes), b58: bs58.encode(bytes), b58check: bs58check.encode(bytes) };
  });
  const addresses = [0x00, 0x10].flatMap((netType) =>
    Array.from({ length: 3 }, () => {
      const address = new Address(0, netType, 1, rand(32));
      return { keyBin: hex(new Uint8Array(address.bin)), address: address.b58 };
    }),
  );
  return { hashes, ed25519: ed25519Cases, chacha, base58, addresses };
}

const protos = loadOurProtos(true);
const encode = (type: string, value: object) => {
  const t = protos.lookupType(type);
  const problem = t.verify(value);
  if (problem) throw new Error(`${type}: ${problem}`);
  return hex(t.encode(t.fromObject(value)).finish());
};

export function networkFixture(): NetworkFixture {
  const window = (tmst: number, frequency: number, datarate: number, immediate: boolean) => ({ tmst, frequency, datarate, immediate });
  const rx1 = window(randomInt(1, 2 ** 32), 868_100_000, 5, false); // SF7BW125
  const rx2 = window((rx1.tmst + 1_000_000) % 2 ** 32, 869_525_000, 3, false); // SF9BW125
  const downPayload = hex(rand(17));
  const uplinks = Array.from({ length: 3 }, (_, i) => ({
    payload: hex(rand(12 + 7 * i)),
    tmst: randomInt(0, 2 ** 32),
    rssi: -60 - randomInt(0, 60) - 0.5,
    snr: Math.round((randomInt(-200, 100) / 10) * 4) / 4,
    frequency: [868_100_000, 868_300_000, 868_500_000][i],
    datarate: [5, 3, 0][i],
  }));
  const witnessData = rand(51);
  return {
    wallMillis: Date.UTC(2026, 2, 1, 12, 0, 0) + randomInt(0, 1000) * 1000,
    gatewaySeed: hex(rand(32)),
    router: {
      region: 1, // EU868
      offer: encode("helium.packet_router.envelope_down_v1", { session_offer: { nonce: rand(32) } }),
      uplinks,
      downlink: encode("helium.packet_router.envelope_down_v1", {
        packet: {
          payload: Buffer.from(downPayload, "hex"),
          rx1: { timestamp: rx1.tmst, frequency: rx1.frequency, datarate: rx1.datarate, immediate: rx1.immediate },
          rx2: { timestamp: rx2.tmst, frequency: rx2.frequency, datarate: rx2.datarate, immediate: rx2.immediate },
        },
      }),
      expectedDownlink: { payload: downPayload, rx1, rx2 },
    },
    poc: {
      offer: encode("helium.poc_lora.lora_stream_response_v1", { offer: { nonce: rand(32) } }),
      regionParams: VECTORS.eu868_region_params.blockchainRegionParamsV1Hex,
      gainX10: 12,
      entropy: { data: hex(rand(32)), timestamp: 1_772_000_000 + randomInt(0, 1000), version: 0 },
      witness: { payload: hex(new Uint8Array([0xe0, ...witnessData])), tmst: randomInt(0, 2 ** 32), rssi: -110.5, signalRssi: -113.5, snr: -7.75, freq: 867_700_000, datarate: "SF9BW125" },
    },
  };
}

export function webFixture(): WebFixture {
  const wallMillis = Date.UTC(2026, 2, 1, 12, 0, 0);
  const timestamp = wallMillis / 1000;
  const random = rand(48);
  const admin = ClientKey.generate();
  const read = ClientKey.generate();
  const signed = (method: string, target: string, body: string, key: ClientKey): SignedCall => ({
    method,
    target,
    body,
    headers: signHeaders({ method, target, body, key, timestamp, nonce: randomBytes(16).toString("hex") }),
  });
  return {
    wallMillis,
    random: hex(random),
    adminId: admin.id,
    readId: read.id,
    token: `${hex(random.subarray(8, 16))}.${hex(random.subarray(16, 48))}`,
    enrolAdmin: signed("POST", "/api/v1/keys", JSON.stringify({ publicKey: admin.publicKeyHex, label: "xs" }), admin),
    addReadKey: signed("POST", "/api/v1/keys", JSON.stringify({ publicKey: read.publicKeyHex, scope: "read", label: "xs" }), admin),
    makeToken: signed("POST", "/api/v1/tokens", '{"label":"xs"}', admin),
    readKeyAction: signed("POST", "/api/v1/actions/restart-radio", "", read),
    adminAction: signed("POST", "/api/v1/actions/restart-radio", "", admin),
    readStatus: signed("GET", "/api/v1/status", "", read),
    hostileConfig: signed("PUT", "/api/v1/config", `{"forwarder":{"mode":{"toString":"x"}},"radio":${"[".repeat(300)}${"]".repeat(300)}}`, admin),
  };
}

export interface XsFixtures {
  core: CoreOracle;
  network: NetworkFixture;
  web: WebFixture;
}

/** Writes the fixture modules the XS suites import from ./fixtures/ into `suitesDir`; returns them. */
export function writeXsFixtures(suitesDir: string): XsFixtures {
  const dir = join(suitesDir, "fixtures");
  mkdirSync(dir, { recursive: true });
  const fixtures: XsFixtures = { core: coreOracle(), network: networkFixture(), web: webFixture() };
  writeFileSync(join(dir, "core-oracle.js"), `export default ${JSON.stringify(fixtures.core)};\n`);
  writeFileSync(join(dir, "network.js"), `export default ${JSON.stringify(fixtures.network)};\n`);
  writeFileSync(join(dir, "web.js"), `export default ${JSON.stringify(fixtures.web)};\n`);
  return fixtures;
}
