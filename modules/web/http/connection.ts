// One HTTP/1.1 connection: pulls bytes from a transport into the bounded parser, runs the handler
// for one request at a time (pipelined requests wait in the parser's buffer), writes the response,
// then keeps the connection alive or closes it. Transport-neutral: server.ts adapts ECMA-419 TCP
// to ByteTransport; tests drive it with an in-memory transport.

import type { Timers, TimerHandle } from "../../host/provider.js";
import { RequestParser } from "./parser.js";
import { errorResponse, serializeResponse } from "./response.js";
import type { HttpHandler, HttpLimits, HttpRequest, HttpResponse } from "./types.js";

export interface ByteTransport {
  /** Up to `max` bytes that have arrived, or undefined when none are waiting. */
  read(max: number): Uint8Array | undefined;
  /** Queues bytes for sending; `sent` runs once the transport has taken all of them. */
  write(bytes: Uint8Array, sent: () => void): void;
  close(): void;
  readonly remoteAddress?: string;
}

/** Counters shared by all connections of a server (shown on the dashboard). */
export interface HttpStats {
  connectionsAccepted: number;
  /** Times a new connection had to wait for a slot. */
  connectionsQueued: number;
  /** Idle keep-alive connections closed to make room. */
  connectionsEvicted: number;
  requests: number;
  /** Requests refused by the parser (400, 411, 413, 414, 431, 501, 505). */
  malformed: number;
  timeouts: number;
  handlerErrors: number;
  /** Responses by status class: index 2 = 2xx ... 5 = 5xx. */
  responsesByClass: number[];
}

export function newHttpStats(): HttpStats {
  return {
    connectionsAccepted: 0,
    connectionsQueued: 0,
    connectionsEvicted: 0,
    requests: 0,
    malformed: 0,
    timeouts: 0,
    handlerErrors: 0,
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
  /** Told once the connection has closed, for whatever reason. */
  onClose?(connection: HttpConnection): void;
}

type State = "reading" | "handling" | "writing" | "closed";

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

  constructor(transport: ByteTransport, context: ConnectionContext) {
    this.#transport = transport;
    this.#context = context;
    this.#parser = new RequestParser(context.limits);
    this.#arm("idle");
  }

  /** True between requests: nothing buffered and nothing being answered (safe to evict). */
  get idle(): boolean {
    return this.#state === "reading" && this.#parser.buffered === 0;
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
    if (this.#state === "reading") this.#pump();
  }

  /** The peer went away or the transport failed. */
  lost(): void {
    this.#finish(false);
  }

  close(): void {
    this.#finish(true);
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

  #pumpLoop(): void {
    while (this.#state === "reading") {
      const room = this.#parser.room;
      const bytes = room > 0 ? this.#transport.read(room) : undefined;
      if (bytes !== undefined && bytes.length > 0) this.#parser.push(bytes);
      if (this.#parser.buffered > 0 && this.#timerKind !== "request") this.#arm("request");
      const outcome = this.#parser.next();
      if (outcome.kind === "incomplete") {
        if (bytes === undefined || bytes.length === 0) return;
        continue;
      }
      if (outcome.kind === "error") {
        this.#context.stats.malformed++;
        this.#parser.reset();
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
        (response) => current() && this.#respond(response, keepAlive, head),
        (error) => current() && this.#failed(error, request, keepAlive, head),
      );
    } else {
      this.#respond(result, keepAlive, head);
    }
  }

  #failed(error: unknown, request: HttpRequest, keepAlive: boolean, head: boolean): void {
    this.#context.stats.handlerErrors++;
    this.#context.onHandlerError?.(error, request);
    this.#respond(errorResponse(500, "internal_error", "the request failed inside the hotspot"), keepAlive, head);
  }

  #respond(response: HttpResponse, keepAlive: boolean, head: boolean): void {
    if (this.#state === "closed") return;
    const stats = this.#context.stats;
    const cls = Math.floor(response.status / 100);
    if (cls >= 1 && cls <= 5) stats.responsesByClass[cls]++;
    let bytes: Uint8Array;
    try {
      bytes = serializeResponse(response, keepAlive, head);
    } catch {
      stats.handlerErrors++;
      bytes = serializeResponse(errorResponse(500, "internal_error", "the response could not be encoded"), false);
      keepAlive = false;
    }
    this.#state = "writing";
    this.#arm("request"); // a peer that never reads must not hold the slot forever
    this.#transport.write(bytes, () => {
      if (this.#state !== "writing") return;
      if (response.afterSend) {
        try {
          response.afterSend();
        } catch {
          stats.handlerErrors++;
        }
      }
      if (!keepAlive) {
        this.#finish(true);
        return;
      }
      this.#state = "reading";
      this.#arm(this.#parser.buffered > 0 ? "request" : "idle");
      this.#pump(); // continues pipelined requests (or returns at once inside a running pump)
    });
  }

  #arm(kind: "idle" | "request"): void {
    this.#disarm();
    const limits = this.#context.limits;
    this.#timerKind = kind;
    this.#timer = this.#context.timers.set(
      () => this.#timedOut(),
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
    this.#finish(true);
  }

  #finish(closeTransport: boolean): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#disarm();
    this.#parser.reset();
    if (closeTransport) {
      try {
        this.#transport.close();
      } catch {
        // already gone
      }
    }
    this.#context.onClose?.(this);
  }
}
