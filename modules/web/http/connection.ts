// One HTTP/1.1 connection: pulls bytes from a transport into the bounded parser, runs the handler
// for one request at a time (pipelined requests wait in the parser's buffer), writes the response,
// then keeps the connection alive or closes it. Transport-neutral: server.ts adapts ECMA-419 TCP
// to ByteTransport; tests drive it with an in-memory transport.

import type { Timers, TimerHandle } from "../../host/provider.js";
import { RequestParser } from "./parser.js";
import { errorResponse, serializeHead, serializeResponse } from "./response.js";
import type { HttpHandler, HttpLimits, HttpRequest, HttpResponse } from "./types.js";

export interface ByteTransport {
  /**
   * Bytes that have arrived, or undefined when none are waiting. `max` is what the connection can
   * take now; a transport may hand over more (the connection keeps the surplus for later).
   */
  read(max: number): Uint8Array | undefined;
  /** Queues bytes for sending; `sent` runs once the transport has taken all of them. */
  write(bytes: Uint8Array, sent: () => void): void;
  close(): void;
  readonly remoteAddress?: string;
}

/** Counters shared by all connections of a server (shown on the dashboard). */
export interface HttpStats {
  connectionsAccepted: number;
  /** Connections from a peer the server does not serve (HttpServerOptions.acceptPeer), closed at once. */
  connectionsRefused: number;
  /** Times a new connection had to wait for a slot. */
  connectionsQueued: number;
  /** Idle keep-alive connections closed to make room. */
  connectionsEvicted: number;
  requests: number;
  /** Requests refused by the parser (400, 411, 413, 414, 431, 501, 505). */
  malformed: number;
  timeouts: number;
  handlerErrors: number;
  /** Exceptions caught in socket and timer callbacks; each closed its connection. */
  internalErrors: number;
  /** The latest of those, in words (null until one happens). */
  lastInternalError: string | null;
  /** Responses by status class: index 2 = 2xx ... 5 = 5xx. */
  responsesByClass: number[];
}

export function newHttpStats(): HttpStats {
  return {
    connectionsAccepted: 0,
    connectionsRefused: 0,
    connectionsQueued: 0,
    connectionsEvicted: 0,
    requests: 0,
    malformed: 0,
    timeouts: 0,
    handlerErrors: 0,
    internalErrors: 0,
    lastInternalError: null,
    responsesByClass: [0, 0, 0, 0, 0, 0],
  };
}

export interface ConnectionContext {
  handler: HttpHandler;
  limits: HttpLimits;
  timers: Timers;
  stats: HttpStats;
  /** Told when a handler throws (the client gets a 500 without the detail). */
  onHandlerError?(error: unknown, request: HttpRequest): void;
  /** Told when a callback of this connection threw (the connection was closed). */
  onInternalError?(error: unknown): void;
  /** Told once the connection has closed, for whatever reason. */
  onClose?(connection: HttpConnection): void;
}

type State = "reading" | "handling" | "writing" | "closed";

/** Binary bodies above this are written after the head instead of being copied behind it. */
const LARGE_BODY_BYTES = 4096;

/** An exception as one line for the dashboard (never the stack: it could be long). */
export function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "an unprintable exception";
  }
}

/**
 * Every entry point (transport events, timers, promise continuations, write completions) runs
 * guarded: an exception closes this connection, is counted and reported, and never reaches the
 * event loop.
 */
export class HttpConnection {
  readonly #transport: ByteTransport;
  readonly #context: ConnectionContext;
  readonly #parser: RequestParser;
  #state: State = "reading";
  #served = 0;
  #timer: TimerHandle | undefined;
  #timerKind: "idle" | "request" | undefined;
  /** Identifies the request being handled, so a late handler result cannot answer a newer one. */
  #token = 0;
  /** Set while #pump runs: a synchronous `sent` then lets the loop continue instead of recursing. */
  #pumping = false;
  /** Bytes the transport handed over beyond what the parser could take at the time. */
  #surplus: Uint8Array | undefined;

  constructor(transport: ByteTransport, context: ConnectionContext) {
    this.#transport = transport;
    this.#context = context;
    this.#parser = new RequestParser(context.limits);
    this.#arm("idle");
  }

  /** True between requests: nothing buffered and nothing being answered (safe to evict). */
  get idle(): boolean {
    return this.#state === "reading" && this.#parser.buffered === 0 && this.#surplus === undefined;
  }

  /** Requests this connection has started serving. */
  get served(): number {
    return this.#served;
  }

  get closed(): boolean {
    return this.#state === "closed";
  }

  /** The transport has bytes for us. */
  readable(): void {
    this.#guard(() => {
      if (this.#state === "reading") this.#pump();
    });
  }

  /**
   * The peer went away or the transport failed. The socket is closed all the same: the SDK keeps a
   * TCP instance and everything its callbacks reach alive until close() (lwip/tcp.c and lin/tcp.c
   * xsRemember, released only in doClose), so one left open is a leak per disconnected client.
   */
  lost(): void {
    this.#guard(() => this.#finish());
  }

  close(): void {
    this.#guard(() => this.#finish());
  }

  /** Runs `step`; an exception closes the connection and is counted, never rethrown. */
  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      const stats = this.#context.stats;
      stats.internalErrors++;
      stats.lastInternalError = describeError(error);
      try {
        this.#context.onInternalError?.(error);
      } catch {
        // the report failed too; the count stands
      }
      this.#finish();
    }
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      this.#pumpLoop();
    } finally {
      this.#pumping = false;
    }
  }

  /** The next bytes for the parser, at most `room`: the surplus first, then the transport. */
  #take(room: number): Uint8Array | undefined {
    if (room <= 0) return undefined;
    let bytes = this.#surplus ?? this.#transport.read(room);
    this.#surplus = undefined;
    if (bytes !== undefined && bytes.length > room) {
      this.#surplus = bytes.subarray(room);
      bytes = bytes.subarray(0, room);
    }
    return bytes !== undefined && bytes.length > 0 ? bytes : undefined;
  }

  #pumpLoop(): void {
    while (this.#state === "reading") {
      const bytes = this.#take(this.#parser.room);
      if (bytes !== undefined) this.#parser.push(bytes);
      if (this.#parser.buffered > 0 && this.#timerKind !== "request") this.#arm("request");
      const outcome = this.#parser.next();
      if (outcome.kind === "incomplete") {
        if (bytes === undefined) return;
        continue;
      }
      if (outcome.kind === "error") {
        this.#context.stats.malformed++;
        this.#parser.reset();
        this.#surplus = undefined;
        this.#respond(errorResponse(outcome.status, "bad_request", outcome.reason), false, false);
        return;
      }
      const { request, keepAlive } = outcome;
      request.remoteAddress = this.#transport.remoteAddress;
      this.#served++;
      this.#context.stats.requests++;
      this.#handle(request, keepAlive && this.#served < this.#context.limits.maxRequestsPerConnection);
    }
  }

  #handle(request: HttpRequest, keepAlive: boolean): void {
    this.#state = "handling";
    this.#arm("request"); // a handler that never answers gets a 503 and the slot back
    const token = ++this.#token;
    const head = request.method === "HEAD";
    let result: HttpResponse | Promise<HttpResponse>;
    try {
      result = this.#context.handler(request);
    } catch (error) {
      this.#failed(error, request, keepAlive, head);
      return;
    }
    if (result instanceof Promise) {
      const current = () => token === this.#token && this.#state === "handling";
      result.then(
        (response) => this.#guard(() => void (current() && this.#respond(response, keepAlive, head))),
        (error) => this.#guard(() => void (current() && this.#failed(error, request, keepAlive, head))),
      );
    } else {
      this.#respond(result, keepAlive, head);
    }
  }

  #failed(error: unknown, request: HttpRequest, keepAlive: boolean, head: boolean): void {
    this.#context.stats.handlerErrors++;
    try {
      this.#context.onHandlerError?.(error, request);
    } catch {
      // reporting must not stop the answer
    }
    this.#respond(errorResponse(500, "internal_error", "the request failed inside the hotspot"), keepAlive, head);
  }

  #respond(response: HttpResponse, keepAlive: boolean, head: boolean): void {
    if (this.#state === "closed") return;
    const stats = this.#context.stats;
    let bytes: Uint8Array;
    let large: Uint8Array | undefined;
    try {
      // A large binary body (the core's wasm, from flash on the device) is written as it is, not copied.
      if (!head && response.body instanceof Uint8Array && response.body.length > LARGE_BODY_BYTES) {
        large = response.body;
        bytes = serializeHead(response, large.length, keepAlive);
      } else bytes = serializeResponse(response, keepAlive, head);
    } catch {
      large = undefined;
      stats.handlerErrors++;
      response = errorResponse(500, "internal_error", "the response could not be encoded");
      bytes = serializeResponse(response, false);
      keepAlive = false;
    }
    const cls = Math.floor(response.status / 100);
    if (cls >= 1 && cls <= 5) stats.responsesByClass[cls]++;
    this.#state = "writing";
    this.#arm("request"); // a peer that never reads must not hold the slot forever
    const sent = () => this.#guard(() => this.#sent(response, keepAlive));
    if (large === undefined) this.#transport.write(bytes, sent);
    else {
      this.#transport.write(bytes, () => {});
      this.#transport.write(large, sent);
    }
  }

  /** The transport took the whole response. */
  #sent(response: HttpResponse, keepAlive: boolean): void {
    if (this.#state !== "writing") return;
    if (response.afterSend) {
      try {
        response.afterSend();
      } catch {
        this.#context.stats.handlerErrors++;
      }
    }
    if (!keepAlive) {
      this.#finish();
      return;
    }
    this.#state = "reading";
    this.#arm(this.#parser.buffered > 0 || this.#surplus !== undefined ? "request" : "idle");
    this.#pump(); // continues pipelined requests (or returns at once inside a running pump)
  }

  #arm(kind: "idle" | "request"): void {
    this.#disarm();
    const limits = this.#context.limits;
    this.#timerKind = kind;
    this.#timer = this.#context.timers.set(
      () => this.#guard(() => this.#timedOut()),
      kind === "idle" ? limits.idleTimeoutMs : limits.requestTimeoutMs,
    );
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#context.timers.clear(this.#timer);
    this.#timer = undefined;
    this.#timerKind = undefined;
  }

  #timedOut(): void {
    this.#timer = undefined;
    if (this.#state === "reading" && this.#timerKind === "request") {
      this.#context.stats.timeouts++;
      this.#parser.reset();
      this.#surplus = undefined;
      this.#respond(errorResponse(408, "timeout", "the request did not arrive in time"), false, false);
      return;
    }
    if (this.#state === "handling") {
      this.#context.stats.timeouts++;
      this.#token++;
      this.#respond(errorResponse(503, "timeout", "the hotspot did not answer in time"), false, false);
      return;
    }
    if (this.#state === "writing" || this.#timerKind === "request") this.#context.stats.timeouts++;
    this.#finish();
  }

  /** Closes for good; never throws (it is what the guard falls back on). */
  #finish(): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#surplus = undefined;
    try {
      this.#disarm();
    } catch {
      this.#timer = undefined;
    }
    this.#parser.reset();
    try {
      this.#transport.close();
    } catch {
      // already gone
    }
    try {
      this.#context.onClose?.(this);
    } catch (error) {
      this.#context.stats.internalErrors++;
      this.#context.stats.lastInternalError = describeError(error);
    }
  }
}
