// Protobuf wire-format reader over linear memory, bounds-checked, allocation-free.
// State is module-level (the stub runtime never frees, so no per-call objects): one cursor
// `pos` and one limit `end`. Nested messages narrow `end` with enter()/leave().
import { ERR_BAD_WIRE_TYPE, ERR_TRUNCATED, ERR_BAD_INPUT } from "../errors";

export const WIRE_VARINT: i32 = 0;
export const WIRE_FIXED64: i32 = 1;
export const WIRE_LEN: i32 = 2;
export const WIRE_FIXED32: i32 = 5;

let pos: usize = 0;
let end: usize = 0;
/** The first error met since begin(); 0 when none. Calls after an error return zeros. */
let failure: i32 = 0;

export function begin(ptr: usize, len: u32): void {
  pos = ptr;
  end = ptr + len;
  failure = 0;
}

export function error(): i32 {
  return failure;
}

export function fail(code: i32): void {
  if (failure == 0) failure = code;
  pos = end;
}

export function atEnd(): bool {
  return pos >= end || failure != 0;
}

export function position(): usize {
  return pos;
}

/** Reads a varint of at most 10 bytes and at most 2^64-1; a longer, larger or cut-off one is an error. */
export function varint(): u64 {
  let result: u64 = 0;
  for (let shift: u64 = 0; shift < 70; shift += 7) {
    if (pos >= end) {
      fail(ERR_TRUNCATED);
      return 0;
    }
    const b = load<u8>(pos++);
    // The 10th byte holds only bit 63; more would overflow 64 bits (prost rejects it too).
    if (shift == 63 && b > 1) {
      fail(ERR_BAD_INPUT);
      return 0;
    }
    result |= (<u64>(b & 0x7f)) << shift;
    if ((b & 0x80) == 0) return result;
  }
  fail(ERR_BAD_INPUT);
  return 0;
}

/** Reads a field key; returns the field number (> 0) and sets lastWireType, or 0 at the end or on error. */
export let lastWireType: i32 = 0;
export function key(): u32 {
  if (atEnd()) return 0;
  const k = varint();
  const field = <u32>(k >> 3);
  lastWireType = <i32>(k & 7);
  if (failure != 0) return 0;
  if (field == 0 || k > 0xffffffff) {
    fail(ERR_BAD_INPUT);
    return 0;
  }
  return field;
}

export function fixed32(): u32 {
  if (end - pos < 4) {
    fail(ERR_TRUNCATED);
    return 0;
  }
  const v = load<u32>(pos);
  pos += 4;
  return v;
}

export function fixed64(): u64 {
  if (end - pos < 8) {
    fail(ERR_TRUNCATED);
    return 0;
  }
  const v = load<u64>(pos);
  pos += 8;
  return v;
}

/** Reads a length prefix and checks that many bytes remain; returns the start of the bytes. */
let lastLength: u32 = 0;
export function lengthDelimited(): usize {
  const n = varint();
  if (failure != 0) return 0;
  if (n > <u64>(end - pos)) {
    fail(ERR_TRUNCATED);
    return 0;
  }
  const start = pos;
  lastLength = <u32>n;
  pos += <usize>n;
  return start;
}
export function length(): u32 {
  return lastLength;
}

/** Skips the value of a field with the given wire type. */
export function skip(wireType: i32): void {
  if (wireType == WIRE_VARINT) varint();
  else if (wireType == WIRE_FIXED64) fixed64();
  else if (wireType == WIRE_LEN) lengthDelimited();
  else if (wireType == WIRE_FIXED32) fixed32();
  else fail(ERR_BAD_WIRE_TYPE);
}

/** Enters a nested message of `len` bytes at `start`; returns the outer limit for leave(). */
export function enter(start: usize, len: u32): usize {
  const outer = end;
  pos = start;
  end = start + len;
  return outer;
}

/** Leaves a nested message: continues after it, within the outer limit. */
export function leave(outerEnd: usize): void {
  if (failure != 0) {
    end = outerEnd;
    pos = outerEnd;
    return;
  }
  pos = end;
  end = outerEnd;
}
