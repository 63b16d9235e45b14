import * as rd from "../proto/reader";
import { ERR_TRUNCATED } from "../errors";

function bytes(values: u8[]): usize {
  const buf = new StaticArray<u8>(values.length);
  for (let i = 0; i < values.length; i++) buf[i] = values[i];
  return changetype<usize>(buf);
}

describe("protobuf reader", () => {
  it("reads a varint field and a nested message", () => {
    // field 1 varint 150; field 2 len 3 { field 1 varint 1, field 2 fixed32? no: field 3 varint 2 }
    const p = bytes([0x08, 0x96, 0x01, 0x12, 0x04, 0x08, 0x01, 0x18, 0x02]);
    rd.begin(p, 9);
    expect<u32>(rd.key()).toBe(1);
    expect<u64>(rd.varint()).toBe(150);
    expect<u32>(rd.key()).toBe(2);
    const start = rd.lengthDelimited();
    const outer = rd.enter(start, rd.length());
    expect<u32>(rd.key()).toBe(1);
    expect<u64>(rd.varint()).toBe(1);
    expect<u32>(rd.key()).toBe(3);
    expect<u64>(rd.varint()).toBe(2);
    expect<u32>(rd.key()).toBe(0);
    rd.leave(outer);
    expect<bool>(rd.atEnd()).toBe(true);
    expect<i32>(rd.error()).toBe(0);
  });

  it("reports a length that runs past the end", () => {
    const p = bytes([0x12, 0x05, 0x01]);
    rd.begin(p, 3);
    expect<u32>(rd.key()).toBe(2);
    rd.lengthDelimited();
    expect<i32>(rd.error()).toBe(ERR_TRUNCATED);
    expect<u32>(rd.key()).toBe(0);
  });

  it("rejects an 11-byte varint and a cut-off one", () => {
    const long = bytes([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    rd.begin(long, 11);
    rd.varint();
    expect<bool>(rd.error() < 0).toBe(true);
    const cut = bytes([0x80, 0x80]);
    rd.begin(cut, 2);
    rd.varint();
    expect<i32>(rd.error()).toBe(ERR_TRUNCATED);
  });
});
