// The three core calls the protobuf codec needs. modules/core's Core implements this interface
// (over build/core.wasm or the wasm2c build); tests implement it over tests/support/raw-core.ts.
//
// An implementation copies the input into core memory (normally the scratch region), calls the
// export with an output region after it, and returns a copy of the output:
//   pbEncode        -> pb_encode(ops_ptr, ops_len, out_ptr, out_cap)       bytes = the message
//   pbDecode        -> pb_decode(in_ptr, len, out_ptr, out_cap)           bytes = the field list
//   pbDecodePacked  -> pb_decode_packed(in_ptr, len, wire, out_ptr, cap)  bytes = u64 LE values
// On a negative return it reports {code, at: pb_error_at(), field: pb_error_field()}. An input
// that does not fit its buffer is reported as code ERR_BAD_LENGTH, never thrown.

export type CoreResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly code: number; readonly at: number; readonly field: number };

export interface ProtoCore {
  pbEncode(ops: Uint8Array): CoreResult;
  pbDecode(message: Uint8Array): CoreResult;
  pbDecodePacked(body: Uint8Array, wireType: number): CoreResult;
}

// The codes of assembly/errors.ts that these calls return.
export const ERR_BAD_LENGTH = -1;
export const ERR_BAD_INPUT = -2;
export const ERR_NO_SPACE = -7;
export const ERR_TRUNCATED = -8;
export const ERR_BAD_WIRE_TYPE = -9;
export const ERR_FIELD_ORDER = -20;
export const ERR_DUPLICATE_FIELD = -21;
export const ERR_LIMIT = -22;

const REASONS: Readonly<Record<number, string>> = Object.freeze({
  [ERR_BAD_LENGTH]: "too large for the core's buffer",
  [ERR_BAD_INPUT]: "malformed (bad field key or varint)",
  [ERR_NO_SPACE]: "too many fields for the core's buffer",
  [ERR_TRUNCATED]: "truncated",
  [ERR_BAD_WIRE_TYPE]: "unsupported wire type",
  [ERR_FIELD_ORDER]: "field out of ascending order",
  [ERR_DUPLICATE_FIELD]: "non-repeated field given twice",
  [ERR_LIMIT]: "nested too deeply or too many nested messages",
});

export function coreReason(code: number): string {
  return REASONS[code] ?? `core error ${code}`;
}

// Field list record layout of pb_decode (assembly/proto/decode.ts).
export const RECORD_SIZE = 16;
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;
