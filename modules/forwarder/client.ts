// One GWMP server session over one ECMA-419 UDP socket: PUSH_DATA for uplinks and stats, PULL_DATA
// keepalives, ACK token matching, PULL_RESP -> downlink queue -> TX_ACK. The server's name is
// resolved at start and again whenever a PULL_DATA went unanswered (its address may have changed);
// until it resolves nothing is sent. Every datagram received is
// either accepted (PUSH_ACK, PULL_ACK, PULL_RESP answered with a TX_ACK) or dropped under exactly
// one reason. Nothing thrown inside escapes: entry points count internal errors instead.

import type { LogLevel, TimerHandle, UDP } from "../host/provider.js";
import type { ForwarderServer } from "./config.js";
import { DROP_REASONS, decodeDownstream, encodePullData, encodePushData, encodeTxAck, type DropReason } from "./gwmp.js";
import { parsePullRespBody, type TxPacket } from "./txpk.js";
import type { DownlinkRequest, ForwarderDeps, ScheduleCode } from "./types.js";
import { TX_ACK_CODES, statJson, txAckJson, type StatCounters, type TxAckCode } from "./upstream.js";

export interface ClientSettings {
  readonly eui: Uint8Array;
  readonly keepaliveMs: number;
  readonly statIntervalMs: number;
  readonly pushAckTimeoutMs: number;
  readonly forwardCrcErrors: boolean;
}

/** Lifetime figures for one server, for the dashboard and tests. */
export interface ServerStatus {
  readonly server: ForwarderServer;
  /** The address the server's name resolved to (undefined until it does). */
  readonly resolvedAddress: string | undefined;
  readonly resolveFailures: number;
  readonly datagramsReceived: number;
  readonly accepted: { readonly pushAck: number; readonly pullAck: number; readonly pullResp: number };
  readonly dropped: Readonly<Record<DropReason, number>>;
  readonly txAcks: Readonly<Record<TxAckCode, number>>;
  readonly pushSent: number;
  readonly pushAcked: number;
  readonly pushUnacked: number;
  readonly pullSent: number;
  readonly pullAcked: number;
  /** Host milliseconds of the last PULL_ACK: how fresh the downlink path is. */
  readonly lastPullAckMillis: number | undefined;
  readonly uplinksForwarded: number;
  readonly statsSent: number;
  /** Stat reports postponed because the wall clock was not valid yet (their counters carry over). */
  readonly statsDeferred: number;
  readonly txEmitted: number;
  readonly txFailed: number;
  readonly sendErrors: number;
  readonly internalErrors: number;
}

const KNOWN_CODES: readonly ScheduleCode[] = Object.freeze(["NONE", "TOO_LATE", "TOO_EARLY", "COLLISION_PACKET", "COLLISION_BEACON", "TX_FREQ", "TX_POWER"]);
/** Outstanding PUSH_DATA tokens remembered for ACK matching; older ones count as unacknowledged. */
const MAX_PENDING_PUSH = 32;
/** Drop log lines per stat interval; the rest are summed in one line so a flood cannot flood the log. */
const DROP_LOG_BUDGET = 20;

function zeroCounters(): StatCounters {
  return { rxnb: 0, rxok: 0, rxfw: 0, pushSettled: 0, pushAcked: 0, dwnb: 0, txnb: 0 };
}

function zeroRecord<K extends string>(keys: readonly K[]): Record<K, number> {
  const r = {} as Record<K, number>;
  for (const k of keys) r[k] = 0;
  return r;
}

export class GwmpClient {
  readonly server: ForwarderServer;
  private readonly settings: ClientSettings;
  private readonly deps: ForwarderDeps;
  private readonly label: string;
  private socket: UDP | undefined;
  /** The server's address, once resolved. */
  private address: string | undefined;
  /** The socket a lookup is running for (a stop and start meanwhile makes its answer stale). */
  private resolvingFor: UDP | undefined;
  private resolveFailures = 0;
  private keepaliveTimer: TimerHandle | undefined;
  private statTimer: TimerHandle | undefined;

  private interval = zeroCounters();
  private pending: { token: number; sentAt: number }[] = [];
  private pullToken: number | undefined;
  private pullAckedCurrent = false;
  private dropLogsLeft = DROP_LOG_BUDGET;
  private dropLogsSuppressed = 0;

  private datagramsReceived = 0;
  private readonly accepted = { pushAck: 0, pullAck: 0, pullResp: 0 };
  private readonly dropped = zeroRecord(DROP_REASONS);
  private readonly txAcks = zeroRecord(TX_ACK_CODES);
  private pushSent = 0;
  private pushAcked = 0;
  private pushUnacked = 0;
  private pullSent = 0;
  private pullAcked = 0;
  private lastPullAckMillis: number | undefined;
  private uplinksForwarded = 0;
  private statsSent = 0;
  private statsDeferred = 0;
  private txEmitted = 0;
  private txFailed = 0;
  private sendErrors = 0;
  private internalErrors = 0;

  constructor(server: ForwarderServer, settings: ClientSettings, deps: ForwarderDeps) {
    this.server = server;
    this.settings = settings;
    this.deps = deps;
    this.label = server.portUp === server.portDown ? `${server.address}:${server.portUp}` : `${server.address}:${server.portUp}/${server.portDown}`;
  }

  /** Opens the socket, sends the first PULL_DATA and starts the keepalive and stat timers. */
  start(): void {
    this.guard("start", () => {
      if (this.socket) return;
      const { host } = this.deps;
      // No onError: the SDK's UDP never calls it (lwip xs_udp_constructor); write() throws instead.
      this.socket = new host.io.UDP({ onReadable: () => this.drain() });
      this.resolve();
      this.keepaliveTimer = host.timers.repeat(() => this.guard("keepalive", () => this.keepalive()), this.settings.keepaliveMs);
      this.statTimer = host.timers.repeat(() => this.guard("stat", () => this.sendStat()), this.settings.statIntervalMs);
      this.log("info", `forwarding to ${this.label}`);
    });
  }

  stop(): void {
    this.guard("stop", () => {
      const { timers } = this.deps.host;
      timers.clear(this.keepaliveTimer);
      timers.clear(this.statTimer);
      this.keepaliveTimer = this.statTimer = undefined;
      const socket = this.socket;
      this.socket = undefined;
      this.address = undefined;
      socket?.close();
    });
  }

  /**
   * Counts one radio packet and forwards it when allowed. `rxpk` is its JSON object, or undefined
   * when the event could not be written (it is then counted as received but not forwarded).
   */
  forwardUplink(rxpk: string | undefined, crcOk: boolean): void {
    this.guard("uplink", () => {
      this.interval.rxnb++;
      if (crcOk) this.interval.rxok++;
      if (rxpk === undefined || (!crcOk && !this.settings.forwardCrcErrors)) return;
      if (this.pushData(`{"rxpk":[${rxpk}]}`)) {
        this.interval.rxfw++;
        this.uplinksForwarded++;
      }
    });
  }

  /** Handles one datagram that arrived on this server's socket. */
  receive(bytes: Uint8Array, address: string, port: number): void {
    this.guard("receive", () => {
      this.datagramsReceived++;
      if (address !== this.address || (port !== this.server.portUp && port !== this.server.portDown)) {
        this.drop("unknown_source", `from ${address}:${port}`);
        return;
      }
      const d = decodeDownstream(bytes);
      switch (d.kind) {
        case "drop":
          this.drop(d.reason, d.detail);
          return;
        case "push_ack":
          this.onPushAck(d.token);
          return;
        case "pull_ack":
          this.onPullAck(d.token);
          return;
        case "pull_resp":
          this.onPullResp(d.token, d.json);
          return;
      }
    });
  }

  status(): ServerStatus {
    this.expirePending();
    return {
      server: this.server,
      resolvedAddress: this.address,
      resolveFailures: this.resolveFailures,
      datagramsReceived: this.datagramsReceived,
      accepted: { ...this.accepted },
      dropped: { ...this.dropped },
      txAcks: { ...this.txAcks },
      pushSent: this.pushSent,
      pushAcked: this.pushAcked,
      pushUnacked: this.pushUnacked,
      pullSent: this.pullSent,
      pullAcked: this.pullAcked,
      lastPullAckMillis: this.lastPullAckMillis,
      uplinksForwarded: this.uplinksForwarded,
      statsSent: this.statsSent,
      statsDeferred: this.statsDeferred,
      txEmitted: this.txEmitted,
      txFailed: this.txFailed,
      sendErrors: this.sendErrors,
      internalErrors: this.internalErrors,
    };
  }

  // ------------------------------------------------------------------ upstream

  private token(): number {
    const b = new Uint8Array(2);
    this.deps.host.random(b);
    return (b[0] << 8) | b[1];
  }

  /** Looks the server's name up (an address resolves to itself); the first answer starts the session with a PULL_DATA. */
  private resolve(): void {
    const socket = this.socket;
    if (socket === undefined || this.resolvingFor === socket) return;
    this.resolvingFor = socket;
    const name = this.server.address;
    const current = () => {
      if (this.resolvingFor === socket) this.resolvingFor = undefined;
      return this.socket === socket;
    };
    const onResolved = (address: string) =>
        this.guard("resolve", () => {
          if (!current()) return;
          const first = this.address === undefined;
          if (address !== this.address && address !== name) this.log("info", `${name} is ${address}`);
          this.address = address;
          if (first) this.sendPullData();
        });
    const onError = (error: Error) =>
      this.guard("resolve", () => {
        if (!current()) return;
        this.resolveFailures++;
        this.log("warn", `cannot resolve ${name}: ${error.message}`);
      });
    try {
      this.deps.host.dns.resolve(name, onResolved, onError);
    } catch (e) {
      this.resolvingFor = undefined; // the next keepalive tries again
      throw e;
    }
  }

  private keepalive(): void {
    if (this.address === undefined || (this.pullToken !== undefined && !this.pullAckedCurrent)) this.resolve();
    this.sendPullData();
  }

  private send(bytes: Uint8Array, port: number): boolean {
    const socket = this.socket;
    const address = this.address;
    if (!socket || address === undefined) return false;
    try {
      socket.write(bytes, address, port);
      return true;
    } catch (e) {
      this.sendErrors++;
      this.log("warn", `send to ${address}:${port} failed: ${String(e)}`);
      return false;
    }
  }

  private pushData(json: string): boolean {
    const token = this.token();
    if (!this.send(encodePushData(token, this.settings.eui, json), this.server.portUp)) return false;
    this.pushSent++;
    this.expirePending();
    if (this.pending.length >= MAX_PENDING_PUSH) {
      this.pending.shift();
      this.settlePush(false);
    }
    this.pending.push({ token, sentAt: this.deps.host.clock.millis() });
    return true;
  }

  private sendPullData(): void {
    if (this.pullToken !== undefined && !this.pullAckedCurrent) this.log("debug", "previous PULL_DATA was not acknowledged");
    const token = this.token();
    if (!this.send(encodePullData(token, this.settings.eui), this.server.portDown)) return;
    this.pullSent++;
    this.pullToken = token;
    this.pullAckedCurrent = false;
  }

  private sendStat(): void {
    this.expirePending();
    if (this.dropLogsSuppressed > 0) {
      this.log("warn", `${this.dropLogsSuppressed} more dropped datagrams were not logged`);
      this.dropLogsSuppressed = 0;
    }
    this.dropLogsLeft = DROP_LOG_BUDGET;
    const wall = this.deps.host.clock.wallMillis();
    if (wall === undefined) {
      // Servers parse stat.time as mandatory (helium/semtech-udp), so wait for a valid clock.
      this.statsDeferred++;
      this.log("debug", "stat postponed: the wall clock is not set yet");
      return;
    }
    const json = statJson(this.interval, wall);
    this.interval = zeroCounters();
    if (this.pushData(json)) this.statsSent++;
  }

  private settlePush(acked: boolean): void {
    this.interval.pushSettled++;
    if (acked) {
      this.interval.pushAcked++;
      this.pushAcked++;
    } else this.pushUnacked++;
  }

  private expirePending(): void {
    const now = this.deps.host.clock.millis();
    while (this.pending.length > 0 && now - this.pending[0].sentAt >= this.settings.pushAckTimeoutMs) {
      this.pending.shift();
      this.settlePush(false);
    }
  }

  // ------------------------------------------------------------------ downstream

  private drop(reason: DropReason, detail: string): void {
    this.dropped[reason]++;
    if (this.dropLogsLeft > 0) {
      this.dropLogsLeft--;
      this.log("warn", `dropped datagram (${reason}): ${detail}`);
    } else this.dropLogsSuppressed++;
  }

  private onPushAck(token: number): void {
    this.expirePending();
    const i = this.pending.findIndex((p) => p.token === token);
    if (i < 0) {
      this.drop("token_mismatch", `PUSH_ACK token ${token} matches no outstanding PUSH_DATA`);
      return;
    }
    this.pending.splice(i, 1);
    this.accepted.pushAck++;
    this.settlePush(true);
  }

  private onPullAck(token: number): void {
    if (token !== this.pullToken) {
      this.drop("token_mismatch", `PULL_ACK token ${token} is not the last PULL_DATA's`);
      return;
    }
    if (this.pullAckedCurrent) {
      this.drop("duplicate_ack", `PULL_ACK token ${token} already received`);
      return;
    }
    this.pullAckedCurrent = true;
    this.accepted.pullAck++;
    this.pullAcked++;
    this.lastPullAckMillis = this.deps.host.clock.millis();
  }

  private onPullResp(token: number, json: Uint8Array): void {
    const r = parsePullRespBody(json);
    if (r.kind === "drop") {
      this.drop(r.reason, r.detail);
      return;
    }
    this.accepted.pullResp++;
    if (r.kind === "gps_time") {
      this.sendTxAck(token, "GPS_UNLOCKED");
      return;
    }
    this.interval.dwnb++;
    const answer = this.schedule(r.packet);
    if (answer) this.sendTxAck(token, answer.code, answer.powerUsedDbm);
  }

  /** Region checks, then the downlink queue. Undefined when the queue misbehaved (no TX_ACK then). */
  private schedule(p: TxPacket): { code: TxAckCode; powerUsedDbm?: number } | undefined {
    const limits = this.deps.txLimits();
    if (p.freqHz < limits.minFreqHz || p.freqHz > limits.maxFreqHz) {
      this.log("info", `downlink on ${p.freqHz} Hz refused: outside ${limits.minFreqHz}..${limits.maxFreqHz} Hz`);
      return { code: "TX_FREQ" };
    }
    const asked = p.powerDbm ?? limits.maxPowerDbm;
    const powerDbm = Math.min(asked, limits.maxPowerDbm);
    let settled = false;
    const request: DownlinkRequest = {
      timing: p.timing,
      freqHz: p.freqHz,
      powerDbm,
      datarate: p.datarate,
      codingRate: p.codingRate,
      invertIq: p.invertIq,
      preamble: p.preamble,
      crc: p.crc,
      payload: p.payload,
      onDone: (emitted: boolean) =>
        this.guard("tx done", () => {
          if (settled) return;
          settled = true;
          if (emitted) {
            this.interval.txnb++;
            this.txEmitted++;
          } else this.txFailed++;
        }),
    };
    const result = this.deps.scheduler.schedule(request);
    if (typeof result !== "object" || result === null || KNOWN_CODES.indexOf(result.code) < 0) {
      this.internalErrors++;
      this.log("error", `downlink queue answered ${String(result?.code)}; no TX_ACK sent`);
      return undefined;
    }
    if (result.code === "TX_POWER") return { code: "TX_POWER", powerUsedDbm: result.powerUsedDbm ?? powerDbm };
    if (result.code === "NONE" && powerDbm !== asked) return { code: "TX_POWER", powerUsedDbm: powerDbm };
    return { code: result.code };
  }

  private sendTxAck(token: number, code: TxAckCode, powerUsedDbm?: number): void {
    this.txAcks[code]++;
    if (code !== "NONE") this.log("info", `downlink answered ${code}${code === "TX_POWER" ? ` (${powerUsedDbm} dBm used)` : ""}`);
    this.send(encodeTxAck(token, this.settings.eui, txAckJson(code, powerUsedDbm)), this.server.portDown);
  }

  // ------------------------------------------------------------------ plumbing

  private drain(): void {
    this.guard("read", () => {
      const socket = this.socket;
      if (!socket) return;
      for (let d = socket.read(); d !== undefined; d = this.socket ? this.socket.read() : undefined) {
        this.receive(new Uint8Array(d), d.address, d.port);
      }
    });
  }

  private guard(what: string, action: () => void): void {
    try {
      action();
    } catch (e) {
      this.internalErrors++;
      this.log("error", `${what} failed: ${String(e)}`);
    }
  }

  private log(level: LogLevel, message: string): void {
    try {
      this.deps.host.log(level, "forwarder", `${this.label} ${message}`);
    } catch {
      // A failing log must not take the forwarder down.
    }
  }
}
