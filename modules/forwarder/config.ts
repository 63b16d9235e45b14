// Forwarder configuration: which uplink paths run, the GWMP servers, and the protocol timers.

import { isHost } from "../host/address.js";
import { parseGatewayEui } from "./eui.js";
import { deepFreeze } from "../util/freeze.js";

/**
 * Where uplinks go. "helium": the Helium-native path only (the default); "forwarder": only the
 * Semtech UDP servers; "both": each uplink goes both ways.
 */
export type UplinkMode = "helium" | "forwarder" | "both";

/** A GWMP server. */
export interface ForwarderServer {
  /** A host name or an IPv4 address; a name is resolved with HostProvider.dns (UDP sockets take addresses only). */
  readonly address: string;
  /** PUSH_DATA goes here. */
  readonly portUp: number;
  /** PULL_DATA and TX_ACK go here. Most servers use one port for both (1700, gateway-rs 1680). */
  readonly portDown: number;
}

export interface ForwarderConfig {
  readonly mode: UplinkMode;
  /** Up to two servers; at least one unless mode is "helium". */
  readonly servers: readonly ForwarderServer[];
  /** 16 hex digits; when absent the EUI is derived from the Wi-Fi MAC. */
  readonly gatewayEui?: string;
  /** PULL_DATA period (reference configs: 10 s). */
  readonly keepaliveMs: number;
  /** `stat` period (reference: 30 s). */
  readonly statIntervalMs: number;
  /**
   * How long a PUSH_DATA waits for its PUSH_ACK before it counts as unacknowledged in `ackr`. The
   * reference waits 100 ms because its thread blocks on the socket; this one does not block, so the
   * default allows for a server across the internet.
   */
  readonly pushAckTimeoutMs: number;
  /** Forward packets whose CRC failed (reference default: false; gateway-rs drops them anyway). */
  readonly forwardCrcErrors: boolean;
}

export const MAX_SERVERS = 2;

export const DEFAULT_FORWARDER_CONFIG: ForwarderConfig = deepFreeze({
  mode: "helium",
  servers: [],
  keepaliveMs: 10_000,
  statIntervalMs: 30_000,
  pushAckTimeoutMs: 1_000,
  forwardCrcErrors: false,
});

export type ConfigResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function usesHelium(mode: UplinkMode): boolean {
  return mode !== "forwarder";
}

export function usesForwarder(mode: UplinkMode): boolean {
  return mode !== "helium";
}

function isPort(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535;
}

function parsePort(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return isPort(n) ? n : undefined;
}

/** Parses "HOST:PORT" (one port for both directions) or "HOST:UP:DOWN"; HOST is a name or an IPv4 address. */
export function parseServerSpec(spec: string): ConfigResult<ForwarderServer> {
  const parts = spec.split(":");
  if (parts.length < 2 || parts.length > 3) return { ok: false, error: `"${spec}" is not HOST:PORT or HOST:UP:DOWN` };
  const [address, up, down = up] = parts;
  if (!isHost(address)) return { ok: false, error: `"${address}" is not a host name or an IPv4 address` };
  const portUp = parsePort(up);
  const portDown = parsePort(down);
  if (portUp === undefined || portDown === undefined) return { ok: false, error: `"${spec}" has a port outside 1..65535` };
  return { ok: true, value: { address, portUp, portDown } };
}

function parseServer(input: unknown, index: number): ConfigResult<ForwarderServer> {
  if (typeof input === "string") return parseServerSpec(input);
  if (typeof input !== "object" || input === null) return { ok: false, error: `servers[${index}] is not an object or "HOST:PORT"` };
  const o = input as { address?: unknown; portUp?: unknown; portDown?: unknown };
  if (typeof o.address !== "string" || !isHost(o.address)) return { ok: false, error: `servers[${index}].address is not a host name or an IPv4 address` };
  if (!isPort(o.portUp)) return { ok: false, error: `servers[${index}].portUp is not a port` };
  const portDown = o.portDown === undefined ? o.portUp : o.portDown;
  if (!isPort(portDown)) return { ok: false, error: `servers[${index}].portDown is not a port` };
  return { ok: true, value: { address: o.address, portUp: o.portUp, portDown } };
}

function positiveMs(o: Record<string, unknown>, key: keyof ForwarderConfig, fallback: number): number | string {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 3_600_000) return `${key} is not 1..3600000 ms`;
  return v;
}

/** Checks a configuration read from JSON; absent fields take the defaults. Never throws. */
export function parseForwarderConfig(input: unknown): ConfigResult<ForwarderConfig> {
  if (input === undefined) return { ok: true, value: DEFAULT_FORWARDER_CONFIG };
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, error: "forwarder config is not an object" };
  const o = input as Record<string, unknown>;
  const d = DEFAULT_FORWARDER_CONFIG;

  const mode = o.mode ?? d.mode;
  if (mode !== "helium" && mode !== "forwarder" && mode !== "both") {
    // Described, never converted: String() throws on an object whose toString is not a function.
    return { ok: false, error: `mode ${typeof mode === "string" ? `"${mode}"` : `(a ${typeof mode})`} is not helium, forwarder or both` };
  }

  const rawServers = o.servers ?? [];
  if (!Array.isArray(rawServers)) return { ok: false, error: "servers is not a list" };
  if (rawServers.length > MAX_SERVERS) return { ok: false, error: `at most ${MAX_SERVERS} servers, not ${rawServers.length}` };
  const servers: ForwarderServer[] = [];
  for (let i = 0; i < rawServers.length; i++) {
    const s = parseServer(rawServers[i], i);
    if (!s.ok) return s;
    servers.push(s.value);
  }
  if (mode !== "helium" && servers.length === 0) return { ok: false, error: `mode "${mode}" needs at least one server` };

  const gatewayEui = o.gatewayEui;
  if (gatewayEui !== undefined && (typeof gatewayEui !== "string" || parseGatewayEui(gatewayEui) === undefined)) {
    return { ok: false, error: "gatewayEui is not 16 hex digits" };
  }

  const keepaliveMs = positiveMs(o, "keepaliveMs", d.keepaliveMs);
  const statIntervalMs = positiveMs(o, "statIntervalMs", d.statIntervalMs);
  const pushAckTimeoutMs = positiveMs(o, "pushAckTimeoutMs", d.pushAckTimeoutMs);
  for (const v of [keepaliveMs, statIntervalMs, pushAckTimeoutMs]) if (typeof v === "string") return { ok: false, error: v };

  const forwardCrcErrors = o.forwardCrcErrors ?? d.forwardCrcErrors;
  if (typeof forwardCrcErrors !== "boolean") return { ok: false, error: "forwardCrcErrors is not a boolean" };

  return {
    ok: true,
    value: {
      mode,
      servers,
      ...(gatewayEui === undefined ? {} : { gatewayEui }),
      keepaliveMs: keepaliveMs as number,
      statIntervalMs: statIntervalMs as number,
      pushAckTimeoutMs: pushAckTimeoutMs as number,
      forwardCrcErrors,
    },
  };
}
