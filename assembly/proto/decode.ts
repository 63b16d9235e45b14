// One level of protobuf wire format -> a flat field list, using the shared reader.
// The caller (TypeScript, which knows the schema) descends into nested messages by decoding
// their bytes again, so the core needs no schema and no recursion.
import { ERR_BAD_WIRE_TYPE, ERR_NO_SPACE } from "../errors";
import * as rd from "./reader";

/** Bytes per record of the field list. */
export const RECORD_SIZE: u32 = 16;

let errorAt: i32 = 0;
let errorField: u32 = 0;
export function lastErrorAt(): i32 { return errorAt; }
export function lastErrorField(): u32 { return errorField; }

/**
 * Decodes the message at (inPtr, len) into records at outPtr, each RECORD_SIZE bytes:
 *   u32 field number, u32 wire type, then 8 bytes:
 *   varint: the u64 value; fixed64: the 8 bytes; fixed32: the u32 value and 0;
 *   length-delimited: u32 offset of the bytes from inPtr, u32 length.
 * Groups (wire types 3, 4) and wire types 6, 7 are rejected, as are varints longer than
 * 10 bytes or above 2^64, field number 0, and lengths past the end.
 * Returns the number of records or a negative error code (pb_error_at gives the key's offset).
 */
export function decode(inPtr: usize, len: u32, outPtr: usize, outCap: u32): i32 {
  errorAt = 0;
  errorField = 0;
  const maxRecords = outCap / RECORD_SIZE;
  let count: u32 = 0;
  rd.begin(inPtr, len);
  while (!rd.atEnd()) {
    const keyAt = rd.position();
    const field = rd.key();
    let lo: u64 = 0;
    const wire = rd.lastWireType;
    if (rd.error() == 0) {
      if (wire == rd.WIRE_VARINT) lo = rd.varint();
      else if (wire == rd.WIRE_FIXED64) lo = rd.fixed64();
      else if (wire == rd.WIRE_FIXED32) lo = <u64>rd.fixed32();
      else if (wire == rd.WIRE_LEN) {
        const start = rd.lengthDelimited();
        lo = <u64>(start - inPtr) | (<u64>rd.length() << 32);
      } else rd.fail(ERR_BAD_WIRE_TYPE);
    }
    if (rd.error() != 0) {
      errorAt = <i32>(keyAt - inPtr);
      errorField = field;
      return rd.error();
    }
    if (count == maxRecords) {
      errorAt = <i32>(keyAt - inPtr);
      errorField = field;
      return ERR_NO_SPACE;
    }
    const rec = outPtr + <usize>(count * RECORD_SIZE);
    store<u32>(rec, field);
    store<u32>(rec, <u32>wire, 4);
    store<u64>(rec, lo, 8);
    count++;
  }
  return <i32>count;
}

/**
 * Decodes the body of a packed repeated field (wire type 0, 1 or 5 elements) into u64 values at
 * outPtr (8 bytes each; fixed32 values zero-extended). Returns the count or an error code.
 */
export function decodePacked(inPtr: usize, len: u32, wire: i32, outPtr: usize, outCap: u32): i32 {
  errorAt = 0;
  errorField = 0;
  if (wire != rd.WIRE_VARINT && wire != rd.WIRE_FIXED64 && wire != rd.WIRE_FIXED32) return ERR_BAD_WIRE_TYPE;
  const maxValues = outCap / 8;
  let count: u32 = 0;
  rd.begin(inPtr, len);
  while (!rd.atEnd()) {
    const at = rd.position();
    let v: u64 = 0;
    if (wire == rd.WIRE_VARINT) v = rd.varint();
    else if (wire == rd.WIRE_FIXED64) v = rd.fixed64();
    else v = <u64>rd.fixed32();
    if (rd.error() != 0) {
      errorAt = <i32>(at - inPtr);
      return rd.error();
    }
    if (count == maxValues) {
      errorAt = <i32>(at - inPtr);
      return ERR_NO_SPACE;
    }
    store<u64>(outPtr + <usize>(count * 8), v);
    count++;
  }
  return <i32>count;
}
