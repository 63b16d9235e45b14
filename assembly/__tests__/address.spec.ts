// Base58 (Bitcoin Core base58_encode_decode.json vectors), base58check and Helium addresses
// (helium-crypto-rs v0.8.3 test vectors, helium-protocol.md 5.5; oracle-vectors.json).
import { b58_decode, b58_encode, b58check_decode, b58check_encode, helium_address_decode, helium_address_encode } from "../address/exports";
import { ERR_BAD_CHECKSUM, ERR_BAD_INPUT, ERR_BAD_LENGTH, ERR_BAD_TAG, ERR_NO_SPACE } from "../errors";

const OUT = new StaticArray<u8>(512);
const out = changetype<usize>(OUT);

function fromHex(hex: string): StaticArray<u8> {
  const buf = new StaticArray<u8>(hex.length >> 1);
  for (let i = 0; i < buf.length; i++) buf[i] = <u8>I32.parseInt(hex.substr(i * 2, 2), 16);
  return buf;
}

function ascii(text: string): StaticArray<u8> {
  const buf = new StaticArray<u8>(text.length);
  for (let i = 0; i < text.length; i++) buf[i] = <u8>text.charCodeAt(i);
  return buf;
}

function hexOut(len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) {
    const b = OUT[i];
    s += (b < 16 ? "0" : "") + b.toString(16);
  }
  return s;
}

function asciiOut(len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(OUT[i]);
  return s;
}

function encode58(hex: string): string {
  const input = fromHex(hex);
  const n = b58_encode(changetype<usize>(input), input.length, out, 512);
  expect<bool>(n >= 0).toBe(true);
  return asciiOut(n);
}

function decode58(text: string): string {
  const input = ascii(text);
  const n = b58_decode(changetype<usize>(input), input.length, out, 512);
  expect<bool>(n >= 0).toBe(true);
  return hexOut(n);
}

function addressOf(binHex: string): string {
  const bin = fromHex(binHex);
  const n = helium_address_encode(changetype<usize>(bin), bin.length, out, 512);
  expect<i32>(n).toBeGreaterThan(0);
  return asciiOut(n);
}

function binOf(address: string): string {
  const s = ascii(address);
  const n = helium_address_decode(changetype<usize>(s), s.length, out, 512);
  expect<i32>(n).toBe(33);
  return hexOut(n);
}

function decodeError(address: string): i32 {
  const s = ascii(address);
  return helium_address_decode(changetype<usize>(s), s.length, out, 512);
}

describe("base58 (Bitcoin Core vectors)", () => {
  it("encodes and decodes", () => {
    const pairs: string[][] = [
      ["", ""], ["61", "2g"], ["626262", "a3gV"], ["636363", "aPEr"],
      ["73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"],
      ["00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"],
      ["516b6fcd0f", "ABnLTmg"], ["bf4f89001e670274dd", "3SEo3LWLoPntC"], ["572e4794", "3EFU7m"],
      ["ecac89cad93923c02321", "EJDM8drfXA6uyA"], ["10c8511e", "Rt5zm"], ["00000000000000000000", "1111111111"],
    ];
    for (let i = 0; i < pairs.length; i++) {
      expect<string>(encode58(pairs[i][0])).toBe(pairs[i][1]);
      expect<string>(decode58(pairs[i][1])).toBe(pairs[i][0]);
    }
  });

  it("rejects characters outside the alphabet (0, O, I, l, +, non-ASCII)", () => {
    const bad: string[] = ["0", "O", "I", "l", "+", "2g ", "\u00ff"];
    for (let i = 0; i < bad.length; i++) {
      const s = ascii(bad[i]);
      expect<i32>(b58_decode(changetype<usize>(s), s.length, out, 512)).toBe(ERR_BAD_INPUT);
    }
  });

  it("caps input lengths and checks output space", () => {
    const big = new StaticArray<u8>(129);
    big[0] = 1;
    expect<i32>(b58_encode(changetype<usize>(big), 129, out, 512)).toBe(ERR_BAD_LENGTH);
    const max = new StaticArray<u8>(128);
    for (let i = 0; i < 128; i++) max[i] = 0xff;
    expect<i32>(b58_encode(changetype<usize>(max), 128, out, 512)).toBe(175);
    expect<i32>(b58_encode(changetype<usize>(max), 128, out, 174)).toBe(ERR_NO_SPACE);
    const longText = new StaticArray<u8>(176);
    for (let i = 0; i < 176; i++) longText[i] = 0x7a; // 'z'
    expect<i32>(b58_decode(changetype<usize>(longText), 176, out, 512)).toBe(ERR_BAD_LENGTH);
    expect<i32>(b58_decode(changetype<usize>(longText), 175, out, 512)).toBe(129);
    expect<i32>(b58_decode(changetype<usize>(longText), 175, out, 128)).toBe(ERR_NO_SPACE);
  });
});

describe("base58check", () => {
  it("round-trips the Bitcoin address of a zero hash and rejects a changed character", () => {
    const payload = new StaticArray<u8>(21); // version 0 + 20-byte zero hash
    const n = b58check_encode(changetype<usize>(payload), payload.length, out, 512);
    expect<string>(asciiOut(n)).toBe("1111111111111111111114oLvT2");
    const text = ascii("1111111111111111111114oLvT2");
    expect<i32>(b58check_decode(changetype<usize>(text), text.length, out, 512)).toBe(21);
    expect<string>(hexOut(21)).toBe("000000000000000000000000000000000000000000");
    text[22] = 0x70; // 'p'
    expect<i32>(b58check_decode(changetype<usize>(text), text.length, out, 512)).toBe(ERR_BAD_CHECKSUM);
    // The Bitcoin Core base58 vector above is plain base58: its last 4 bytes are no checksum.
    const plain = ascii("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L");
    expect<i32>(b58check_decode(changetype<usize>(plain), plain.length, out, 512)).toBe(ERR_BAD_CHECKSUM);
  });

  it("rejects strings shorter than a checksum and over-long payloads", () => {
    const short = ascii("2g");
    expect<i32>(b58check_decode(changetype<usize>(short), 2, out, 512)).toBe(ERR_BAD_LENGTH);
    expect<i32>(b58check_decode(0, 0, out, 512)).toBe(ERR_BAD_LENGTH);
    const big = new StaticArray<u8>(125);
    expect<i32>(b58check_encode(changetype<usize>(big), 125, out, 512)).toBe(ERR_BAD_LENGTH);
    expect<i32>(b58check_encode(changetype<usize>(big), 124, out, 512)).toBeGreaterThan(124);
  });
});

describe("Helium addresses (helium-crypto v0.8.3 vectors)", () => {
  it("ed25519 mainnet and testnet (vector 1)", () => {
    expect<string>(addressOf("01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09")).toBe("14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hyn");
    expect<string>(binOf("14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hyn")).toBe("01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09");
    expect<string>(addressOf("11b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09")).toBe("1bTLPFDFEpyoNxJx5U8M2fT9QrF1wQxC1gWjdYPrgjZXg81TVw5");
    expect<string>(binOf("1bTLPFDFEpyoNxJx5U8M2fT9QrF1wQxC1gWjdYPrgjZXg81TVw5")).toBe("11b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09");
  });

  it("ecc_compact (vector 2) and the verify-test addresses (vectors 3, 4)", () => {
    expect<string>(addressOf("008f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af1")).toBe("11263KvqW3GZPAvag5sQYtBJSjb25azSTSwoi5Tza9kboaLRxcsv");
    expect<string>(binOf("11263KvqW3GZPAvag5sQYtBJSjb25azSTSwoi5Tza9kboaLRxcsv")).toBe("008f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af1");
    expect<string>(binOf("13WvV82S7QN3VMzMSieiGxvuaPKknMtf213E5JwPnboDkUfesKw")).toBe("014b5587796832132f039f4ca97f48c0592eda0e381a4d42aad290ad728d26ec66");
    const ecc = binOf("11nYr7TBMbpGiQadiCxGCPZFZ8ENo1JNtbS7aB5U7UXn4a8Dvb3");
    expect<string>(ecc.substr(0, 2)).toBe("00");
    expect<string>(addressOf(ecc)).toBe("11nYr7TBMbpGiQadiCxGCPZFZ8ENo1JNtbS7aB5U7UXn4a8Dvb3");
  });

  it("round-trips the other upstream strings (vectors 5, 6) and the oracle vector", () => {
    const strings: string[] = [
      "112jXiCTi9DpLC5nLdSZ2zccRVEtZizRJMizziCebaNbRDi8k6wR",
      "14HZVR4bdF9QMowYxWrumcFBNfWnhDdD5XXA5za1fWwUhHxxFS1",
    ];
    for (let i = 0; i < strings.length; i++) expect<string>(addressOf(binOf(strings[i]))).toBe(strings[i]);
    expect<string>(binOf("13GAPer3q5D4X4xFDeSaDtqq1mYji4tCjbMcQN7fL3YVvvgXyer")).toBe("0129d1b40b2f208c36a62a0d441235946ce94b8f30241fe49618043a54d79fb69d");
    expect<string>(binOf("137oJzq1qZpSbzHawaysTGGsRCYTXG1MiTMQNxYSsQJp4YMDdN8")).toBe("0116d4337c69248528c1744c56fd5759a058bf715c46fa53e93b8550fff7ef6eb7");
    expect<string>(addressOf("01ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c")).toBe("14ivpToFabfUhxpcwQawc49dbK3V63o1t5fGGDbbd1MqyLSppFh");
  });

  it("rejects secp256k1 (unsupported tag), bad checksums, characters and lengths", () => {
    expect<i32>(decodeError("1SpLY6fic4fGthLGjeAUdLVNVYk1gJGrWTGhsukm2dnELaSEQmhL")).toBe(ERR_BAD_TAG);
    expect<i32>(decodeError("14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hym")).toBe(ERR_BAD_CHECKSUM);
    expect<i32>(decodeError("14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hy0")).toBe(ERR_BAD_INPUT);
    expect<i32>(decodeError("")).toBe(ERR_BAD_LENGTH);
    // base58check(0x00 || 0xeb || 20 bytes): good checksum, version 0, tag 0xeb.
    const odd = fromHex("00eb15231dfceb60925886b67d065299925915aeb1");
    const k = b58check_encode(changetype<usize>(odd), odd.length, out, 512);
    const oddText = new StaticArray<u8>(k);
    for (let i = 0; i < k; i++) oddText[i] = OUT[i];
    expect<i32>(helium_address_decode(changetype<usize>(oddText), k, out, 512)).toBe(ERR_BAD_TAG);
    const bin = fromHex("01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09");
    expect<i32>(helium_address_encode(changetype<usize>(bin), 32, out, 512)).toBe(ERR_BAD_LENGTH);
    expect<i32>(helium_address_encode(changetype<usize>(bin), 0, out, 512)).toBe(ERR_BAD_LENGTH);
    expect<i32>(helium_address_encode(changetype<usize>(bin), 33, out, 50)).toBe(ERR_NO_SPACE);
    const tags: u8[] = [0x02, 0x03, 0x04, 0x20, 0x21, 0xf1];
    for (let i = 0; i < tags.length; i++) {
      bin[0] = tags[i];
      expect<i32>(helium_address_encode(changetype<usize>(bin), 33, out, 512)).toBe(ERR_BAD_TAG);
    }
    // A valid checksum over a 33-byte payload (ed25519 tag, one key byte short).
    const short = fromHex("0001b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a");
    const n = b58check_encode(changetype<usize>(short), short.length, out, 512);
    const text = new StaticArray<u8>(n);
    for (let i = 0; i < n; i++) text[i] = OUT[i];
    expect<i32>(helium_address_decode(changetype<usize>(text), n, out, 512)).toBe(ERR_BAD_LENGTH);
    // Version byte 1 instead of 0.
    const versioned = fromHex("0101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09");
    const m = b58check_encode(changetype<usize>(versioned), versioned.length, out, 512);
    const vtext = new StaticArray<u8>(m);
    for (let i = 0; i < m; i++) vtext[i] = OUT[i];
    expect<i32>(helium_address_decode(changetype<usize>(vtext), m, out, 512)).toBe(ERR_BAD_TAG);
  });
});
