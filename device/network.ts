// The device's network on the Moddable SDK's legacy modules: the Wi-Fi station (rejoining after a
// loss), the setup portal's access point and captive DNS, and the wall clock from SNTP.
import DNSServer from "dns/server";
import Net from "net";
import SNTP from "sntp";
import Time from "time";
import WiFi from "wifi";
import type { Log, TimerHandle, Timers } from "../modules/host/provider.js";

/** Where the ESP32's access point puts itself when Net cannot tell. */
const DEFAULT_AP_ADDRESS = "192.168.4.1";
const REJOIN_MIN_MS = 5_000;
const REJOIN_MAX_MS = 60_000;

/** Joins a Wi-Fi network and keeps rejoining it (5 s, doubling to 60 s) after a loss. */
export class WifiStation {
  /** undefined while the first attempt is under way, then whether the station has an address. */
  connected: boolean | undefined;
  /** Why the last attempt failed, in words. */
  lastProblem: string | undefined;
  readonly #options: { ssid: string; password: string };
  readonly #timers: Timers;
  readonly #log: Log;
  readonly #onChange: (connected: boolean) => void;
  readonly #monitor: WiFi;
  #rejoinMs = REJOIN_MIN_MS;
  #rejoin: TimerHandle | undefined;

  constructor(ssid: string, password: string, timers: Timers, log: Log, onChange: (connected: boolean) => void) {
    this.#options = password === "" ? { ssid, password: "" } : { ssid, password };
    this.#timers = timers;
    this.#log = log;
    this.#onChange = onChange;
    log("info", "wifi", `joining "${ssid}"`);
    // On "disconnect" the ESP32 also passes a reason, -1 for a refused password (xs6wifi.c
    // wifiEventPending); the SDK's typings (typings/wifi.d.ts) declare the message only.
    this.#monitor = new WiFi(password === "" ? { ssid } : { ssid, password }, (message: string, code?: number) => this.#event(message, code));
  }

  close(): void {
    this.#timers.clear(this.#rejoin);
    this.#monitor.close();
  }

  #event(message: string, code?: number): void {
    if (message === "connect") {
      this.#log("info", "wifi", `associated with "${this.#options.ssid}", waiting for an address`);
    } else if (message === "gotIP") {
      this.connected = true;
      this.lastProblem = undefined;
      this.#rejoinMs = REJOIN_MIN_MS;
      this.#log("info", "wifi", `connected to "${this.#options.ssid}" as ${netGet("IP", "station") ?? netGet("IP") ?? "?"}`);
      this.#onChange(true);
    } else if (message === "disconnect" || message === "lostIP") {
      const was = this.connected;
      this.connected = false;
      this.lastProblem = code === -1 ? `"${this.#options.ssid}" refused the password` : message === "lostIP" ? "lost the IP address" : `not connected to "${this.#options.ssid}"`;
      this.#log("warn", "wifi", `${this.lastProblem}; trying again in ${this.#rejoinMs / 1000} s`);
      if (was) this.#onChange(false);
      this.#timers.clear(this.#rejoin);
      this.#rejoin = this.#timers.set(() => {
        this.#rejoin = undefined;
        WiFi.connect(this.#options.password === "" ? { ssid: this.#options.ssid } : this.#options);
      }, this.#rejoinMs);
      this.#rejoinMs = Math.min(REJOIN_MAX_MS, this.#rejoinMs * 2);
    }
  }
}

/**
 * Net.get, which returns undefined when the interface has no address (modules/network/net/esp/modNet.c
 * xs_net_get returns early); the SDK's typings (typings/net.d.ts) say string.
 */
function netGet(property: "IP" | "MAC", iface?: "station" | "ap"): string | undefined {
  return Net.get(property as "IP", iface);
}

/** Opens the setup portal's open access point; returns its IPv4 address. */
export function startAccessPoint(ssid: string): string {
  WiFi.accessPoint({ ssid, channel: 1, max: 4 });
  return netGet("IP", "ap") ?? DEFAULT_AP_ADDRESS;
}

/** Captive DNS: every name resolves to the portal, so phones open it by themselves. */
export function startCaptiveDns(address: string): DNSServer {
  // dnsserver.js calls back (1, name) for each A query only and answers with what is returned.
  return new DNSServer(() => address);
}

/** The station interface's MAC ("A4:D1:8C:DB:C0:20") as bytes, if the network module knows it. */
export function stationMac(): Uint8Array | undefined {
  const text = netGet("MAC", "station") ?? netGet("MAC");
  if (text === undefined || !/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(text)) return undefined;
  return Uint8Array.from(text.split(":"), (h) => parseInt(h, 16));
}

/**
 * The wall clock from SNTP: asks each server in turn; on success sets the system clock and
 * re-syncs hourly; when every server fails, tries again in 30 s. Nothing is signed before `synced`.
 */
export class TimeSync {
  synced = false;
  readonly #hosts: string[];
  readonly #timers: Timers;
  readonly #log: Log;
  readonly #onFirstSync: () => void;
  #busy = false;
  #timer: TimerHandle | undefined;

  constructor(hosts: string[], timers: Timers, log: Log, onFirstSync: () => void) {
    this.#hosts = hosts;
    this.#timers = timers;
    this.#log = log;
    this.#onFirstSync = onFirstSync;
  }

  start(): void {
    if (this.#busy) return;
    this.#busy = true;
    this.#timers.clear(this.#timer);
    let next = 0;
    const first = this.#hosts[next++];
    this.#log("info", "time", `asking ${first} for the time (SNTP)`);
    // sntp.js: -1 comes with the reason as a string, and a host returned from it is tried next (failed()).
    new SNTP({ host: first }, (message: number, value?: number | string): string | undefined => {
      if (message === 1 && typeof value === "number") {
        Time.set(value);
        this.#busy = false;
        const firstSync = !this.synced;
        this.synced = true;
        this.#log("info", "time", `clock set to ${new Date(value * 1000).toISOString()}`);
        this.#timer = this.#timers.set(() => this.start(), 3_600_000);
        if (firstSync) this.#onFirstSync();
      } else if (message === -1) {
        const host = this.#hosts[next++];
        this.#log("warn", "time", `SNTP failed (${String(value)})${host ? `; trying ${host}` : "; trying again in 30 s"}`);
        if (host) return host;
        this.#busy = false;
        this.#timer = this.#timers.set(() => this.start(), 30_000);
      }
    });
  }
}
