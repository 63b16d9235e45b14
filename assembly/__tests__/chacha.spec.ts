// rand_chacha 0.3.1 / rand 0.8.5 vectors (helium-protocol.md 8.1-8.3; rand_chacha/src/chacha.rs tests).
import { chachaSeed, chachaNextU32 } from "../chacha/chacha";
import { chacha_stream } from "../chacha/exports";
import { ERR_BAD_INPUT, ERR_BAD_LENGTH } from "../errors";

function seedOf(values: u8[]): usize {
  const buf = new StaticArray<u8>(32);
  for (let i = 0; i < values.length; i++) buf[i] = values[i];
  return changetype<usize>(buf);
}

function zeroSeed(): usize {
  return changetype<usize>(new StaticArray<u8>(32));
}

function expectWords(expected: u32[]): void {
  for (let i = 0; i < expected.length; i++) expect<u32>(chachaNextU32()).toBe(expected[i]);
}

/** fill_bytes(32) as rand_core does it: 8 whole words, little-endian. */
function seedFromStream(): usize {
  const buf = new StaticArray<u8>(32);
  const p = changetype<usize>(buf);
  for (let i: usize = 0; i < 8; i++) store<u32>(p + i * 4, chachaNextU32());
  return p;
}

describe("ChaCha20 (rand_chacha test vectors)", () => {
  it("true_values_a: zero seed, blocks 0 and 1", () => {
    chachaSeed(20, zeroSeed());
    expectWords([0xade0b876, 0x903df1a0, 0xe56a5d40, 0x28bd8653, 0xb819d2bd, 0x1aed8da0, 0xccef36a8, 0xc70d778b,
      0x7c5941da, 0x8d485751, 0x3fe02477, 0x374ad8b8, 0xf4b8436a, 0x1ca11815, 0x69b687c3, 0x8665eeb2]);
    expectWords([0xbee7079f, 0x7a385155, 0x7c97ba98, 0x0d082d73, 0xa0290fcb, 0x6965e348, 0x3e53c612, 0xed7aee32,
      0x7621b729, 0x434ee69c, 0xb03371d5, 0xd539d874, 0x281fed31, 0x45fb0a51, 0x1f0ae1ac, 0x6f4d794b]);
  });

  it("true_values_b: seed ending in 1, block 1", () => {
    const seed: u8[] = [];
    for (let i = 0; i < 31; i++) seed.push(0);
    seed.push(1);
    chachaSeed(20, seedOf(seed));
    for (let i = 0; i < 16; i++) chachaNextU32();
    expectWords([0x2452eb3a, 0x9249f8ec, 0x8d829d9b, 0xddd4ceb1, 0xe8252083, 0x60818b01, 0xf38422b8, 0x5aaa49c9,
      0xbb00ca8e, 0xda3ba7b4, 0xc4b592d1, 0xfdf2732f, 0x4436274e, 0x2561b3c8, 0xebdd4aa6, 0xa0136c00]);
  });

  it("true_values_c: seed 00 ff 00.., block 2", () => {
    chachaSeed(20, seedOf([0, 0xff]));
    for (let i = 0; i < 32; i++) chachaNextU32();
    expectWords([0xfb4dd572, 0x4bc42ef1, 0xdf922636, 0x327f1394, 0xa78dea8f, 0x5e269039, 0xa1bebbc1, 0xcaf09aae,
      0xa25ab213, 0x48a6b46c, 0x1b9d9bcb, 0x092c5be6, 0x546ca624, 0x1bec45d5, 0x87f47473, 0x96f0992e]);
  });

  it("multiple_blocks: word i of block i", () => {
    chachaSeed(20, seedOf([0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0]));
    const expected: u32[] = [0xf225c81a, 0x6ab1be57, 0x04d42951, 0x70858036, 0x49884684, 0x64efec72, 0x4be2d186,
      0x3615b384, 0x11cfa18e, 0xd3c50049, 0x75c775f6, 0x434c6530, 0x2c5bad8f, 0x898881dc, 0x5f1c86d9, 0xc1f8e7f4];
    for (let i = 0; i < 16; i++) {
      expect<u32>(chachaNextU32()).toBe(expected[i]);
      for (let j = 0; j < 16; j++) chachaNextU32();
    }
  });

  it("true_bytes: zero seed, 32 bytes little-endian", () => {
    const out = new StaticArray<u8>(32);
    expect<i32>(chacha_stream(20, zeroSeed(), changetype<usize>(out), 8)).toBe(32);
    const expected: u8[] = [118, 184, 224, 173, 160, 241, 61, 144, 64, 93, 106, 229, 83, 134, 189, 40, 189, 210,
      25, 184, 160, 141, 237, 26, 168, 54, 239, 204, 139, 119, 13, 199];
    for (let i = 0; i < 32; i++) expect<u8>(out[i]).toBe(expected[i]);
  });

  it("construction: next_u32, then from_rng", () => {
    chachaSeed(20, seedOf([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]));
    expect<u32>(chachaNextU32()).toBe(137206642);
    chachaSeed(20, seedFromStream());
    expect<u32>(chachaNextU32()).toBe(1325750369);
  });
});

describe("ChaCha12 (StdRng)", () => {
  it("rand 0.8.5 test_stdrng_construction: next_u64 low word first, then from_rng", () => {
    chachaSeed(12, seedOf([1, 0, 0, 0, 23, 0, 0, 0, 200, 1, 0, 0, 210, 30, 0, 0]));
    const lo = <u64>chachaNextU32();
    const hi = <u64>chachaNextU32();
    expect<u64>((hi << 32) | lo).toBe(10719222850664546238);
    chachaSeed(12, seedFromStream());
    const lo2 = <u64>chachaNextU32();
    const hi2 = <u64>chachaNextU32();
    expect<u64>((hi2 << 32) | lo2).toBe(14064965282130556830);
  });

  it("zero seed, first 16 words (spec 8.3)", () => {
    chachaSeed(12, zeroSeed());
    expectWords([0x6a9af49b, 0x53f95507, 0x12ce1f81, 0xd583265f, 0xbbc32904, 0x1474e049, 0xa589007e, 0x5f15ae2e,
      0x79f86405, 0xc0e37ad2, 0x3428e82c, 0x798cfaac, 0x2c9f623a, 0x1969dea0, 0x2fe80b61, 0xbe261341]);
  });

  it("seed 00..1f, first 8 words (spec 8.3)", () => {
    const seed: u8[] = [];
    for (let i = 0; i < 32; i++) seed.push(<u8>i);
    chachaSeed(12, seedOf(seed));
    expectWords([0xfff931f2, 0x5ec67ad1, 0x25f30544, 0xaa40e9d7, 0x1f601349, 0xbc46bec2, 0xc3cac3e9, 0x361a1ad9]);
  });

  it("beacon-style bytes: low byte of each of 51 words (spec 8.3)", () => {
    chachaSeed(12, zeroSeed());
    const expected = "9b07815f04497e2e05d22cac3aa061410b20868cc619154c42a1c61be9902717b24b8ec168fe4896f5b70ccb10f1a705e061d0";
    for (let i = 0; i < 51; i++) {
      const byte = <u8>I32.parseInt(expected.substr(i * 2, 2), 16);
      expect<u8>(<u8>(chachaNextU32() & 0xff)).toBe(byte);
    }
  });

  it("fill_bytes(16) from the zero seed (spec 8.3 contrast vector)", () => {
    const out = new StaticArray<u8>(16);
    expect<i32>(chacha_stream(12, zeroSeed(), changetype<usize>(out), 4)).toBe(16);
    const expected = "9bf49a6a0755f953811fce125f2683d5";
    for (let i = 0; i < 16; i++) expect<u8>(out[i]).toBe(<u8>I32.parseInt(expected.substr(i * 2, 2), 16));
  });
});

describe("chacha_stream errors", () => {
  it("rejects rounds other than 8, 12, 20", () => {
    const out = new StaticArray<u8>(8);
    expect<i32>(chacha_stream(10, zeroSeed(), changetype<usize>(out), 2)).toBe(ERR_BAD_INPUT);
    expect<i32>(chacha_stream(0, zeroSeed(), changetype<usize>(out), 2)).toBe(ERR_BAD_INPUT);
  });
  it("rejects too many words and regions outside memory", () => {
    const out = new StaticArray<u8>(8);
    expect<i32>(chacha_stream(12, zeroSeed(), changetype<usize>(out), 4097)).toBe(ERR_BAD_LENGTH);
    expect<i32>(chacha_stream(12, <usize>0xfffffff0, changetype<usize>(out), 2)).toBe(ERR_BAD_LENGTH);
    expect<i32>(chacha_stream(8, zeroSeed(), <usize>(memory.size() << 16) - 4, 2)).toBe(ERR_BAD_LENGTH);
    expect<i32>(chacha_stream(8, zeroSeed(), changetype<usize>(out), 0)).toBe(0);
  });
});
