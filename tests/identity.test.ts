// modules/identity against independent code: @helium/crypto and @helium/address for keys and
// addresses, the angry-purple-tiger package for animal names, and gateway-rs' own files and
// outputs (the README add-gateway txn; spec 5.5 vectors).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { ed25519 } from "@noble/curves/ed25519.js";
import heliumAddress from "@helium/address";
import heliumCrypto from "@helium/crypto";
import { animalName } from "../modules/identity/animal-name.js";
import { buildAddGatewayTxn } from "../modules/identity/add-gateway.js";
import { IdentityError } from "../modules/identity/errors.js";
import {
  decodeKeypairFile,
  encodeKeypairFile,
  gatewayKeyFromSeed,
  generateGatewayKey,
  loadGatewayKey,
  saveGatewayKey,
  type GatewayKey,
} from "../modules/identity/gateway-key.js";
import { accountText, parseAccountKey, parseAddress } from "../modules/identity/keys.js";
import type { KeyValueStore } from "../modules/host/provider.js";
import { core } from "./support/core.js";
import { VECTORS } from "./support/vectors.js";

const Address = heliumAddress.default;
const { Keypair } = heliumCrypto;
const animalHash = createRequire(import.meta.url)("angry-purple-tiger") as (input: string, options?: object) => string;
const rand = (n: number) => new Uint8Array(randomBytes(n));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

test("a seed gives the key, binary and address @helium/crypto gives (mainnet; testnet via @helium/address)", async () => {
  for (let i = 0; i < 200; i++) {
    const seed = rand(32);
    const reference = await Keypair.fromEntropy(seed);
    const key = gatewayKeyFromSeed(core, seed);
    assert.deepEqual(key.publicKey, new Uint8Array(reference.publicKey));
    assert.equal(key.address, reference.address.b58);
    assert.deepEqual(key.publicKeyBin, new Uint8Array(reference.address.bin));
    const testnet = gatewayKeyFromSeed(core, seed, "testnet");
    assert.equal(testnet.address, new Address(0, 16, 1, reference.publicKey).b58);
  }
});

test("spec 5.5 vector 1 and the oracle seed vector", () => {
  const key = gatewayKeyFromSeed(core, fromHex("f8374ea8637b16cb24fa88566e77c6aa".repeat(2)));
  assert.equal(hex(key.publicKey), "b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09");
  assert.equal(key.address, "14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hyn");
  assert.equal(gatewayKeyFromSeed(core, key.seed, "testnet").address, "1bTLPFDFEpyoNxJx5U8M2fT9QrF1wQxC1gWjdYPrgjZXg81TVw5");
  const v = VECTORS.helium_ed25519_address;
  const oracle = gatewayKeyFromSeed(core, fromHex(v.seedHex));
  assert.equal(oracle.address, v.addressB58);
  assert.equal(hex(oracle.publicKeyBin), v.addressBinHex);
});

test("keypair files: our file equals one built from @helium/crypto's secret key, and round-trips", async () => {
  for (let i = 0; i < 50; i++) {
    const seed = rand(32);
    const reference = await Keypair.fromEntropy(seed);
    // helium-crypto's Keypair::to_vec for ed25519: tag || 64-byte secret (seed || public key).
    const referenceFile = new Uint8Array([0x01, ...reference.privateKey]);
    const key = gatewayKeyFromSeed(core, seed);
    assert.deepEqual(encodeKeypairFile(key), referenceFile);
    const loaded = decodeKeypairFile(core, referenceFile);
    assert.equal(loaded.address, reference.address.b58);
    assert.deepEqual(loaded.seed, seed);
    const testnetFile = encodeKeypairFile(gatewayKeyFromSeed(core, seed, "testnet"));
    assert.equal(testnetFile[0], 0x11);
    assert.equal(decodeKeypairFile(core, testnetFile).network, "testnet");
  }
});

test("keypair files: wrong length, unknown tag, ecc_compact and a mismatched public half are refused by reason", () => {
  const file = encodeKeypairFile(gatewayKeyFromSeed(core, rand(32)));
  const reason = (bytes: Uint8Array) => {
    try {
      decodeKeypairFile(core, bytes);
    } catch (error) {
      assert.ok(error instanceof IdentityError, String(error));
      return error.reason;
    }
    return "accepted";
  };
  assert.equal(reason(file.subarray(0, 64)), "bad-key-file");
  assert.equal(reason(new Uint8Array([...file, 0])), "bad-key-file");
  assert.equal(reason(new Uint8Array(0)), "bad-key-file");
  assert.equal(reason(new Uint8Array([0x21, ...file.subarray(1)])), "bad-key-file");
  assert.equal(reason(new Uint8Array([0x00, ...rand(32)])), "unsupported-key-type");
  const mismatched = file.slice();
  mismatched[40] ^= 1;
  assert.equal(reason(mismatched), "inconsistent-key-file");
});

test("a gateway key saved to a key-value store loads back; an empty store has none", () => {
  const entries = new Map<string, Uint8Array>();
  const store: KeyValueStore = {
    read: (k) => entries.get(k),
    write: (k, v) => void entries.set(k, v.slice()),
    delete: (k) => void entries.delete(k),
    keys: () => [...entries.keys()],
  };
  assert.equal(loadGatewayKey(core, store), undefined);
  const key = generateGatewayKey(core, (bytes) => bytes.set(rand(bytes.length)));
  saveGatewayKey(store, key);
  assert.equal(loadGatewayKey(core, store)?.address, key.address);
});

test("animal names equal the angry-purple-tiger package on 1,000 random addresses", () => {
  for (let i = 0; i < 1000; i++) {
    const address = new Address(0, i % 2 ? 16 : 0, i % 3 === 0 ? 0 : 1, rand(32)).b58;
    assert.equal(animalName(core, address), animalHash(address, { style: "lowercase", separator: "-" }));
  }
  assert.equal(animalName(core, "112CuoXo7WCcp6GGwDNBo6H5nKXGH45UNJ39iEefdv2mwmnwdFt8"), "feisty-glass-dalmatian");
  assert.equal(animalName(core, "13GAPer3q5D4X4xFDeSaDtqq1mYji4tCjbMcQN7fL3YVvvgXyer"), "fantastic-white-copperhead");
});

test("owners and payers: Helium addresses and Solana addresses (mainnet ed25519), shown as gateway-rs shows them", () => {
  const raw = rand(32);
  const helium = new Address(0, 0, 1, raw).b58;
  const solana = core.base58Encode(raw);
  assert.deepEqual(parseAccountKey(core, helium).bin, new Uint8Array([0x01, ...raw]));
  assert.deepEqual(parseAccountKey(core, solana).bin, new Uint8Array([0x01, ...raw]));
  assert.equal(accountText(core, parseAccountKey(core, helium)), solana);
  const ecc = new Address(0, 0, 0, raw).b58;
  assert.equal(parseAccountKey(core, ecc).keyType, "ecc_compact");
  assert.equal(accountText(core, parseAccountKey(core, ecc)), ecc);
  assert.throws(() => parseAccountKey(core, "not-an-address"), IdentityError);
  assert.throws(() => parseAccountKey(core, core.base58Encode(rand(31))), IdentityError);
  assert.throws(() => parseAddress(core, solana), IdentityError);
});

test("verify: the spec's helium-crypto signature vector verifies with our verify", () => {
  const key = parseAddress(core, "13WvV82S7QN3VMzMSieiGxvuaPKknMtf213E5JwPnboDkUfesKw");
  assert.equal(hex(key.bin), "014b5587796832132f039f4ca97f48c0592eda0e381a4d42aad290ad728d26ec66");
  const sig = fromHex("ef3e85dc7ea338c6b67399873131ea7b2265c516222e105fc39a59dda71f668a3b95fe27457d941a3cf5c422c9efbf0da112171d2997d74bc68f7b8118c6930e");
  assert.equal(core.ed25519Verify(key.bin.subarray(1), new TextEncoder().encode("hello world"), sig), true);
  assert.equal(ed25519.verify(sig, new TextEncoder().encode("hello world"), key.bin.subarray(1)), true);
});

// ------------------------------------------------------------------ add-gateway (spec 6)

const heliumProto = createRequire(import.meta.url)("@helium/proto") as {
  helium: Record<string, { decode(b: Uint8Array): Record<string, unknown>; encode(m: object): { finish(): Uint8Array }; create(m: object): object }>;
};
const BlockchainTxn = heliumProto.helium.blockchain_txn;
const AddGatewayV1 = heliumProto.helium.blockchain_txn_add_gateway_v1;
const README = VECTORS.gateway_rs_readme_add_gateway;

test("the gateway-rs README add-gateway txn: our unsigned bytes equal the message its signature covers, which our verify accepts", () => {
  const add = BlockchainTxn.decode(Buffer.from(README.txnB64, "base64")).addGateway as Record<string, Uint8Array>;
  const gatewayAddress = new Address(0, 0, 1, add.gateway.subarray(1)).b58;
  assert.equal(gatewayAddress, README.expect.gatewayB58);
  // Same inputs as gateway-rs had: its gateway key (public part), owner and payer.
  const ours = buildAddGatewayTxn(core, { publicKeyBin: new Uint8Array(add.gateway), seed: rand(32) } as GatewayKey, new Uint8Array(add.owner), new Uint8Array(add.payer));
  assert.equal(hex(ours.unsigned), README.expect.signedMessageHex);
  assert.equal(core.ed25519Verify(new Uint8Array(add.gateway.subarray(1)), ours.unsigned, new Uint8Array(add.gatewaySignature)), true);
  assert.equal(core.ed25519Verify(new Uint8Array(add.gateway.subarray(1)), ours.unsigned.subarray(1), new Uint8Array(add.gatewaySignature)), false);
  // With gateway-rs' (randomized) signature in place of ours, our envelope is the README txn byte for byte.
  const envelope = Buffer.from(ours.envelope);
  const at = envelope.indexOf(Buffer.from(ours.gatewaySignature));
  assert.ok(at > 0);
  Buffer.from(add.gatewaySignature).copy(envelope, at);
  assert.equal(envelope.toString("base64"), README.txnB64);
});

test("our add-gateway txn decodes with @helium/proto and its gateway signature verifies with @noble/curves", () => {
  const owner = parseAccountKey(core, README.expect.ownerB58).bin;
  const payer = parseAccountKey(core, core.base58Encode(rand(32))).bin;
  for (let i = 0; i < 20; i++) {
    const key = gatewayKeyFromSeed(core, rand(32));
    const built = buildAddGatewayTxn(core, key, owner, i % 2 ? payer : owner);
    const add = BlockchainTxn.decode(built.envelope).addGateway as Record<string, unknown>;
    assert.deepEqual(Object.keys(add).sort(), ["gateway", "gatewaySignature", "owner", "payer"]);
    assert.deepEqual(new Uint8Array(add.gateway as Uint8Array), key.publicKeyBin);
    assert.deepEqual(new Uint8Array(add.owner as Uint8Array), owner);
    assert.deepEqual(new Uint8Array(add.payer as Uint8Array), i % 2 ? payer : owner);
    // The signed message, re-made by protobufjs: the txn without its signature (a static encoder
    // writes any field that is present, even empty, so the field is left out rather than emptied).
    const { gatewaySignature, ...unsigned } = add;
    const message = AddGatewayV1.encode(AddGatewayV1.create(unsigned)).finish();
    assert.equal(ed25519.verify(gatewaySignature as Uint8Array, message, key.publicKey), true);
  }
});
