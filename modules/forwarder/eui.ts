// The gateway EUI in GWMP headers: 8 bytes, big-endian.

import { fromHex, toHex } from "../util/bytes.js";

/** EUI-64 from a 6-byte MAC, the way gateways commonly derive it: MAC[0..2] FF FE MAC[3..5]. */
export function gatewayEuiFromMac(mac: Uint8Array): Uint8Array {
  if (mac.length !== 6) throw new RangeError(`a MAC address has 6 bytes, not ${mac.length}`);
  return Uint8Array.of(mac[0], mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5]);
}

/** Parses a configured EUI: 16 hex digits, optionally separated by ':' or '-'. Undefined if malformed. */
export function parseGatewayEui(text: string): Uint8Array | undefined {
  const digits = text.replace(/[:-]/g, "");
  if (!/^[0-9a-fA-F]{16}$/.test(digits)) return undefined;
  return fromHex(digits);
}

export function formatGatewayEui(eui: Uint8Array): string {
  return toHex(eui).toUpperCase();
}
