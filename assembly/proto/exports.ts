// Protobuf exports of the core. Inputs and outputs are (ptr, len) regions of linear memory,
// normally inside the scratch region; both are checked to lie inside memory and not to overlap.
import { ERR_BAD_INPUT, ERR_BAD_LENGTH } from "../errors";
import * as enc from "./encode";
import * as dec from "./decode";

/** The last call was pb_encode (true) or a decode (false): which module's error position to report. */
let lastWasEncode: bool = false;

function inMemory(ptr: usize, len: u32): bool {
  const size = <usize>memory.size() << 16;
  return ptr <= size && <usize>len <= size - ptr;
}

function overlap(a: usize, aLen: u32, b: usize, bLen: u32): bool {
  return a < b + <usize>bLen && b < a + <usize>aLen;
}

/**
 * Encodes an op list (format in assembly/proto/ops.ts) as canonical proto3.
 * Returns the byte count written at out_ptr, or a negative error code: ERR_FIELD_ORDER,
 * ERR_DUPLICATE_FIELD, ERR_LIMIT (depth > 16 or > 256 nested messages), ERR_BAD_INPUT (a
 * malformed op), ERR_TRUNCATED (op list cut short or a message left open), ERR_NO_SPACE,
 * ERR_BAD_LENGTH (a region outside memory). pb_error_at/pb_error_field locate the failing op.
 */
export function pb_encode(ops_ptr: usize, ops_len: u32, out_ptr: usize, out_cap: u32): i32 {
  lastWasEncode = true;
  if (!inMemory(ops_ptr, ops_len) || !inMemory(out_ptr, out_cap)) return ERR_BAD_LENGTH;
  if (overlap(ops_ptr, ops_len, out_ptr, out_cap)) return ERR_BAD_INPUT;
  return enc.encode(ops_ptr, ops_len, out_ptr, out_cap);
}

/**
 * Decodes one message level into a field list of 16-byte records (layout in decode.ts).
 * Returns the record count or a negative error code: ERR_TRUNCATED, ERR_BAD_WIRE_TYPE,
 * ERR_BAD_INPUT (bad key or varint), ERR_NO_SPACE, ERR_BAD_LENGTH.
 */
export function pb_decode(in_ptr: usize, len: u32, out_ptr: usize, out_cap: u32): i32 {
  lastWasEncode = false;
  if (!inMemory(in_ptr, len) || !inMemory(out_ptr, out_cap)) return ERR_BAD_LENGTH;
  if (overlap(in_ptr, len, out_ptr, out_cap)) return ERR_BAD_INPUT;
  return dec.decode(in_ptr, len, out_ptr, out_cap);
}

/** Decodes a packed repeated field's bytes (elements of wire type 0, 1 or 5) into u64 values. */
export function pb_decode_packed(in_ptr: usize, len: u32, wire_type: i32, out_ptr: usize, out_cap: u32): i32 {
  lastWasEncode = false;
  if (!inMemory(in_ptr, len) || !inMemory(out_ptr, out_cap)) return ERR_BAD_LENGTH;
  if (overlap(in_ptr, len, out_ptr, out_cap)) return ERR_BAD_INPUT;
  return dec.decodePacked(in_ptr, len, wire_type, out_ptr, out_cap);
}

/** After an error: the offset of the failing op (encode) or field key (decode) in the input. */
export function pb_error_at(): i32 {
  return lastWasEncode ? enc.lastErrorAt() : dec.lastErrorAt();
}

/** After an error: the field number involved, or 0 when it was not known yet. */
export function pb_error_field(): i32 {
  return <i32>(lastWasEncode ? enc.lastErrorField() : dec.lastErrorField());
}
