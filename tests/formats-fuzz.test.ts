// Bad input into every export of the formats areas (ChaCha, MD5, base58/addresses, LoRaWAN,
// airtime, beacon): random, truncated and oversized inputs. Each call must return a length or a
// known error code, never trap, and never write into the scratch region outside its output area
// (decoders write nothing at all when they fail).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import bs58check from "bs58check";
import { loadRawCore } from "./support/raw-core.js";

const ERROR_CODES = new Set([-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -30, -31, -32, -33]);
const core = loadRawCore();
const call = (name: string, ...args: (number | bigint)[]) => (core.exports[name] as unknown as (...a: (number | bigint)[]) => number)(...args);

const IN_AT = 0; // inputs go at the start of the scratch region
const OUT_AT = 12288; // outputs at the last 4 KiB
const OUT_CAP = 4096;
const memory = () => new Uint8Array(core.memory.buffer, core.scratch, core.scratchSize);

/** Fills the scratch region with a fresh random pattern; returns a copy to compare against. */
function guard(): Uint8Array {
  const pattern = new Uint8Array(randomBytes(core.scratchSize));
  memory().set(pattern);
  return pattern;
}

/** Checks that only [OUT_AT, OUT_AT + written) changed (nothing at all when the call failed). */
function assertConfined(before: Uint8Array, result: number, what: string): void {
  assert.ok(result >= 0 || ERROR_CODES.has(result), `${what}: unknown result ${result}`);
  const after = memory();
  const written = result > 0 ? result : 0;
  for (let i = 0; i < core.scratchSize; i++) {
    if (i >= OUT_AT && i < OUT_AT + written) continue;
    if (after[i] !== before[i]) assert.fail(`${what}: byte ${i} of the scratch region changed (result ${result})`);
  }
}

/** Runs a (in, len, out, cap) export on bytes inside the guarded scratch region. */
function runCodec(name: string, input: Uint8Array, cap = OUT_CAP): number {
  const before = guard();
  memory().set(input, IN_AT);
  before.set(input, IN_AT);
  const result = call(name, core.scratch + IN_AT, input.length, core.scratch + OUT_AT, cap);
  assertConfined(before, result, `${name}(${Buffer.from(input.subarray(0, 40)).toString("hex")}… ${input.length})`);
  return result;
}

function randomInput(): Uint8Array {
  const pick = randomInt(0, 10);
  const len = pick === 0 ? randomInt(200, 4000) : pick === 1 ? 0 : randomInt(1, 80);
  return new Uint8Array(randomBytes(len));
}

function randomBase58ish(): Uint8Array {
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const len = randomInt(0, 12) === 0 ? randomInt(170, 400) : randomInt(0, 60);
  let s = "";
  for (let i = 0; i < len; i++) s += alphabet[randomInt(0, 58)];
  return new TextEncoder().encode(s);
}

test("base58 and address exports: 6,000 random, near-valid, truncated and oversized inputs", () => {
  const names = ["b58_encode", "b58_decode", "b58check_encode", "b58check_decode", "helium_address_encode", "helium_address_decode"];
  for (let i = 0; i < 1000; i++) {
    for (const name of names) {
      const input = name.endsWith("decode") && i % 2 === 0 ? randomBase58ish() : randomInput();
      runCodec(name, input, randomInt(0, 8) === 0 ? randomInt(0, 60) : OUT_CAP);
    }
  }
  // Every prefix of a real address, and of its binary.
  const address = "14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hyn";
  for (let n = 0; n < address.length; n++) assert.ok(runCodec("helium_address_decode", new TextEncoder().encode(address.slice(0, n))) < 0);
  const bin = bs58check.decode(address).subarray(1);
  for (let n = 0; n < bin.length; n++) assert.ok(runCodec("helium_address_encode", bin.subarray(0, n)) < 0);
});

test("lorawan_classify: 3,000 random, truncated and oversized frames", () => {
  const frames = ["40F17DBE4900020001954378762B11FF0D", "0039363463336913AA05693574323831330489C65B1304", "20386337CCBBAAE7CD2C010000D9D0A6E7"];
  const check = (frame: Uint8Array) => {
    const before = guard();
    memory().set(frame, IN_AT);
    before.set(frame, IN_AT);
    const result = call("lorawan_classify", core.scratch + IN_AT, frame.length, core.scratch + OUT_AT);
    assert.equal(result, 36);
    assertConfined(before, result, `lorawan_classify(${Buffer.from(frame).toString("hex")})`);
  };
  for (let i = 0; i < 3000; i++) check(randomInput());
  for (const hex of frames) {
    const frame = new Uint8Array(Buffer.from(hex, "hex"));
    for (let n = 0; n <= frame.length; n++) check(frame.subarray(0, n));
  }
});

test("beacon_derive: 2,000 random and truncated region params with random entropy and gains", () => {
  const us915 = new Uint8Array(Buffer.from("0a2908e0d681af0310c8d00718e802221a0a04080410190a04080310430a050802108b010a050801108002", "hex"));
  const derive = (params: Uint8Array, gain: number) => {
    const before = guard();
    const remote = new Uint8Array(randomBytes(randomInt(0, 64)));
    const local = new Uint8Array(randomBytes(randomInt(0, 8)));
    memory().set(remote, 0);
    memory().set(local, 64);
    memory().set(params, 128);
    before.set(remote, 0);
    before.set(local, 64);
    before.set(params, 128);
    const ts = new DataView(randomBytes(8).buffer).getBigInt64(0, true);
    const result = call("beacon_derive", core.scratch, remote.length, ts, core.scratch + 64, local.length, core.scratch + 128, params.length, gain, core.scratch + OUT_AT);
    assert.ok(result === 151 || result < 0, `result ${result}`);
    assertConfined(before, result, `beacon_derive(${Buffer.from(params).toString("hex")}, gain ${gain})`);
    return result;
  };
  for (let i = 0; i < 2000; i++) {
    const pick = randomInt(0, 3);
    let params: Uint8Array;
    if (pick === 0) params = new Uint8Array(randomBytes(randomInt(0, 120)));
    else if (pick === 1) params = us915.subarray(0, randomInt(0, us915.length + 1));
    else {
      params = new Uint8Array(us915);
      for (let k = randomInt(1, 4); k > 0; k--) params[randomInt(0, params.length)] = randomInt(0, 256);
    }
    derive(params, randomInt(0, 5) === 0 ? randomInt(-1000, 1000) : 12);
  }
  assert.equal(derive(us915, 12), 151);
  for (let n = 0; n < us915.length; n++) assert.ok(derive(us915.subarray(0, n), 12) < 0, `prefix ${n}`);
});

test("scalar exports: 2,000 random parameter sets for lora_airtime_us, chacha_stream and md5", () => {
  const int = () => (randomInt(0, 4) === 0 ? randomInt(-(2 ** 31), 2 ** 31 - 1) : randomInt(-5, 600));
  for (let i = 0; i < 1000; i++) {
    const result = call("lora_airtime_us", int(), [125, 250, 500][randomInt(0, 3)], int(), int(), int(), randomInt(-1, 3), randomInt(-1, 3));
    assert.ok(result > 0 || ERROR_CODES.has(result), `airtime ${result}`);
  }
  for (let i = 0; i < 500; i++) {
    const before = guard();
    const rounds = [8, 12, 20, randomInt(-100, 100)][randomInt(0, 4)];
    const words = randomInt(0, 4) === 0 ? randomInt(1025, 100000) : randomInt(0, 1025);
    const result = call("chacha_stream", rounds, core.scratch, core.scratch + OUT_AT, words);
    assertConfined(before, result, `chacha_stream(${rounds}, ${words})`);
  }
  for (let i = 0; i < 500; i++) {
    const before = guard();
    const len = randomInt(0, 4) === 0 ? randomInt(0, 2 ** 31) : randomInt(0, 12000);
    const result = call("md5", core.scratch, len, core.scratch + OUT_AT);
    assert.ok(result === 16 || result === -1, `md5 ${result}`);
    assertConfined(before, result, `md5(${len})`);
  }
});
