// A forwarder wired for tests: real UDP on 127.0.0.1 (sim/host/udp.ts) to GwmpTestServers, a
// virtual clock and timers, a scripted downlink queue, and a log kept in memory.

import { randomBytes } from "node:crypto";
import { parseForwarderConfig } from "../../modules/forwarder/config.js";
import { Forwarder } from "../../modules/forwarder/forwarder.js";
import type { DownlinkRequest, DownlinkScheduler, ForwarderHost, ScheduleResult, TxLimits, UplinkEvent } from "../../modules/forwarder/types.js";
import { NodeResolver } from "../../sim/host/resolver.js";
import { NodeUDP } from "../../sim/host/udp.js";
import { GwmpTestServer, ID, until } from "./gwmp-server.js";
import { VirtualTime } from "./virtual-time.js";

export const MAC = new Uint8Array([0x24, 0x0a, 0xc4, 0x12, 0x34, 0x56]);
/** MAC[0..2] FF FE MAC[3..5], written out by hand. */
export const EUI_HEX = "240AC4FFFE123456";
export const LIMITS: TxLimits = { minFreqHz: 863_000_000, maxFreqHz: 870_000_000, maxPowerDbm: 27 };
/** The rig's virtual clock starts one hour in, so tmst values are not near zero. */
export const START_MICROS = 3_600_000_000;

export class ScriptedScheduler implements DownlinkScheduler {
  readonly requests: DownlinkRequest[] = [];
  next: ScheduleResult | (() => ScheduleResult) = { code: "NONE" };
  schedule(request: DownlinkRequest): ScheduleResult {
    this.requests.push(request);
    return typeof this.next === "function" ? this.next() : this.next;
  }
}

export interface Rig {
  servers: GwmpTestServer[];
  server: GwmpTestServer;
  time: VirtualTime;
  forwarder: Forwarder;
  scheduler: ScriptedScheduler;
  logs: string[];
  close(): Promise<void>;
}

/** `host`: how the configuration names the servers (all on 127.0.0.1): an address or a name the system resolves. */
export async function openRig(options: { servers?: number; wallBaseMillis?: number; config?: object; host?: string } = {}): Promise<Rig> {
  const servers: GwmpTestServer[] = [];
  for (let i = 0; i < (options.servers ?? 1); i++) servers.push(await GwmpTestServer.open());
  const time = new VirtualTime(START_MICROS, options.wallBaseMillis);
  const logs: string[] = [];
  const host: ForwarderHost = {
    io: { UDP: NodeUDP },
    dns: new NodeResolver(),
    clock: time.clock,
    timers: time.timers,
    random: (bytes) => bytes.set(randomBytes(bytes.length)),
    log: (level, source, message) => logs.push(`${level} ${source} ${message}`),
  };
  const config = parseForwarderConfig({ mode: "forwarder", servers: servers.map((s) => `${options.host ?? "127.0.0.1"}:${s.port}`), ...options.config });
  if (!config.ok) throw new Error(config.error);
  const scheduler = new ScriptedScheduler();
  const created = Forwarder.create(config.value, MAC, { host, scheduler, txLimits: () => LIMITS });
  if (!created.ok) throw new Error(created.error);
  const forwarder = created.value;
  forwarder.start();
  for (let i = 0; i < servers.length; i++) {
    await servers[i].waitFor("the first PULL_DATA", () => servers[i].of(ID.PULL_DATA).length === 1);
    await until("the first PULL_ACK", () => forwarder.status().servers[i].pullAcked === 1);
  }
  return {
    servers,
    server: servers[0],
    time,
    forwarder,
    scheduler,
    logs,
    async close() {
      forwarder.stop();
      for (const s of servers) await s.close();
    },
  };
}

/** A plausible uplink; fields can be overridden. */
export function uplink(overrides: Partial<UplinkEvent> = {}): UplinkEvent {
  return {
    payload: new Uint8Array(randomBytes(20)),
    tmst: START_MICROS - 1000,
    rssi: -80,
    snr: 7.5,
    freq: 868_100_000,
    datarate: { sf: 7, bw: 125 },
    crcOk: true,
    codingRate: "4/5",
    ...overrides,
  };
}
