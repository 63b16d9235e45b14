// The `hotspot` CLI end to end: every command spawned as a user runs it (node bin/hotspot.js), its
// JSON checked against independent code (@helium/crypto, @helium/address, @helium/proto,
// protobufjs, @noble/curves, lora-packet, angry-purple-tiger, the spec's vectors), plus bad input:
// exit code 2, one line on stderr, nothing on stdout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ed25519 } from "@noble/curves/ed25519.js";
import heliumAddress from "@helium/address";
import heliumCrypto from "@helium/crypto";
import bs58 from "bs58";
import { main } from "../cli/hotspot.js";
import { loadOurProtos } from "./support/helium-protos.js";
import { referenceBeacon } from "./support/reference-beacon.js";
import { VECTORS } from "./support/vectors.js";

const Address = heliumAddress.default;
const { Keypair } = heliumCrypto;
const require = createRequire(import.meta.url);
const animalHash = require("angry-purple-tiger") as (input: string, options?: object) => string;
const heliumProto = require("@helium/proto") as { helium: Record<string, { decode(b: Uint8Array): Record<string, unknown>; encode(m: object): { finish(): Uint8Array }; create(m: object): object }> };
const lora = require("lora-packet") as { fromWire(b: Buffer): { getMType(): string; getFCnt(): number | null; getFPort(): number | null; DevAddr?: Buffer; AppEUI?: Buffer; DevEUI?: Buffer } };

const BIN = fileURLToPath(new URL("../../../bin/hotspot.js", import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), "hotspot-cli-"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function hotspot(args: string[], bin = BIN): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

async function json(args: string[]): Promise<Record<string, unknown>> {
  const run = await hotspot(args);
  assert.equal(run.code, 0, `hotspot ${args.join(" ")}: ${run.stderr}`);
  assert.equal(run.stderr, "");
  return JSON.parse(run.stdout);
}

async function refused(args: string[], why: RegExp): Promise<void> {
  const run = await hotspot(args);
  assert.equal(run.code, 2, `hotspot ${args.join(" ")} exit code (stderr: ${run.stderr})`);
  assert.equal(run.stdout, "", `hotspot ${args.join(" ")} stdout`);
  assert.match(run.stderr, /^hotspot[^\n]*\n$/, `hotspot ${args.join(" ")}: one line on stderr`);
  assert.match(run.stderr, why, `hotspot ${args.join(" ")}`);
}

test("--help lists every command on stdout; no command or an unknown one is refused", async () => {
  const run = await hotspot(["--help"]);
  assert.equal(run.code, 0);
  for (const command of ["key info", "key generate", "sign", "verify", "beacon", "encode", "decode", "airtime", "add-gateway"]) assert.ok(run.stdout.includes(command), command);
  await refused([], /missing command/);
  await refused(["mine"], /unknown command "mine"/);
});

test("key info --seed [--testnet]: address, animal name and public key as @helium/crypto and angry-purple-tiger give them", async () => {
  for (let i = 0; i < 3; i++) {
    const seed = new Uint8Array(randomBytes(32));
    const reference = await Keypair.fromEntropy(seed);
    const out = await json(["key", "info", "--seed", hex(seed)]);
    assert.deepEqual(out, {
      address: reference.address.b58,
      name: animalHash(reference.address.b58, { style: "lowercase", separator: "-" }),
      publicKey: hex(reference.address.bin),
    });
    const testnet = await json(["key", "info", "--seed", hex(seed), "--testnet"]);
    const testnetAddress = new Address(0, 16, 1, reference.publicKey);
    assert.deepEqual(testnet, { address: testnetAddress.b58, name: animalHash(testnetAddress.b58, { style: "lowercase", separator: "-" }), publicKey: hex(testnetAddress.bin) });
  }
});

test("key generate --out writes a 65-byte gateway-rs keypair file that key info --key reads; it never overwrites", async () => {
  const file = join(TMP, "gateway_key.bin");
  const generated = await json(["key", "generate", "--out", file]);
  const bytes = new Uint8Array(readFileSync(file));
  assert.equal(bytes.length, 65);
  assert.equal(bytes[0], 0x01);
  assert.deepEqual(bytes.subarray(33), ed25519.getPublicKey(bytes.subarray(1, 33)));
  const reference = await Keypair.fromEntropy(bytes.subarray(1, 33));
  assert.equal(generated.address, reference.address.b58);
  assert.deepEqual(await json(["key", "info", "--key", file]), generated);
  await refused(["key", "generate", "--out", file], /EEXIST/);
  assert.deepEqual(new Uint8Array(readFileSync(file)), bytes, "the existing key file is untouched");
  const testnet = await json(["key", "generate", "--out", join(TMP, "testnet.bin"), "--testnet"]);
  assert.equal(readFileSync(join(TMP, "testnet.bin"))[0], 0x11);
  assert.equal(Address.fromB58(testnet.address as string).netType, 16);
});

test("key info --key reads a file built from @helium/crypto's secret key", async () => {
  const reference = await Keypair.fromEntropy(new Uint8Array(randomBytes(32)));
  const file = join(TMP, "reference.bin");
  writeFileSync(file, new Uint8Array([0x01, ...reference.privateKey]));
  assert.equal((await json(["key", "info", "--key", file])).address, reference.address.b58);
});

test("sign equals @noble/curves; verify accepts noble's signatures and refuses changed ones", async () => {
  const seed = new Uint8Array(randomBytes(32));
  const message = new Uint8Array(randomBytes(randomInt(0, 200)));
  assert.deepEqual(await json(["sign", "--seed", hex(seed), "--msg", hex(message)]), { signature: hex(ed25519.sign(message, seed)) });
  const address = new Address(0, 0, 1, ed25519.getPublicKey(seed)).b58;
  const signature = ed25519.sign(message, seed);
  assert.deepEqual(await json(["verify", "--address", address, "--msg", hex(message), "--sig", hex(signature)]), { valid: true });
  signature[randomInt(0, 64)] ^= 4;
  assert.deepEqual(await json(["verify", "--address", address, "--msg", hex(message), "--sig", hex(signature)]), { valid: false });
  const empty = await json(["sign", "--seed", hex(seed), "--msg", ""]);
  assert.deepEqual(empty, { signature: hex(ed25519.sign(new Uint8Array(0), seed)) });
  assert.deepEqual(await json(["verify", "--address", address, "--msg", "", "--sig", empty.signature as string]), { valid: true });
  const v = VECTORS.helium_ed25519_address;
  assert.deepEqual(await json(["sign", "--seed", v.seedHex, "--msg", hex(Buffer.from(v.signMessageAscii))]), { signature: v.expectSignatureHex });
});

test("beacon: the spec's V1 with --region US915, the oracle vector with --params, and random inputs vs the @noble reference", async () => {
  assert.deepEqual(
    await json(["beacon", "--remote-data", "CE98+3O9JaKJYQqNO7vCF94iOVasA/TaWfdcpvLmcWs=", "--remote-ts", "1663702455", "--local", "01020304", "--region", "US915", "--gain", "12"]),
    {
      data: "a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e",
      frame: "e0a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e",
      frequency: 904_100_000,
      datarate: "SF9BW125",
      conductedPower: 34,
    },
  );
  // V2: empty remote data, as the entropy stub serves it since HIP-149.
  const v2 = await json(["beacon", "--remote-data", "", "--remote-ts", "1780000000", "--local", "deadbeef", "--region", "US915", "--gain", "12"]);
  assert.deepEqual([v2.data, v2.frequency, v2.datarate], ["60531a0efb988e716743ed1c9448f77a4d643eb86ed4bcd3476c36c61518d08d9b273fd22870a7a54a1e1c3ecfa9f22f85d481", 903_900_000, "SF9BW125"]);
  const o = VECTORS.beacon_v1_eu868;
  const oracle = await json(["beacon", "--remote-data", Buffer.from(o.remoteEntropy.dataHex, "hex").toString("base64"), "--remote-ts", String(o.remoteEntropy.timestampSecs),
    "--local", o.localEntropy.dataHex, "--params", VECTORS.eu868_region_params.blockchainRegionParamsV1Hex, "--gain", "12"]);
  assert.deepEqual([oracle.data, oracle.frequency, oracle.datarate, oracle.conductedPower], [o.expect.dataHex, o.expect.frequencyHz, o.expect.datarate, o.expect.conductedPowerDbm]);
  const eu868 = new Uint8Array(Buffer.from(VECTORS.eu868_region_params.blockchainRegionParamsV1Hex, "hex"));
  for (let i = 0; i < 3; i++) {
    const remote = new Uint8Array(randomBytes(randomInt(0, 40)));
    const ts = randomInt(0, 2 ** 40);
    const local = new Uint8Array(randomBytes(4));
    const gain = randomInt(0, 100);
    const expected = referenceBeacon(remote, BigInt(ts), local, eu868, gain);
    assert.ok(typeof expected !== "string");
    const out = await json(["beacon", "--remote-data", Buffer.from(remote).toString("base64"), "--remote-ts", String(ts), "--local", hex(local), "--params", hex(eu868), "--gain", String(gain)]);
    assert.deepEqual(out, { data: hex(expected.data), frame: `e0${hex(expected.data)}`, frequency: expected.frequency, datarate: expected.datarateName, conductedPower: expected.conductedPower });
  }
});

test("encode: the spec's witness and packet_up vectors (8.7) from JSON; protobufjs reads back the fields", async () => {
  const witness = {
    pub_key: "01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09",
    data: "a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e",
    timestamp: "1700000000123456789", tmst: 123456789, signal: -1150, snr: -75, frequency: 867300000, datarate: "SF12BW125",
  };
  const witnessFile = join(TMP, "witness.json");
  writeFileSync(witnessFile, JSON.stringify(witness));
  const out = await json(["encode", "lora_witness_report_req_v1", "--json", witnessFile]);
  assert.equal(out.hex, "122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a091a33a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e20959a97ece39fe7cb1728959aef3a30fb1138b5ffffffffffffffff0140a0e5c79d03");
  const Witness = loadOurProtos(true).lookupType("helium.poc_lora.lora_witness_report_req_v1");
  const decoded = Witness.toObject(Witness.decode(Buffer.from(out.hex as string, "hex")), { longs: String, enums: String });
  assert.deepEqual([decoded.timestamp, decoded.signal, decoded.snr, decoded.frequency], ["1700000000123456789", -1150, -75, "867300000"]);
  const packetUp = {
    payload: "4047a5650080822902d6031b3d8ca5d38fc40186381f7ade", timestamp: 3000000000, rssi: -112, frequency: 904300000,
    datarate: "SF7BW125", snr: 7.5, region: "US915", hold_time: 12, gateway: "01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09",
  };
  const packetFile = join(TMP, "packet.json");
  writeFileSync(packetFile, JSON.stringify(packetUp));
  assert.deepEqual(await json(["encode", "packet_router_packet_up_v1", "--json", packetFile]), {
    hex: "0a184047a5650080822902d6031b3d8ca5d38fc40186381f7ade1080bcc1960b18df0120e08b9aaf032805350000f040400c4a2101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09",
  });
});

test("decode: lora-packet's reading of uplinks and join requests, the beacon shape, and invalid frames with a reason", async () => {
  const up = VECTORS.lorawan_readme_uplink.phyHex;
  const p = lora.fromWire(Buffer.from(up, "hex"));
  assert.deepEqual(await json(["decode", up]), { type: "unconfirmed_up", devAddr: p.DevAddr!.toString("hex"), fCnt: p.getFCnt(), fPort: p.getFPort() });
  const join = VECTORS.lorawan_join_request.expectPhyHex;
  const j = lora.fromWire(Buffer.from(join, "hex"));
  assert.deepEqual(await json(["decode", join]), { type: "join_request", joinEui: j.AppEUI!.toString("hex"), devEui: j.DevEUI!.toString("hex") });
  assert.deepEqual(await json(["decode", `e0${hex(new Uint8Array(randomBytes(51)))}`]), { type: "beacon" });
  assert.deepEqual(await json(["decode", `e0${hex(new Uint8Array(randomBytes(20)))}`]), { type: "proprietary" });
  const bad = await json(["decode", "40aabbccdd"]);
  assert.equal(bad.type, "invalid");
  assert.match(bad.error as string, /at least 12 bytes/);
});

test("decode with a sample of random hex: a frame type or a refusal of the hex, never anything else", async () => {
  const types = new Set(["join_request", "join_accept", "unconfirmed_up", "confirmed_up", "unconfirmed_down", "confirmed_down", "beacon", "proprietary", "invalid"]);
  for (let i = 0; i < 20; i++) {
    let text = hex(new Uint8Array(randomBytes(randomInt(0, i < 16 ? 64 : 300))));
    if (i % 5 === 4) text = `${text}${"xg7"[randomInt(0, 3)]}`; // odd length or a non-hex digit
    const run = await hotspot(["decode", text]);
    if (run.code === 2) {
      assert.match(run.stderr, /^hotspot decode: HEX: [^\n]+\n$/);
      assert.equal(run.stdout, "");
      continue;
    }
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.ok(types.has(out.type), run.stdout);
    if (out.devAddr !== undefined) assert.equal(out.devAddr, lora.fromWire(Buffer.from(text, "hex")).DevAddr!.toString("hex"));
  }
});

test("airtime: the TTN and RadioLib tables", async () => {
  assert.deepEqual(await json(["airtime", "--sf", "7", "--bw", "125", "--cr", "5", "--preamble", "8", "--len", "13"]), { microseconds: 46_336 });
  assert.deepEqual(await json(["airtime", "--sf", "12", "--bw", "125", "--cr", "5", "--preamble", "8", "--len", "10"]), { microseconds: 991_232 });
  assert.deepEqual(await json(["airtime", "--sf", "11", "--bw", "250", "--cr", "8", "--preamble", "16", "--len", "100", "--no-crc", "--implicit"]), { microseconds: 1_411_072 });
});

test("add-gateway (--seed and --key give the same txn): @helium/proto decodes it and its gateway signature verifies with noble", async () => {
  const seed = new Uint8Array(randomBytes(32));
  const ownerKey = new Uint8Array(randomBytes(32));
  const owner = new Address(0, 0, 1, ownerKey).b58;
  const payerKey = new Uint8Array(randomBytes(32));
  const payer = bs58.encode(payerKey); // a Solana address
  const out = await json(["add-gateway", "--seed", hex(seed), "--owner", owner, "--payer", payer]);
  const gatewayAddress = new Address(0, 0, 1, ed25519.getPublicKey(seed)).b58;
  assert.deepEqual([out.address, out.owner, out.payer], [gatewayAddress, bs58.encode(ownerKey), payer]);
  const add = heliumProto.helium.blockchain_txn.decode(Buffer.from(out.txn as string, "base64")).addGateway as Record<string, Uint8Array>;
  assert.deepEqual([hex(add.owner), hex(add.gateway), hex(add.payer)], [`01${hex(ownerKey)}`, `01${hex(ed25519.getPublicKey(seed))}`, `01${hex(payerKey)}`]);
  const { gatewaySignature, ...unsigned } = add;
  const AddGateway = heliumProto.helium.blockchain_txn_add_gateway_v1;
  assert.equal(ed25519.verify(gatewaySignature, AddGateway.encode(AddGateway.create(unsigned)).finish(), ed25519.getPublicKey(seed)), true);
  const file = join(TMP, "add-gateway-key.bin");
  writeFileSync(file, new Uint8Array([0x01, ...seed, ...ed25519.getPublicKey(seed)]));
  assert.deepEqual(await json(["add-gateway", "--key", file, "--owner", owner, "--payer", payer]), out);
});

/** Runs the CLI's main() in this process (the same code bin/hotspot.js runs), capturing its output. */
async function inProcess(args: string[]): Promise<Run> {
  const run = { code: 0, stdout: "", stderr: "" };
  run.code = await main(args, { stdout: (t) => void (run.stdout += t), stderr: (t) => void (run.stderr += t) });
  return run;
}

test("bad input: exit code 2, one line on stderr naming the problem, nothing on stdout", async () => {
  const seed = "07".repeat(32);
  const keyFile = join(TMP, "short.bin");
  writeFileSync(keyFile, new Uint8Array([0x01, ...new Uint8Array(63)]));
  const eccFile = join(TMP, "ecc.bin");
  writeFileSync(eccFile, new Uint8Array([0x00, ...randomBytes(32)]));
  const badJson = join(TMP, "bad.json");
  writeFileSync(badJson, "{not json");
  const unknownField = join(TMP, "unknown-field.json");
  writeFileSync(unknownField, JSON.stringify({ pub_key: "00", colour: "red" }));
  const badValue = join(TMP, "bad-value.json");
  writeFileSync(badValue, JSON.stringify({ tmst: -1 }));
  const address = "14ivpToFabfUhxpcwQawc49dbK3V63o1t5fGGDbbd1MqyLSppFh";
  const beacon = ["beacon", "--remote-data", "AAAA", "--remote-ts", "1", "--local", "01020304"];
  const airtime = ["airtime", "--sf", "7", "--bw", "125", "--cr", "5", "--preamble", "8", "--len", "10"];
  const cases: [string[], RegExp][] = [
    [["key"], /unknown key command/],
    [["key", "info"], /exactly one of --seed and --key/],
    [["key", "info", "--seed", seed, "--key", keyFile], /exactly one/],
    [["key", "info", "--seed", "zz"], /invalid hex digit/],
    [["key", "info", "--seed", "0707"], /32 bytes/],
    [["key", "info", "--key", join(TMP, "missing.bin")], /ENOENT/],
    [["key", "info", "--key", keyFile], /has 65 bytes, not 64/],
    [["key", "info", "--key", eccFile], /ecc_compact key; only ed25519/],
    [["key", "info", "--key", keyFile, "--testnet"], /--testnet applies to --seed only/],
    [["key", "info", "--seed", seed, "--colour"], /Unknown option '--colour'/],
    [["key", "generate"], /--out is required/],
    [["sign", "--seed", seed, "--msg", "abc"], /odd number of digits/],
    [["sign", "--seed", seed], /--msg is required/],
    [["verify", "--address", "14ivpToFabfUhxpcwQawc49dbK3V63o1t5fGGDbbd1MqyLSppFX", "--msg", "00", "--sig", "00".repeat(64)], /not a Helium address.*checksum/],
    [["verify", "--address", "11263KvqW3GZPAvag5sQYtBJSjb25azSTSwoi5Tza9kboaLRxcsv", "--msg", "00", "--sig", "00".repeat(64)], /ecc_compact addresses cannot be verified/],
    [["verify", "--address", address, "--msg", "00", "--sig", "00"], /64 bytes/],
    [[...beacon, "--region", "MARS", "--gain", "12"], /no built-in plan for region "MARS"/],
    [[...beacon, "--region", "US915", "--params", "00", "--gain", "12"], /exactly one of --region and --params/],
    [[...beacon, "--region", "US915"], /--gain is required/],
    [[...beacon, "--region", "US915", "--gain", "1.5"], /--gain must be a whole number/],
    [[...beacon, "--region", "US915", "--gain", "400"], /BAD_POWER/],
    [[...beacon, "--params", "ffffffff", "--gain", "12"], /deriveBeacon/],
    [["beacon", "--remote-data", "A$==", "--remote-ts", "1", "--local", "01020304", "--region", "US915", "--gain", "1"], /--remote-data: invalid base64/],
    [["beacon", "--remote-data", "AAAA", "--remote-ts", "1", "--local", "0102", "--region", "US915", "--gain", "1"], /--local must be 4 bytes/],
    [["encode", "lora_thing_v9", "--json", badJson], /unknown message "lora_thing_v9"/],
    [["encode", "lora_witness_report_req_v1", "--json", badJson], /is not JSON/],
    [["encode", "lora_witness_report_req_v1", "--json", unknownField], /colour: unknown field/],
    [["encode", "lora_witness_report_req_v1", "--json", badValue], /tmst/],
    [["encode", "lora_witness_report_req_v1"], /--json is required/],
    [["decode"], /expected 1 argument, got 0/],
    [["decode", "zz"], /HEX: invalid hex digit/],
    [["decode", "00", "11"], /expected 1 argument, got 2/],
    [[...airtime.slice(0, 4), "200", ...airtime.slice(5)], /--bw must be 125, 250 or 500/],
    [["airtime", "--sf", "13", ...airtime.slice(3)], /--sf must be between 5 and 12/],
    [["airtime", "--sf", "seven", ...airtime.slice(3)], /--sf must be a whole number/],
    [[...airtime.slice(0, 9), "--len", "300"], /--len must be between 0 and 255/],
    [["add-gateway", "--seed", seed, "--owner", "nobody", "--payer", address], /"nobody" is neither a Helium address nor a Solana address/],
    [["add-gateway", "--seed", seed, "--owner", address], /--payer is required/],
  ];
  for (const [args, why] of cases) {
    const run = await inProcess(args);
    assert.equal(run.code, 2, `hotspot ${args.join(" ")} exit code (stderr: ${run.stderr})`);
    assert.equal(run.stdout, "", `hotspot ${args.join(" ")} stdout`);
    assert.match(run.stderr, /^hotspot[^\n]*\n$/, `hotspot ${args.join(" ")}: one line on stderr`);
    assert.match(run.stderr, why, `hotspot ${args.join(" ")}`);
  }
  // The same through the real process for a few of them: exit status, streams.
  for (const index of [1, 5, 13, 23, 30]) await refused(...cases[index]);
});

test("bin/hotspot.js without a build says how to build, exit code 1", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hotspot-nobuild-"));
  mkdirSync(join(dir, "bin"));
  copyFileSync(BIN, join(dir, "bin", "hotspot.js"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  const run = await hotspot(["--help"], join(dir, "bin", "hotspot.js"));
  assert.equal(run.code, 1);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /build is missing; run `npm run build`/);
});
