// Semtech UDP packet forwarder protocol (GWMP v2) datagram headers.
//
//   byte 0     protocol version, 2
//   bytes 1-2  token (chosen by whoever starts the exchange, echoed by the answer)
//   byte 3     identifier
//   bytes 4-11 gateway EUI, big-endian (only in PUSH_DATA, PULL_DATA and TX_ACK)
//   then JSON  (PUSH_DATA, PULL_RESP, optional in TX_ACK)

export const GWMP_VERSION = 2;

export const GwmpId = Object.freeze({
  PushData: 0x00,
  PushAck: 0x01,
  PullData: 0x02,
  PullResp: 0x03,
  PullAck: 0x04,
  TxAck: 0x05,
} as const);

/** Largest datagram the forwarder accepts from a server; a txpk with 255 payload bytes is about 600. */
export const MAX_DOWNSTREAM_DATAGRAM = 1024;

/** Why a datagram from a server was dropped. Every dropped datagram lands in exactly one of these. */
export type DropReason =
  | "unknown_source" // not from the configured server address and ports
  | "short" // fewer than 4 bytes
  | "version" // byte 0 is not 2
  | "unknown_id" // identifier is not PUSH_ACK, PULL_ACK or PULL_RESP
  | "oversize" // longer than MAX_DOWNSTREAM_DATAGRAM
  | "token_mismatch" // an ACK whose token matches nothing outstanding
  | "duplicate_ack" // a second PULL_ACK for the same PULL_DATA
  | "bad_json" // PULL_RESP body is not one JSON object within the bounds
  | "missing_field" // a mandatory txpk field is absent
  | "wrong_type" // a txpk field has the wrong JSON type
  | "bad_value" // a txpk field has the right type but an impossible value
  | "unsupported"; // valid GWMP this radio cannot do (FSK, implicit header, RF chain > 0)

export const DROP_REASONS: readonly DropReason[] = Object.freeze([
  "unknown_source",
  "short",
  "version",
  "unknown_id",
  "oversize",
  "token_mismatch",
  "duplicate_ack",
  "bad_json",
  "missing_field",
  "wrong_type",
  "bad_value",
  "unsupported",
]);

/** A server-to-gateway datagram after the header check. */
export type Downstream =
  | { readonly kind: "push_ack"; readonly token: number }
  | { readonly kind: "pull_ack"; readonly token: number }
  | { readonly kind: "pull_resp"; readonly token: number; readonly json: Uint8Array }
  | { readonly kind: "drop"; readonly reason: DropReason; readonly detail: string };

/** Classifies a datagram from a server by its header. Never throws. */
export function decodeDownstream(bytes: Uint8Array): Downstream {
  if (bytes.length < 4) return { kind: "drop", reason: "short", detail: `${bytes.length} bytes` };
  if (bytes.length > MAX_DOWNSTREAM_DATAGRAM) {
    return { kind: "drop", reason: "oversize", detail: `${bytes.length} bytes > ${MAX_DOWNSTREAM_DATAGRAM}` };
  }
  if (bytes[0] !== GWMP_VERSION) return { kind: "drop", reason: "version", detail: `version ${bytes[0]}` };
  const token = (bytes[1] << 8) | bytes[2];
  switch (bytes[3]) {
    // Bytes after an ACK's 4-byte header are ignored, as the reference forwarder does.
    case GwmpId.PushAck:
      return { kind: "push_ack", token };
    case GwmpId.PullAck:
      return { kind: "pull_ack", token };
    case GwmpId.PullResp:
      return { kind: "pull_resp", token, json: bytes.subarray(4) };
    default:
      return { kind: "drop", reason: "unknown_id", detail: `identifier 0x${bytes[3].toString(16).padStart(2, "0")}` };
  }
}

/**
 * Header, EUI and an ASCII JSON body in one buffer. The gateway's JSON is ASCII by construction
 * (digits, fixed names, base64), so it is written byte by byte without a UTF-8 pass.
 */
function datagram(id: number, token: number, eui: Uint8Array, json: string): Uint8Array {
  const out = new Uint8Array(12 + json.length);
  out[0] = GWMP_VERSION;
  out[1] = (token >> 8) & 0xff;
  out[2] = token & 0xff;
  out[3] = id;
  out.set(eui.subarray(0, 8), 4);
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c > 0x7f) throw new RangeError("GWMP body is not ASCII");
    out[12 + i] = c;
  }
  return out;
}

/** PUSH_DATA: token, EUI, then the JSON body (`{"rxpk":[...]}` and/or `{"stat":{...}}`). */
export function encodePushData(token: number, eui: Uint8Array, json: string): Uint8Array {
  return datagram(GwmpId.PushData, token, eui, json);
}

/** PULL_DATA: the keepalive that opens the path for downlinks. */
export function encodePullData(token: number, eui: Uint8Array): Uint8Array {
  return datagram(GwmpId.PullData, token, eui, "");
}

/** TX_ACK: echoes the PULL_RESP token; `json` is the `{"txpk_ack":{...}}` body. */
export function encodeTxAck(token: number, eui: Uint8Array, json: string): Uint8Array {
  return datagram(GwmpId.TxAck, token, eui, json);
}
