// HTTP/2 framing (RFC 9113 section 4 and 6): frame constants, encoders for the frames a client
// sends, and an incremental reader that cuts a byte stream into frames with a size limit.
import { H2ErrorCode, Http2Error } from "./errors.js";

export const FrameType = Object.freeze({
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const);

export const FrameFlag = Object.freeze({
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const);

export const SettingId = Object.freeze({
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const);

export const FRAME_HEADER_LENGTH = 9;
/** The smallest SETTINGS_MAX_FRAME_SIZE and the default (2^14). */
export const DEFAULT_MAX_FRAME_SIZE = 16384;
export const MAX_ALLOWED_FRAME_SIZE = 0xffffff;
export const DEFAULT_WINDOW_SIZE = 65535;
export const MAX_WINDOW_SIZE = 0x7fffffff;

/** "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n": the client connection preface (RFC 9113 section 3.4). */
export const CONNECTION_PREFACE = Uint8Array.from([
  0x50, 0x52, 0x49, 0x20, 0x2a, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x32, 0x2e, 0x30, 0x0d, 0x0a, 0x0d, 0x0a, 0x53,
  0x4d, 0x0d, 0x0a, 0x0d, 0x0a,
]);

export interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export function encodeFrame(type: number, flags: number, streamId: number, payload: Uint8Array = EMPTY): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH + payload.length);
  const n = payload.length;
  out[0] = (n >>> 16) & 0xff;
  out[1] = (n >>> 8) & 0xff;
  out[2] = n & 0xff;
  out[3] = type;
  out[4] = flags;
  new DataView(out.buffer).setUint32(5, streamId & 0x7fffffff);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

export function encodeSettings(entries: readonly (readonly [id: number, value: number])[]): Uint8Array {
  const payload = new Uint8Array(entries.length * 6);
  const view = new DataView(payload.buffer);
  entries.forEach(([id, value], i) => {
    view.setUint16(i * 6, id);
    view.setUint32(i * 6 + 2, value);
  });
  return encodeFrame(FrameType.SETTINGS, 0, 0, payload);
}

export function encodeSettingsAck(): Uint8Array {
  return encodeFrame(FrameType.SETTINGS, FrameFlag.ACK, 0);
}

export function encodeWindowUpdate(streamId: number, increment: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, increment & 0x7fffffff);
  return encodeFrame(FrameType.WINDOW_UPDATE, 0, streamId, payload);
}

export function encodeRstStream(streamId: number, code: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, code);
  return encodeFrame(FrameType.RST_STREAM, 0, streamId, payload);
}

export function encodeGoaway(lastStreamId: number, code: number, debug: Uint8Array = EMPTY): Uint8Array {
  const payload = new Uint8Array(8 + debug.length);
  const view = new DataView(payload.buffer);
  view.setUint32(0, lastStreamId & 0x7fffffff);
  view.setUint32(4, code);
  payload.set(debug, 8);
  return encodeFrame(FrameType.GOAWAY, 0, 0, payload);
}

export function encodePing(data: Uint8Array, ack: boolean): Uint8Array {
  return encodeFrame(FrameType.PING, ack ? FrameFlag.ACK : 0, 0, data);
}

/** Parsed SETTINGS payload: [id, value] pairs in the order received. */
export function decodeSettings(frame: Frame): [number, number][] {
  if (frame.streamId !== 0) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "SETTINGS on a stream");
  if (frame.flags & FrameFlag.ACK) {
    if (frame.payload.length !== 0) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
    return [];
  }
  if (frame.payload.length % 6 !== 0) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6");
  const view = new DataView(frame.payload.buffer, frame.payload.byteOffset, frame.payload.length);
  const out: [number, number][] = [];
  for (let i = 0; i < frame.payload.length; i += 6) out.push([view.getUint16(i), view.getUint32(i + 2)]);
  return out;
}

/**
 * Removes the padding of a DATA or HEADERS frame (and, for HEADERS, the priority block).
 * Returns the fragment that carries data or header block bytes.
 */
export function frameContent(frame: Frame): Uint8Array {
  let p = frame.payload;
  let pad = 0;
  if (frame.flags & FrameFlag.PADDED) {
    if (p.length < 1) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "padded frame without a pad length");
    pad = p[0];
    p = p.subarray(1);
  }
  if (frame.type === FrameType.HEADERS && frame.flags & FrameFlag.PRIORITY) {
    if (p.length < 5) throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, "HEADERS too short for its priority block");
    p = p.subarray(5);
  }
  if (pad > p.length) throw new Http2Error(H2ErrorCode.PROTOCOL_ERROR, "padding longer than the frame");
  return p.subarray(0, p.length - pad);
}

/**
 * Cuts an incoming byte stream into frames. A frame longer than `maxFrameSize` (our advertised
 * SETTINGS_MAX_FRAME_SIZE) is a FRAME_SIZE_ERROR before its payload is buffered, so a peer cannot
 * make us hold more than one maximal frame plus the last chunk read.
 */
export class FrameReader {
  private buffer = new Uint8Array(0);
  private start = 0;
  private end = 0;

  constructor(public maxFrameSize = DEFAULT_MAX_FRAME_SIZE) {}

  get bufferedBytes(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    const pending = this.end - this.start;
    if (this.buffer.length - this.end < chunk.length) {
      const needed = pending + chunk.length;
      if (needed <= this.buffer.length) this.buffer.copyWithin(0, this.start, this.end);
      else {
        const next = new Uint8Array(Math.max(needed, this.buffer.length * 2, 1024));
        next.set(this.buffer.subarray(this.start, this.end), 0);
        this.buffer = next;
      }
      this.start = 0;
      this.end = pending;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next complete frame, or undefined until more bytes arrive. The payload is a copy. */
  next(): Frame | undefined {
    const available = this.end - this.start;
    if (available < FRAME_HEADER_LENGTH) return undefined;
    const b = this.buffer;
    const s = this.start;
    const length = (b[s] << 16) | (b[s + 1] << 8) | b[s + 2];
    if (length > this.maxFrameSize) {
      throw new Http2Error(H2ErrorCode.FRAME_SIZE_ERROR, `frame of ${length} bytes exceeds the limit of ${this.maxFrameSize}`);
    }
    if (available < FRAME_HEADER_LENGTH + length) return undefined;
    const streamId = ((b[s + 5] & 0x7f) << 24) | (b[s + 6] << 16) | (b[s + 7] << 8) | b[s + 8];
    const payload = b.slice(s + FRAME_HEADER_LENGTH, s + FRAME_HEADER_LENGTH + length);
    const frame = { type: b[s + 3], flags: b[s + 4], streamId, payload };
    this.start += FRAME_HEADER_LENGTH + length;
    if (this.start === this.end) this.start = this.end = 0;
    return frame;
  }
}
