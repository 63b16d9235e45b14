// Builds the op list pb_encode consumes (format: assembly/proto/ops.ts). Growable, little-endian.
export const OP = Object.freeze({
  uint32: 1, uint64: 2, int32: 3, int64: 4, sint32: 5, sint64: 6, bool: 7, enum: 8,
  fixed32: 9, fixed64: 10, float: 11, double: 12, bytes: 13, begin: 14, end: 15, packed: 16,
} as const);
export const OP_REPEATED = 0x80;

export class OpWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Starts an op; returns its offset (pb_error_at reports offsets of ops). */
  op(kind: number, field: number, repeated = false): number {
    const at = this.length;
    this.reserve(5);
    this.buf[this.length] = kind | (repeated ? OP_REPEATED : 0);
    this.view.setUint32(this.length + 1, field, true);
    this.length += 5;
    return at;
  }

  end(): void {
    this.u8(OP.end);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  u64(v: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt.asUintN(64, v), true);
    this.length += 8;
  }

  f32(v: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
  }

  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
