// A conduit keeps one bidirectional gRPC stream to a service open the way gateway-rs'
// ConduitService does: first attempt after `minMs`, re-established on a timer paced by Reconnect,
// failures retried with backoff, and (once the owner calls markHealthy) a deliberate re-connect
// about every 30 minutes. The owner (router or PoC client) speaks the protocol on top.
import type { TimerHandle, Timers } from "../host/provider.js";
import type { GrpcChannel } from "./channel.js";
import type { GrpcCall } from "./call.js";
import { Reconnect, type BackoffPolicy, CONDUIT_BACKOFF } from "./backoff.js";
import { GrpcStatus, grpcStatusName, type CallStatus } from "./status.js";

export interface ConduitHandlers {
  /** A new stream was opened; the owner sends its first message (register / wait for offer). */
  onOpen(call: GrpcCall): void;
  onMessage(message: Uint8Array): void;
  /** The stream ended (by the server, an error, or a deliberate reconnect). */
  onClose(status: CallStatus): void;
}

export interface ConduitOptions {
  channel: GrpcChannel;
  path: string;
  timers: Timers;
  random: (bytes: Uint8Array) => void;
  policy?: BackoffPolicy;
  /** Delay before the first connect; gateway-rs waits `minMs` (5 s). */
  initialDelayMs?: number;
}

export type ConduitState = "stopped" | "waiting" | "open";

export class Conduit {
  state: ConduitState = "stopped";
  readonly reconnect: Reconnect;
  readonly stats = { opens: 0, failures: 0, messagesIn: 0, messagesOut: 0 };
  lastError: string | undefined;
  /** Milliseconds of the delay last scheduled (for the dashboard and tests). */
  lastDelayMs = 0;
  private current: { call: GrpcCall | undefined; replaced: boolean } | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly options: ConduitOptions,
    private readonly handlers: ConduitHandlers,
  ) {
    this.reconnect = new Reconnect(options.policy ?? CONDUIT_BACKOFF, options.random);
  }

  start(): void {
    if (this.state !== "stopped") return;
    this.state = "waiting";
    this.schedule(this.options.initialDelayMs ?? this.reconnect.policy.minMs);
  }

  stop(): void {
    this.state = "stopped";
    this.options.timers.clear(this.timer);
    this.timer = undefined;
    const entry = this.current;
    this.current = undefined;
    if (entry) entry.replaced = true;
    entry?.call?.cancel("conduit stopped");
  }

  get connected(): boolean {
    return this.state === "open";
  }

  /** Sends a message on the open stream; false when there is none or it is backed up. */
  send(message: Uint8Array): boolean {
    const call = this.current?.call;
    if (!call || call.done) return false;
    const ok = call.write(message);
    if (ok) this.stats.messagesOut++;
    return ok;
  }

  /** The owner's protocol succeeded on this stream (e.g. a session offer was answered). */
  markHealthy(): void {
    this.reconnect.markHealthy();
    this.schedule(this.reconnect.next(false));
  }

  /** Drops the stream now and retries with backoff (e.g. the owner failed to send). */
  disconnect(reason: string): void {
    this.current?.call?.cancel(reason);
  }

  private schedule(ms: number): void {
    this.options.timers.clear(this.timer);
    this.lastDelayMs = ms;
    this.timer = this.options.timers.set(() => this.open(), ms);
  }

  private open(): void {
    this.timer = undefined;
    if (this.state === "stopped") return;
    const previous = this.current;
    if (previous) {
      // A deliberate reconnect: the old stream is reported closed but schedules nothing.
      previous.replaced = true;
      previous.call?.cancel("reconnecting");
    }
    this.stats.opens++;
    const entry: { call: GrpcCall | undefined; replaced: boolean; opened: boolean } = { call: undefined, replaced: false, opened: false };
    this.current = entry;
    entry.call = this.options.channel.startCall(this.options.path, {
      onHeaders: () => {
        if (entry.replaced) return;
        entry.opened = true;
        this.state = "open";
        // gateway-rs: a successful (re)connect schedules the next one without raising the count.
        this.schedule(this.reconnect.next(false));
      },
      onMessage: (m) => {
        if (entry.replaced) return;
        this.stats.messagesIn++;
        this.handlers.onMessage(m);
      },
      onStatus: (status) => {
        if (!entry.replaced) {
          this.current = undefined;
          if (this.state !== "stopped") this.state = "waiting";
          if (status.code !== GrpcStatus.OK || !entry.opened) {
            this.stats.failures++;
            this.lastError = `${grpcStatusName(status.code)}: ${status.details}`;
          }
        }
        this.handlers.onClose(status);
        if (!entry.replaced && this.state !== "stopped") this.schedule(this.reconnect.next(true));
      },
    });
    if (!entry.call.done) this.handlers.onOpen(entry.call);
  }
}
