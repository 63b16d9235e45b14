// HTTP/2 error codes (RFC 9113 section 7) and the error type every layer of the client throws.

export const H2ErrorCode = Object.freeze({
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const);

const NAMES: Readonly<Record<number, string>> = Object.freeze(Object.fromEntries(Object.entries(H2ErrorCode).map(([name, code]) => [code, name])));

export function h2ErrorName(code: number): string {
  return NAMES[code] ?? `UNKNOWN_0x${code.toString(16)}`;
}

/**
 * A protocol violation. `streamId` 0 means a connection error (answered with GOAWAY and a close);
 * any other value is a stream error (answered with RST_STREAM on that stream only).
 */
export class Http2Error extends Error {
  override name = "Http2Error";
  constructor(
    readonly code: number,
    message: string,
    readonly streamId = 0,
  ) {
    super(`${h2ErrorName(code)}: ${message}`);
  }
}
