import { pb_encode, pb_error_at, pb_error_field } from "../proto/exports";
import {
  OP_BEGIN, OP_BOOL, OP_BYTES, OP_DOUBLE, OP_END, OP_ENUM, OP_FIXED32, OP_FIXED64, OP_FLOAT, OP_INT32,
  OP_INT64, OP_PACKED, OP_REPEATED, OP_SINT32, OP_SINT64, OP_UINT32, OP_UINT64,
} from "../proto/ops";
import { MAX_DEPTH, MAX_MESSAGES } from "../proto/encode";
import {
  ERR_BAD_INPUT, ERR_DUPLICATE_FIELD, ERR_FIELD_ORDER, ERR_LIMIT, ERR_NO_SPACE, ERR_TRUNCATED,
} from "../errors";

/** Builds an op list in the format of ops.ts. */
class Ops {
  bytes: u8[] = [];
  private le(v: u64, n: i32): void {
    for (let i = 0; i < n; i++) this.bytes.push(<u8>(v >> (<u64>(8 * i))));
  }
  op(kind: i32, field: u32): Ops {
    this.bytes.push(<u8>kind);
    this.le(field, 4);
    return this;
  }
  s4(kind: i32, field: u32, v: u32): Ops { this.op(kind, field).le(v, 4); return this; }
  s8(kind: i32, field: u32, v: u64): Ops { this.op(kind, field).le(v, 8); return this; }
  bool(field: u32, v: u8): Ops { this.op(OP_BOOL, field).bytes.push(v); return this; }
  bytesField(field: u32, data: u8[], repeated: bool = false): Ops {
    this.op(OP_BYTES | (repeated ? OP_REPEATED : 0), field).le(data.length, 4);
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]);
    return this;
  }
  begin(field: u32, repeated: bool = false): Ops { return this.op(OP_BEGIN | (repeated ? OP_REPEATED : 0), field); }
  end(): Ops { this.bytes.push(<u8>OP_END); return this; }
  packed(field: u32, elem: i32, width: i32, values: u64[]): Ops {
    this.op(OP_PACKED, field);
    this.bytes.push(<u8>elem);
    this.le(values.length, 4);
    for (let i = 0; i < values.length; i++) this.le(values[i], width);
    return this;
  }
}

const OUT = new StaticArray<u8>(4096);
let outLen: i32 = 0;

function run(ops: Ops, cap: u32 = 4096): i32 {
  const buf = new StaticArray<u8>(ops.bytes.length);
  for (let i = 0; i < ops.bytes.length; i++) buf[i] = ops.bytes[i];
  outLen = pb_encode(changetype<usize>(buf), buf.length, changetype<usize>(OUT), cap);
  return outLen;
}

function hex(): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i = 0; i < outLen; i++) s += digits.charAt(OUT[i] >> 4) + digits.charAt(OUT[i] & 15);
  return s;
}

function encodesTo(ops: Ops, expected: string): void {
  expect<i32>(run(ops)).toBe(expected.length / 2);
  expect<string>(hex()).toBe(expected);
}

describe("pb_encode scalars", () => {
  it("writes minimal varints at every length boundary", () => {
    encodesTo(new Ops().s8(OP_UINT64, 1, 1), "0801");
    encodesTo(new Ops().s8(OP_UINT64, 1, 127), "087f");
    encodesTo(new Ops().s8(OP_UINT64, 1, 128), "088001");
    encodesTo(new Ops().s8(OP_UINT64, 1, 16383), "08ff7f");
    encodesTo(new Ops().s8(OP_UINT64, 1, 16384), "08808001");
    encodesTo(new Ops().s8(OP_UINT64, 1, (1 << 21) - 1), "08ffff7f");
    encodesTo(new Ops().s8(OP_UINT64, 1, 1 << 28), "088080808001");
    encodesTo(new Ops().s4(OP_UINT32, 1, 0xffffffff), "08ffffffff0f");
    encodesTo(new Ops().s8(OP_UINT64, 1, (<u64>1 << 35) - 1), "08ffffffff7f");
    encodesTo(new Ops().s8(OP_UINT64, 1, <u64>1 << 63), "0880808080808080808001");
    encodesTo(new Ops().s8(OP_UINT64, 1, u64.MAX_VALUE), "08ffffffffffffffffff01");
  });

  it("omits zero scalars, enum 0, false and empty bytes", () => {
    const ops = new Ops()
      .s8(OP_UINT64, 1, 0).s4(OP_INT32, 2, 0).s4(OP_SINT32, 3, 0).s4(OP_ENUM, 4, 0).bool(5, 0)
      .s4(OP_FIXED32, 6, 0).s8(OP_FIXED64, 7, 0).s4(OP_FLOAT, 8, 0).s8(OP_DOUBLE, 9, 0)
      .s4(OP_FLOAT, 10, 0x80000000).s8(OP_DOUBLE, 11, 0x8000000000000000).bytesField(12, []).packed(13, OP_UINT32, 4, []);
    expect<i32>(run(ops)).toBe(0);
  });

  it("writes negative int32 and enum values as 10-byte sign-extended varints", () => {
    encodesTo(new Ops().s4(OP_INT32, 1, <u32>-1), "08ffffffffffffffffff01");
    encodesTo(new Ops().s4(OP_INT32, 7, <u32>-75), "38b5ffffffffffffffff01"); // spec 8.7 witness snr
    encodesTo(new Ops().s4(OP_ENUM, 1, <u32>-2), "08feffffffffffffffff01");
    encodesTo(new Ops().s4(OP_INT32, 1, <u32>i32.MIN_VALUE), "0880808080f8ffffffff01");
    encodesTo(new Ops().s4(OP_INT32, 1, <u32>i32.MAX_VALUE), "08ffffffff07");
    encodesTo(new Ops().s8(OP_INT64, 1, <u64>-1), "08ffffffffffffffffff01");
  });

  it("zigzag-encodes sint32 and sint64", () => {
    encodesTo(new Ops().s4(OP_SINT32, 6, <u32>-1150), "30fb11"); // spec 8.7 witness signal
    encodesTo(new Ops().s4(OP_SINT32, 1, <u32>-1), "0801");
    encodesTo(new Ops().s4(OP_SINT32, 1, 1), "0802");
    encodesTo(new Ops().s4(OP_SINT32, 3, <u32>-112), "18df01"); // spec 8.7 packet_up rssi
    encodesTo(new Ops().s4(OP_SINT32, 1, <u32>i32.MIN_VALUE), "08ffffffff0f");
    encodesTo(new Ops().s4(OP_SINT32, 1, <u32>i32.MAX_VALUE), "08feffffff0f");
    encodesTo(new Ops().s8(OP_SINT64, 1, <u64>i64.MIN_VALUE), "08ffffffffffffffffff01");
    encodesTo(new Ops().s8(OP_SINT64, 1, <u64>i64.MAX_VALUE), "08feffffffffffffffff01");
  });

  it("writes bool, fixed and floating point fields", () => {
    encodesTo(new Ops().bool(4, 1), "2001");
    encodesTo(new Ops().s4(OP_FLOAT, 6, 0x40f00000), "350000f040"); // 7.5, spec 8.7 packet_up snr
    encodesTo(new Ops().s4(OP_FIXED32, 1, 0x01020304), "0d04030201");
    encodesTo(new Ops().s8(OP_FIXED64, 1, 0x0102030405060708), "090807060504030201");
    encodesTo(new Ops().s8(OP_DOUBLE, 1, 0x3ff0000000000000), "09000000000000f03f");
  });

  it("writes bytes with their length, and empty repeated elements", () => {
    encodesTo(new Ops().bytesField(2, [0xde, 0xad]), "1202dead");
    encodesTo(new Ops().bytesField(2, [], true).bytesField(2, [7], true), "12001201" + "07");
    const long: u8[] = [];
    for (let i = 0; i < 200; i++) long.push(<u8>i);
    expect<i32>(run(new Ops().bytesField(1, long))).toBe(203);
    expect<u8>(OUT[1]).toBe(0xc8);
    expect<u8>(OUT[2]).toBe(0x01);
    expect<u8>(OUT[202]).toBe(199);
  });

  it("packs repeated scalars, zero elements included", () => {
    encodesTo(new Ops().packed(4, OP_UINT32, 4, [1, 150, 0]), "2204019601" + "00");
    encodesTo(new Ops().packed(1, OP_SINT32, 4, [<u64><u32>-1, 1]), "0a020102");
    encodesTo(new Ops().packed(1, OP_INT32, 4, [<u64><u32>-1]), "0a0affffffffffffffffff01");
    encodesTo(new Ops().packed(1, OP_FIXED32, 4, [1, 2]), "0a080100000002000000");
    encodesTo(new Ops().packed(1, OP_DOUBLE, 8, [0]), "0a080000000000000000");
    encodesTo(new Ops().packed(1, OP_BOOL, 1, [1, 0]), "0a020100");
  });
});

describe("pb_encode nesting", () => {
  it("keeps present nested messages even when empty", () => {
    encodesTo(new Ops().begin(2).end(), "1200");
    encodesTo(new Ops().begin(1).begin(2).end().end(), "0a021200");
  });

  it("computes nested lengths exactly, across varint length boundaries", () => {
    const inner: u8[] = [];
    for (let i = 0; i < 130; i++) inner.push(1);
    // outer { 1: { 1: bytes[130] } } -> inner message 133 bytes, outer 136
    expect<i32>(run(new Ops().begin(1).begin(1).bytesField(1, inner).end().end())).toBe(139);
    expect<string>(hex().slice(0, 16)).toBe("0a88010a85010a82");
  });

  it("allows repeated messages of the same field and then a higher field", () => {
    encodesTo(
      new Ops().begin(1, true).s8(OP_UINT64, 1, 5).end().begin(1, true).end().begin(1, true).end().s4(OP_UINT32, 2, 3),
      "0a020805" + "0a00" + "0a00" + "1003",
    );
  });

  it("encodes the spec 8.7 register vector", () => {
    const key: u8[] = [0x01];
    const hexKey = "b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09";
    for (let i = 0; i < 64; i += 2) key.push(<u8>I32.parseInt(hexKey.slice(i, i + 2), 16));
    encodesTo(
      new Ops().s8(OP_UINT64, 1, 1700000000123).bytesField(2, key).bytesField(3, []).bool(4, 1).s4(OP_UINT32, 5, 0),
      "08fbd095ffbc31122101" + hexKey + "2001",
    );
  });
});

describe("pb_encode errors", () => {
  it("rejects fields out of order and duplicates, locating the op", () => {
    expect<i32>(run(new Ops().s4(OP_UINT32, 2, 1).s4(OP_UINT32, 1, 1))).toBe(ERR_FIELD_ORDER);
    expect<i32>(pb_error_at()).toBe(9);
    expect<i32>(pb_error_field()).toBe(1);
    expect<i32>(run(new Ops().s4(OP_UINT32, 2, 1).s4(OP_UINT32, 2, 1))).toBe(ERR_DUPLICATE_FIELD);
    expect<i32>(run(new Ops().bytesField(2, [1], true).bytesField(2, [1], false))).toBe(ERR_DUPLICATE_FIELD);
    expect<i32>(run(new Ops().begin(2).end().begin(2).end())).toBe(ERR_DUPLICATE_FIELD);
    expect<i32>(run(new Ops().begin(3).end().s4(OP_UINT32, 1, 1))).toBe(ERR_FIELD_ORDER);
    // order is per message: a nested message restarts at field 1
    expect<i32>(run(new Ops().begin(3).s4(OP_UINT32, 1, 1).end().s4(OP_UINT32, 4, 1))).toBe(6);
  });

  it("rejects unbalanced nesting", () => {
    expect<i32>(run(new Ops().end())).toBe(ERR_BAD_INPUT);
    expect<i32>(run(new Ops().begin(1))).toBe(ERR_TRUNCATED);
  });

  it("caps nesting depth and the number of nested messages", () => {
    const deep = new Ops();
    for (let i = 0; i < MAX_DEPTH; i++) deep.begin(1);
    for (let i = 0; i < MAX_DEPTH; i++) deep.end();
    expect<i32>(run(deep)).toBe(MAX_DEPTH * 2);
    const tooDeep = new Ops();
    for (let i = 0; i <= MAX_DEPTH; i++) tooDeep.begin(1);
    for (let i = 0; i <= MAX_DEPTH; i++) tooDeep.end();
    expect<i32>(run(tooDeep)).toBe(ERR_LIMIT);
    const many = new Ops();
    for (let i = 0; i < MAX_MESSAGES; i++) many.begin(1, true).end();
    expect<i32>(run(many)).toBe(MAX_MESSAGES * 2);
    many.begin(1, true).end();
    expect<i32>(run(many)).toBe(ERR_LIMIT);
  });

  it("rejects malformed ops", () => {
    expect<i32>(run(new Ops().s4(OP_UINT32, 0, 1))).toBe(ERR_BAD_INPUT); // field 0
    expect<i32>(run(new Ops().s4(OP_UINT32, 0x20000000, 1))).toBe(ERR_BAD_INPUT); // field > 2^29-1
    expect<i32>(run(new Ops().s4(31, 1, 1))).toBe(ERR_BAD_INPUT); // unknown kind
    expect<i32>(run(new Ops().s4(OP_UINT32 | 0x20, 1, 1))).toBe(ERR_BAD_INPUT); // reserved bits
    expect<i32>(run(new Ops().bool(1, 2))).toBe(ERR_BAD_INPUT);
    expect<i32>(run(new Ops().packed(1, OP_BOOL, 1, [3]))).toBe(ERR_BAD_INPUT);
    expect<i32>(run(new Ops().packed(1, OP_BYTES, 4, [1]))).toBe(ERR_BAD_INPUT);
    const cut = new Ops().s8(OP_UINT64, 1, 5);
    cut.bytes.pop();
    expect<i32>(run(cut)).toBe(ERR_TRUNCATED);
    const lying = new Ops().op(OP_BYTES, 1);
    lying.bytes.push(10); lying.bytes.push(0); lying.bytes.push(0); lying.bytes.push(0); lying.bytes.push(1);
    expect<i32>(run(lying)).toBe(ERR_TRUNCATED);
    const hugePacked = new Ops().op(OP_PACKED, 1);
    hugePacked.bytes.push(<u8>OP_UINT64);
    for (let i = 0; i < 4; i++) hugePacked.bytes.push(0xff);
    expect<i32>(run(hugePacked)).toBe(ERR_TRUNCATED);
  });

  it("reports a too-small output region before writing anything", () => {
    OUT[0] = 0xaa;
    expect<i32>(run(new Ops().s8(OP_UINT64, 1, 300), 2)).toBe(ERR_NO_SPACE);
    expect<u8>(OUT[0]).toBe(0xaa);
    expect<i32>(run(new Ops().s8(OP_UINT64, 1, 300), 3)).toBe(3);
  });
});
