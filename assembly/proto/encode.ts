// Canonical proto3 encoder over an op list (format and rules in ops.ts).
// Two passes over the ops: the first validates them and measures every nested message, the
// second writes. Nested lengths are therefore exact and minimal without moving bytes around.
// All state is static (stub runtime: nothing is allocated per call).
import { ERR_BAD_INPUT, ERR_DUPLICATE_FIELD, ERR_FIELD_ORDER, ERR_LIMIT, ERR_NO_SPACE, ERR_TRUNCATED } from "../errors";
import {
  MAX_FIELD, OP_BEGIN, OP_BOOL, OP_BYTES, OP_DOUBLE, OP_END, OP_ENUM, OP_FIXED32, OP_FIXED64, OP_FLOAT,
  OP_INT32, OP_KIND_MASK, OP_PACKED, OP_REPEATED, OP_SINT32, OP_SINT64, OP_UINT32, scalarWidth,
} from "./ops";
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from "./reader";

/** Deepest nesting of messages accepted. */
export const MAX_DEPTH: i32 = 16;
/** Most nested messages in one encode call (each needs its measured size kept between passes). */
export const MAX_MESSAGES: i32 = 256;

const SIZES: usize = memory.data(MAX_MESSAGES * 4, 4); // measured size of each nested message, in order
// Per nesting level (0 = top): bytes measured so far, last field number, last op repeated, ordinal.
const LEVEL_BYTES = 16;
const LEVELS: usize = memory.data((MAX_DEPTH + 1) * LEVEL_BYTES, 4);
@inline function accAt(d: i32): usize { return LEVELS + <usize>(d * LEVEL_BYTES); }
@inline function lastAt(d: i32): usize { return LEVELS + <usize>(d * LEVEL_BYTES + 4); }
@inline function repAt(d: i32): usize { return LEVELS + <usize>(d * LEVEL_BYTES + 8); }
@inline function ordAt(d: i32): usize { return LEVELS + <usize>(d * LEVEL_BYTES + 12); }

// The op being read.
let opsBase: usize = 0;
let opsPos: usize = 0;
let opsEnd: usize = 0;
let opStart: usize = 0;
let opKind: i32 = 0;
let opRepeated: bool = false;
let opField: u32 = 0;
let opValue: u64 = 0; // raw payload of a scalar op
let opData: usize = 0; // OP_BYTES: the bytes; OP_PACKED: the first element
let opLen: u32 = 0; // OP_BYTES: length; OP_PACKED: element count
let opElem: i32 = 0; // OP_PACKED: element kind

// Where the last error happened, for pb_error_at / pb_error_field.
let errorAt: i32 = 0;
let errorField: u32 = 0;
export function lastErrorAt(): i32 { return errorAt; }
export function lastErrorField(): u32 { return errorField; }

function failAt(code: i32): i32 {
  errorAt = <i32>(opStart - opsBase);
  errorField = opField;
  return code;
}

@inline function remaining(): usize { return opsEnd - opsPos; }

/** Reads a scalar payload of `kind` at `p` (bounds already checked). */
function loadScalar(kind: i32, p: usize): u64 {
  const w = scalarWidth(kind);
  if (w == 1) return <u64>load<u8>(p);
  if (w == 4) return <u64>load<u32>(p);
  return load<u64>(p);
}

/** Parses the next op into the op* variables; 0 or an error code. */
function nextOp(): i32 {
  opStart = opsPos;
  opField = 0;
  if (remaining() < 1) return ERR_TRUNCATED;
  const b = <i32>load<u8>(opsPos++);
  opKind = b & OP_KIND_MASK;
  opRepeated = (b & OP_REPEATED) != 0;
  if ((b & 0x60) != 0) return ERR_BAD_INPUT;
  if (opKind == OP_END) return opRepeated ? ERR_BAD_INPUT : 0;
  if (remaining() < 4) return ERR_TRUNCATED;
  opField = load<u32>(opsPos);
  opsPos += 4;
  if (opField == 0 || opField > MAX_FIELD) return ERR_BAD_INPUT;
  if (opKind == OP_BEGIN) return 0;
  if (opKind == OP_BYTES) {
    if (remaining() < 4) return ERR_TRUNCATED;
    opLen = load<u32>(opsPos);
    opsPos += 4;
    if (<usize>opLen > remaining()) return ERR_TRUNCATED;
    opData = opsPos;
    opsPos += <usize>opLen;
    return 0;
  }
  if (opKind == OP_PACKED) {
    if (opRepeated) return ERR_BAD_INPUT;
    if (remaining() < 5) return ERR_TRUNCATED;
    opElem = <i32>load<u8>(opsPos);
    opLen = load<u32>(opsPos + 1);
    opsPos += 5;
    const w = scalarWidth(opElem);
    if (w == 0) return ERR_BAD_INPUT;
    if (<usize>opLen > remaining() / <usize>w) return ERR_TRUNCATED;
    opData = opsPos;
    opsPos += <usize>(opLen * w);
    if (opElem == OP_BOOL) {
      for (let i: u32 = 0; i < opLen; i++) if (load<u8>(opData + <usize>i) > 1) return ERR_BAD_INPUT;
    }
    return 0;
  }
  const w = scalarWidth(opKind);
  if (w == 0) return ERR_BAD_INPUT;
  if (remaining() < <usize>w) return ERR_TRUNCATED;
  opValue = loadScalar(opKind, opsPos);
  opsPos += <usize>w;
  if (opKind == OP_BOOL && opValue > 1) return ERR_BAD_INPUT;
  return 0;
}

function wireOf(kind: i32): i32 {
  if (kind == OP_FIXED32 || kind == OP_FLOAT) return WIRE_FIXED32;
  if (kind == OP_FIXED64 || kind == OP_DOUBLE) return WIRE_FIXED64;
  return WIRE_VARINT;
}

/** The varint a varint-kind value goes on the wire as. */
function varintOf(kind: i32, raw: u64): u64 {
  if (kind == OP_INT32 || kind == OP_ENUM) return <u64>(<i64>(<i32>(<u32>raw)));
  if (kind == OP_SINT32) {
    const n = <i32>(<u32>raw);
    return <u64>(<u32>((n << 1) ^ (n >> 31)));
  }
  if (kind == OP_SINT64) {
    const n = <i64>raw;
    return <u64>((n << 1) ^ (n >> 63));
  }
  return raw; // UINT32 (already 32 bits), UINT64, INT64, BOOL
}

function isZero(kind: i32, raw: u64): bool {
  if (kind == OP_FLOAT) return (raw & 0x7fffffff) == 0; // +0 and -0, as prost compares floats
  if (kind == OP_DOUBLE) return (raw & 0x7fffffffffffffff) == 0;
  return raw == 0;
}

export function varintSize(v: u64): u32 {
  let n: u32 = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

@inline function keySize(field: u32): u32 {
  return varintSize(<u64>field << 3);
}

/** Wire bytes of one scalar value (no key). */
function scalarSize(kind: i32, raw: u64): u32 {
  const wire = wireOf(kind);
  if (wire == WIRE_FIXED32) return 4;
  if (wire == WIRE_FIXED64) return 8;
  return varintSize(varintOf(kind, raw));
}

function packedBodySize(): u32 {
  const w = <usize>scalarWidth(opElem);
  let n: u32 = 0;
  for (let i: u32 = 0; i < opLen; i++) n += scalarSize(opElem, loadScalar(opElem, opData + <usize>i * w));
  return n;
}

/** Bytes the current (non-BEGIN/END) op adds to its message. */
function opSize(): u32 {
  if (opKind == OP_BYTES) {
    if (opLen == 0 && !opRepeated) return 0;
    return keySize(opField) + varintSize(<u64>opLen) + opLen;
  }
  if (opKind == OP_PACKED) {
    if (opLen == 0) return 0;
    const body = packedBodySize();
    return keySize(opField) + varintSize(<u64>body) + body;
  }
  if (!opRepeated && isZero(opKind, opValue)) return 0;
  return keySize(opField) + scalarSize(opKind, opValue);
}

/** Pass 1: validates the ops and measures each nested message; the total size or an error. */
function measure(): i64 {
  let depth: i32 = 0;
  let messages: i32 = 0;
  store<u32>(accAt(0), 0);
  store<u32>(lastAt(0), 0);
  store<u32>(repAt(0), 0);
  while (opsPos < opsEnd) {
    const rc = nextOp();
    if (rc < 0) return failAt(rc);
    if (opKind == OP_END) {
      if (depth == 0) return failAt(ERR_BAD_INPUT);
      const size = load<u32>(accAt(depth));
      store<u32>(SIZES + <usize>(load<u32>(ordAt(depth)) * 4), size);
      depth--;
      const field = load<u32>(lastAt(depth));
      store<u32>(accAt(depth), load<u32>(accAt(depth)) + keySize(field) + varintSize(<u64>size) + size);
      continue;
    }
    const last = load<u32>(lastAt(depth));
    if (opField < last) return failAt(ERR_FIELD_ORDER);
    if (opField == last && !(opRepeated && load<u32>(repAt(depth)) != 0)) return failAt(ERR_DUPLICATE_FIELD);
    store<u32>(lastAt(depth), opField);
    store<u32>(repAt(depth), opRepeated ? 1 : 0);
    if (opKind == OP_BEGIN) {
      if (depth == MAX_DEPTH || messages == MAX_MESSAGES) return failAt(ERR_LIMIT);
      depth++;
      store<u32>(ordAt(depth), <u32>messages);
      messages++;
      store<u32>(accAt(depth), 0);
      store<u32>(lastAt(depth), 0);
      store<u32>(repAt(depth), 0);
    } else {
      store<u32>(accAt(depth), load<u32>(accAt(depth)) + opSize());
    }
  }
  if (depth != 0) {
    opStart = opsEnd;
    opField = 0;
    return failAt(ERR_TRUNCATED); // a nested message was never closed
  }
  return <i64>load<u32>(accAt(0));
}

// Pass 2 output cursor.
let outPos: usize = 0;
let outEnd: usize = 0;

function writeVarint(v: u64): void {
  while (v >= 0x80) {
    if (outPos < outEnd) store<u8>(outPos++, <u8>(v | 0x80));
    v >>= 7;
  }
  if (outPos < outEnd) store<u8>(outPos++, <u8>v);
}

@inline function writeKey(field: u32, wire: i32): void {
  writeVarint((<u64>field << 3) | <u64>wire);
}

function writeScalar(kind: i32, raw: u64): void {
  const wire = wireOf(kind);
  if (wire == WIRE_VARINT) {
    writeVarint(varintOf(kind, raw));
    return;
  }
  const w: usize = wire == WIRE_FIXED32 ? 4 : 8;
  if (outEnd - outPos < w) return;
  if (w == 4) store<u32>(outPos, <u32>raw);
  else store<u64>(outPos, raw);
  outPos += w;
}

/** Pass 2: writes the ops measured by pass 1. */
function write(): void {
  let ordinal: u32 = 0;
  while (opsPos < opsEnd) {
    nextOp(); // validated by measure()
    if (opKind == OP_END) continue;
    if (opKind == OP_BEGIN) {
      writeKey(opField, WIRE_LEN);
      writeVarint(<u64>load<u32>(SIZES + <usize>(ordinal++ * 4)));
      continue;
    }
    if (opSize() == 0) continue;
    if (opKind == OP_BYTES) {
      writeKey(opField, WIRE_LEN);
      writeVarint(<u64>opLen);
      if (outEnd - outPos < <usize>opLen) return;
      memory.copy(outPos, opData, opLen);
      outPos += <usize>opLen;
    } else if (opKind == OP_PACKED) {
      writeKey(opField, WIRE_LEN);
      writeVarint(<u64>packedBodySize());
      const w = <usize>scalarWidth(opElem);
      for (let i: u32 = 0; i < opLen; i++) writeScalar(opElem, loadScalar(opElem, opData + <usize>i * w));
    } else {
      writeKey(opField, wireOf(opKind));
      writeScalar(opKind, opValue);
    }
  }
}

/**
 * Encodes the op list at (opsPtr, opsLen) into (outPtr, outCap); the regions must not overlap
 * (checked by the export). Returns the number of bytes written or a negative error code.
 */
export function encode(opsPtr: usize, opsLen: u32, outPtr: usize, outCap: u32): i32 {
  errorAt = 0;
  errorField = 0;
  opsBase = opsPtr;
  opsPos = opsPtr;
  opsEnd = opsPtr + <usize>opsLen;
  const total = measure();
  if (total < 0) return <i32>total;
  if (total > <i64>outCap) {
    errorAt = <i32>opsLen;
    return ERR_NO_SPACE;
  }
  opsPos = opsPtr;
  outPos = outPtr;
  outEnd = outPtr + <usize>total;
  write();
  return outPos == outEnd ? <i32>total : ERR_BAD_INPUT; // equal by construction; a guard, not a path
}
