// gRPC status codes and the mappings the gRPC HTTP/2 protocol defines for responses that carry no
// grpc-status of their own (HTTP status, RST_STREAM codes), plus grpc-message percent-decoding.
import { utf8Decode } from "../util/bytes.js";
import { H2ErrorCode } from "./errors.js";

export const GrpcStatus = Object.freeze({
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const);

const NAMES: Readonly<Record<number, string>> = Object.freeze(Object.fromEntries(Object.entries(GrpcStatus).map(([name, code]) => [code, name])));

export function grpcStatusName(code: number): string {
  return NAMES[code] ?? `STATUS_${code}`;
}

/** How a call ended. */
export interface CallStatus {
  code: number;
  details: string;
  /** Trailers as received (empty when the status was produced locally). */
  trailers: [string, string][];
}

export class GrpcError extends Error {
  override name = "GrpcError";
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${grpcStatusName(code)}: ${details}`);
  }
}

/** gRPC's mapping of a non-200 HTTP status to a status code. */
export function statusFromHttp(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return GrpcStatus.INTERNAL;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

/** gRPC's mapping of an RST_STREAM error code to a status code. */
export function statusFromReset(code: number): number {
  switch (code) {
    case H2ErrorCode.REFUSED_STREAM:
      return GrpcStatus.UNAVAILABLE;
    case H2ErrorCode.CANCEL:
      return GrpcStatus.CANCELLED;
    case H2ErrorCode.ENHANCE_YOUR_CALM:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case H2ErrorCode.INADEQUATE_SECURITY:
      return GrpcStatus.PERMISSION_DENIED;
    default:
      return GrpcStatus.INTERNAL;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Decodes a grpc-message value: "%XX" escapes are UTF-8 octets; a '%' not followed by two hex
 * digits is kept as is (the gRPC spec asks receivers to be lenient).
 */
export function percentDecode(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x25 && i + 2 < value.length) {
      const hi = hexValue(value.charCodeAt(i + 1));
      const lo = hexValue(value.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    bytes.push(c & 0xff);
  }
  return utf8Decode(Uint8Array.from(bytes));
}
