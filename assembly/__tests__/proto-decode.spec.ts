import { pb_decode, pb_decode_packed, pb_error_at, pb_error_field } from "../proto/exports";
import { ERR_BAD_INPUT, ERR_BAD_WIRE_TYPE, ERR_NO_SPACE, ERR_TRUNCATED, ERR_BAD_LENGTH } from "../errors";

const IN = new StaticArray<u8>(256);
const OUT = new StaticArray<u8>(512);

function decode(values: u8[], cap: u32 = 512): i32 {
  for (let i = 0; i < values.length; i++) IN[i] = values[i];
  return pb_decode(changetype<usize>(IN), values.length, changetype<usize>(OUT), cap);
}
function rec(i: i32, off: i32): usize {
  return changetype<usize>(OUT) + <usize>(i * 16 + off);
}

describe("pb_decode", () => {
  it("lists every field with its wire type and value or slice", () => {
    // 1: varint 150, 2: bytes "ab", 3: fixed32, 4: fixed64, 1 again (repeated)
    const n = decode([0x08, 0x96, 0x01, 0x12, 0x02, 0x61, 0x62, 0x1d, 1, 2, 3, 4, 0x21, 1, 0, 0, 0, 0, 0, 0, 0x80, 0x08, 0x01]);
    expect<i32>(n).toBe(5);
    expect<u32>(load<u32>(rec(0, 0))).toBe(1);
    expect<u32>(load<u32>(rec(0, 4))).toBe(0);
    expect<u64>(load<u64>(rec(0, 8))).toBe(150);
    expect<u32>(load<u32>(rec(1, 0))).toBe(2);
    expect<u32>(load<u32>(rec(1, 4))).toBe(2);
    expect<u32>(load<u32>(rec(1, 8))).toBe(5); // offset of "ab"
    expect<u32>(load<u32>(rec(1, 12))).toBe(2); // length
    expect<u64>(load<u64>(rec(2, 8))).toBe(0x04030201);
    expect<u64>(load<u64>(rec(3, 8))).toBe(0x8000000000000001);
    expect<u64>(load<u64>(rec(4, 8))).toBe(1);
  });

  it("accepts an empty message and a 10-byte varint of 2^64-1", () => {
    expect<i32>(decode([])).toBe(0);
    expect<i32>(decode([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).toBe(1);
    expect<u64>(load<u64>(rec(0, 8))).toBe(u64.MAX_VALUE);
  });

  it("rejects bad wire format with a code and the key's offset", () => {
    expect<i32>(decode([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])).toBe(ERR_BAD_INPUT);
    expect<i32>(decode([0x08, 0x01, 0x0b])).toBe(ERR_BAD_WIRE_TYPE); // group start
    expect<i32>(pb_error_at()).toBe(2);
    expect<i32>(pb_error_field()).toBe(1);
    expect<i32>(decode([0x0e, 0x00])).toBe(ERR_BAD_WIRE_TYPE); // wire type 6
    expect<i32>(decode([0x00, 0x01])).toBe(ERR_BAD_INPUT); // field 0
    expect<i32>(decode([0x12, 0x05, 0x01])).toBe(ERR_TRUNCATED);
    expect<i32>(pb_error_field()).toBe(2);
    expect<i32>(decode([0x1d, 0x01, 0x02])).toBe(ERR_TRUNCATED);
    expect<i32>(decode([0x21, 0x01])).toBe(ERR_TRUNCATED);
    expect<i32>(decode([0x08])).toBe(ERR_TRUNCATED);
    expect<i32>(decode([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).toBe(ERR_BAD_INPUT); // key above 2^32
  });

  it("stops when the field list is full", () => {
    expect<i32>(decode([0x08, 0x01, 0x08, 0x02], 16)).toBe(ERR_NO_SPACE);
    expect<i32>(pb_error_at()).toBe(2);
    expect<i32>(decode([0x08, 0x01, 0x08, 0x02], 32)).toBe(2);
  });

  it("refuses regions outside memory", () => {
    expect<i32>(pb_decode(0xfffffff0, 32, changetype<usize>(OUT), 16)).toBe(ERR_BAD_LENGTH);
  });
});

function packed(values: u8[], wire: i32, cap: u32 = 512): i32 {
  for (let i = 0; i < values.length; i++) IN[i] = values[i];
  return pb_decode_packed(changetype<usize>(IN), values.length, wire, changetype<usize>(OUT), cap);
}

describe("pb_decode_packed", () => {
  it("decodes varint, fixed32 and fixed64 elements", () => {
    expect<i32>(packed([0x01, 0x96, 0x01, 0x00], 0)).toBe(3);
    expect<u64>(load<u64>(changetype<usize>(OUT) + 8)).toBe(150);
    expect<i32>(packed([1, 0, 0, 0, 2, 0, 0, 0], 5)).toBe(2);
    expect<u64>(load<u64>(changetype<usize>(OUT) + 8)).toBe(2);
    expect<i32>(packed([1, 0, 0, 0, 0, 0, 0, 0x80], 1)).toBe(1);
    expect<u64>(load<u64>(changetype<usize>(OUT))).toBe(0x8000000000000001);
  });
  it("rejects partial elements, bad wire types and overflow", () => {
    expect<i32>(packed([1, 0, 0], 5)).toBe(ERR_TRUNCATED);
    expect<i32>(packed([0x80], 0)).toBe(ERR_TRUNCATED);
    expect<i32>(packed([1], 2)).toBe(ERR_BAD_WIRE_TYPE);
    expect<i32>(packed([1, 2], 0, 8)).toBe(ERR_NO_SPACE);
  });
});
