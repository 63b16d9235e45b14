// MD5 from the core against node:crypto, and the animal name it feeds against angry-purple-tiger.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { createRequire } from "node:module";
import { loadRawCore } from "./support/raw-core.js";

const require = createRequire(import.meta.url);
const animalHash = require("angry-purple-tiger") as (input: string, options?: { style?: string; separator?: string }) => string;
const adjectives = require("angry-purple-tiger/lib/adjectives.js") as string[];
const colors = require("angry-purple-tiger/lib/colors.js") as string[];
const animals = require("angry-purple-tiger/lib/animals.js") as string[];

const core = loadRawCore();
const md5 = core.exports.md5 as (inPtr: number, len: number, outPtr: number) => number;

function ours(bytes: Uint8Array): Uint8Array {
  const inPtr = core.put(bytes, 16);
  assert.equal(md5(inPtr, bytes.length, core.scratch), 16);
  return core.get(core.scratch, 16);
}

test("md5 equals node:crypto on 1,000 random inputs (0..16,000 bytes, every length 0..200)", () => {
  for (let i = 0; i < 1000; i++) {
    const len = i <= 200 ? i : randomInt(0, 16000);
    const bytes = new Uint8Array(randomBytes(len));
    assert.deepEqual(ours(bytes), new Uint8Array(createHash("md5").update(bytes).digest()), `length ${len}`);
  }
});

test("the animal name from our md5 equals angry-purple-tiger's on 300 random address-like strings", () => {
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  for (let i = 0; i < 300; i++) {
    let address = "";
    const len = randomInt(40, 60);
    for (let j = 0; j < len; j++) address += alphabet[randomInt(0, alphabet.length)];
    const d = ours(new TextEncoder().encode(address));
    // 16 bytes in three chunks of 5, the last taking the remainder (bytes 10..15), each XOR-folded.
    const fold = (from: number, to: number) => d.slice(from, to).reduce((x, y) => x ^ y, 0);
    const name = `${adjectives[fold(0, 5)]}-${colors[fold(5, 10)]}-${animals[fold(10, 16)]}`;
    assert.equal(name, animalHash(address, { style: "lowercase", separator: "-" }));
  }
});

test("upstream animal names (helium-protocol.md 5.5, 5.6) come out of our md5", () => {
  const vectors: [string, string][] = [
    ["112CuoXo7WCcp6GGwDNBo6H5nKXGH45UNJ39iEefdv2mwmnwdFt8", "feisty-glass-dalmatian"],
    ["13GAPer3q5D4X4xFDeSaDtqq1mYji4tCjbMcQN7fL3YVvvgXyer", "fantastic-white-copperhead"],
  ];
  for (const [address, expected] of vectors) {
    const d = ours(new TextEncoder().encode(address));
    const fold = (from: number, to: number) => d.slice(from, to).reduce((x, y) => x ^ y, 0);
    assert.equal(`${adjectives[fold(0, 5)]}-${colors[fold(5, 10)]}-${animals[fold(10, 16)]}`, expected);
  }
});

test("md5 refuses regions outside memory", () => {
  assert.ok(md5(65536 - 4, 5, core.scratch) < 0);
  assert.ok(md5(core.scratch, 0xffffffff, core.scratch) < 0);
  assert.ok(md5(core.scratch, 0, 65536 - 15) < 0);
});
