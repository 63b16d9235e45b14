// The Semtech UDP forwarder: one GwmpClient per configured server (at most two), fed by the radio's
// uplink events. Build it only when the uplink mode is "forwarder" or "both" (see usesForwarder).

import { GwmpClient, type ServerStatus } from "./client.js";
import type { ConfigResult, ForwarderConfig } from "./config.js";
import { MAX_SERVERS } from "./config.js";
import { formatGatewayEui, gatewayEuiFromMac, parseGatewayEui } from "./eui.js";
import type { ForwarderDeps, UplinkEvent } from "./types.js";
import { checkUplink, rxpkJson } from "./upstream.js";

export interface ForwarderStatus {
  readonly gatewayEui: string;
  readonly uplinks: number;
  /** Uplink events that could not be written as rxpk (a radio-side bug); counted, never forwarded. */
  readonly uplinksRejected: number;
  readonly servers: readonly ServerStatus[];
}

const TWO_POW_32 = 4294967296;
/** Beyond this the tmst is not the recent past of the clock, so no RX time is derived from it. */
const MAX_RX_AGE_MICROS = 2 ** 31;

export class Forwarder {
  readonly gatewayEui: Uint8Array;
  private readonly clients: GwmpClient[];
  private readonly deps: ForwarderDeps;
  private uplinks = 0;
  private uplinksRejected = 0;

  /**
   * `config` as parseForwarderConfig returns it; `mac` is the Wi-Fi station MAC, used for the EUI
   * unless the configuration names one.
   */
  static create(config: ForwarderConfig, mac: Uint8Array | undefined, deps: ForwarderDeps): ConfigResult<Forwarder> {
    if (config.servers.length === 0 || config.servers.length > MAX_SERVERS) {
      return { ok: false, error: `the forwarder needs 1..${MAX_SERVERS} servers, not ${config.servers.length}` };
    }
    let eui: Uint8Array | undefined;
    if (config.gatewayEui !== undefined) eui = parseGatewayEui(config.gatewayEui);
    else if (mac !== undefined && mac.length === 6) eui = gatewayEuiFromMac(mac);
    if (eui === undefined) return { ok: false, error: "no gateway EUI: configure gatewayEui or pass the 6-byte Wi-Fi MAC" };
    return { ok: true, value: new Forwarder(config, eui, deps) };
  }

  private constructor(config: ForwarderConfig, eui: Uint8Array, deps: ForwarderDeps) {
    this.gatewayEui = eui;
    this.deps = deps;
    const settings = {
      eui,
      keepaliveMs: config.keepaliveMs,
      statIntervalMs: config.statIntervalMs,
      pushAckTimeoutMs: config.pushAckTimeoutMs,
      forwardCrcErrors: config.forwardCrcErrors,
    };
    this.clients = config.servers.map((server) => new GwmpClient(server, settings, deps));
  }

  start(): void {
    for (const c of this.clients) c.start();
  }

  stop(): void {
    for (const c of this.clients) c.stop();
  }

  /** Hands one radio packet to every server. Never throws. */
  uplink(event: UplinkEvent): void {
    this.uplinks++;
    let rxpk: string | undefined;
    let crcOk = false;
    try {
      const problem = checkUplink(event);
      if (problem === undefined) {
        crcOk = event.crcOk;
        rxpk = rxpkJson(event, this.rxTimeMicros(event.tmst));
      } else {
        this.uplinksRejected++;
        this.deps.host.log("error", "forwarder", `uplink event not forwarded: ${problem}`);
      }
    } catch (e) {
      this.uplinksRejected++;
      try {
        this.deps.host.log("error", "forwarder", `uplink event not forwarded: ${String(e)}`);
      } catch {
        // A failing log must not take the forwarder down.
      }
    }
    for (const c of this.clients) c.forwardUplink(rxpk, crcOk);
  }

  status(): ForwarderStatus {
    return {
      gatewayEui: formatGatewayEui(this.gatewayEui),
      uplinks: this.uplinks,
      uplinksRejected: this.uplinksRejected,
      servers: this.clients.map((c) => c.status()),
    };
  }

  /** UTC µs of the end of the packet: wall clock now minus the tmst's age. Undefined without a valid wall clock. */
  private rxTimeMicros(tmst: number): number | undefined {
    const { clock } = this.deps.host;
    const wall = clock.wallMillis();
    if (wall === undefined) return undefined;
    const nowTmst = Math.floor(clock.micros()) % TWO_POW_32;
    const age = (nowTmst - tmst + TWO_POW_32) % TWO_POW_32;
    if (age >= MAX_RX_AGE_MICROS) return undefined;
    return wall * 1000 - age;
  }
}
