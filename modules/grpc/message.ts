// gRPC length-prefixed messages: a 1-byte compressed flag, a 4-byte big-endian length, the bytes.
// The deframer reassembles messages across DATA frame boundaries with a cap on the message size.
import { GrpcError, GrpcStatus } from "./status.js";

export const MESSAGE_HEADER_LENGTH = 5;

export function frameMessage(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(MESSAGE_HEADER_LENGTH + message.length);
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, MESSAGE_HEADER_LENGTH);
  return out;
}

export class MessageDeframer {
  private header = new Uint8Array(MESSAGE_HEADER_LENGTH);
  private headerFill = 0;
  private body: Uint8Array | undefined;
  private bodyFill = 0;

  constructor(readonly maxMessageSize: number) {}

  /** True while part of a message has been received. */
  get partial(): boolean {
    return this.headerFill > 0 || this.body !== undefined;
  }

  /**
   * Feeds bytes; returns the messages they complete. Throws GrpcError RESOURCE_EXHAUSTED for a
   * message above maxMessageSize (before allocating it) and INTERNAL for a compressed message
   * (we never offer an encoding, so a server must not compress).
   */
  push(data: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let pos = 0;
    while (pos < data.length) {
      if (!this.body) {
        const k = Math.min(MESSAGE_HEADER_LENGTH - this.headerFill, data.length - pos);
        this.header.set(data.subarray(pos, pos + k), this.headerFill);
        this.headerFill += k;
        pos += k;
        if (this.headerFill < MESSAGE_HEADER_LENGTH) break;
        const flag = this.header[0];
        const length = new DataView(this.header.buffer).getUint32(1);
        if (flag !== 0) throw new GrpcError(GrpcStatus.INTERNAL, `compressed message (flag ${flag}) without a negotiated encoding`);
        if (length > this.maxMessageSize) {
          throw new GrpcError(GrpcStatus.RESOURCE_EXHAUSTED, `message of ${length} bytes exceeds the limit of ${this.maxMessageSize}`);
        }
        this.headerFill = 0;
        this.body = new Uint8Array(length);
        this.bodyFill = 0;
      }
      const k = Math.min(this.body.length - this.bodyFill, data.length - pos);
      this.body.set(data.subarray(pos, pos + k), this.bodyFill);
      this.bodyFill += k;
      pos += k;
      if (this.bodyFill === this.body.length) {
        out.push(this.body);
        this.body = undefined;
      }
    }
    return out;
  }
}
