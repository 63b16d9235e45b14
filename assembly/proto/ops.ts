// The op list: how the TypeScript side describes a message to pb_encode (see exports.ts).
//
// A message is a sequence of ops, all integers little-endian, no padding:
//
//   op byte   low 5 bits: kind (below); bit 7 (OP_REPEATED): an element of a repeated field;
//             bits 5-6 must be 0
//   field     u32, 1 .. 2^29-1 (absent for OP_END)
//   payload   by kind:
//     OP_UINT32, OP_INT32, OP_SINT32, OP_ENUM, OP_FIXED32, OP_FLOAT   4 bytes (u32 / i32 / f32 bits)
//     OP_UINT64, OP_INT64, OP_SINT64, OP_FIXED64, OP_DOUBLE          8 bytes (u64 / i64 / f64 bits)
//     OP_BOOL                                                        1 byte, 0 or 1
//     OP_BYTES      u32 length, then the bytes (strings as UTF-8)
//     OP_BEGIN      nothing: the ops up to the matching OP_END form a nested message
//     OP_END        nothing (no field either)
//     OP_PACKED     u8 element kind (a scalar kind above), u32 count, then count payloads of
//                   that kind, back to back (packed repeated scalars)
//
// Kinds say how a value goes on the wire: INT32 and ENUM are sign-extended to 64 bits (a negative
// value takes 10 bytes), SINT32/SINT64 are zigzag-encoded, FIXED32 and FLOAT use wire type 5
// (also for sfixed32), FIXED64 and DOUBLE wire type 1 (also for sfixed64).
//
// Canonical output rules applied by the encoder, not by the caller: fields must come in ascending
// order (a field number may repeat only for consecutive OP_REPEATED ops); a scalar equal to zero
// (float/double +-0 too), an empty bytes/string and an empty packed list are not written; repeated
// elements are always written; a nested message is always written, even when empty (proto3
// message fields have presence, as prost's `Some(msg)`).
export const OP_UINT32: i32 = 1;
export const OP_UINT64: i32 = 2;
export const OP_INT32: i32 = 3;
export const OP_INT64: i32 = 4;
export const OP_SINT32: i32 = 5;
export const OP_SINT64: i32 = 6;
export const OP_BOOL: i32 = 7;
export const OP_ENUM: i32 = 8;
export const OP_FIXED32: i32 = 9;
export const OP_FIXED64: i32 = 10;
export const OP_FLOAT: i32 = 11;
export const OP_DOUBLE: i32 = 12;
export const OP_BYTES: i32 = 13;
export const OP_BEGIN: i32 = 14;
export const OP_END: i32 = 15;
export const OP_PACKED: i32 = 16;

export const OP_REPEATED: i32 = 0x80;
export const OP_KIND_MASK: i32 = 0x1f;

/** Largest field number proto allows. */
export const MAX_FIELD: u32 = 0x1fffffff;

/** Bytes of a scalar kind's payload in the op list, or 0 for a kind that is not a scalar. */
export function scalarWidth(kind: i32): u32 {
  if (kind == OP_BOOL) return 1;
  if (kind == OP_UINT32 || kind == OP_INT32 || kind == OP_SINT32 || kind == OP_ENUM || kind == OP_FIXED32 || kind == OP_FLOAT) return 4;
  if (kind == OP_UINT64 || kind == OP_INT64 || kind == OP_SINT64 || kind == OP_FIXED64 || kind == OP_DOUBLE) return 8;
  return 0;
}
