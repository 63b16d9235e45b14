// Test-only: an in-memory gRPC "network" for the service clients (packet router, PoC ingest): a
// channel with the GrpcChannel calls the clients use (startCall, unary) whose calls reach scripted
// server streams in the same process. No sockets, no HTTP/2: messages are whole byte arrays,
// delivered through the timers (so a reply never re-enters the code that sent the request).
// Platform-neutral: the XS suites use it on the XS engine.
import type { Timers } from "../../modules/host/provider.js";
import type { CallHandlers, GrpcCall } from "../../modules/grpc/call.js";
import type { GrpcChannel } from "../../modules/grpc/channel.js";
import { GrpcStatus, type CallStatus } from "../../modules/grpc/status.js";

/** The server's end of one call. */
export class MemoryServerStream {
  /** Messages from the client, in order. */
  readonly received: Uint8Array[] = [];
  /** Called for each client message (after it is added to `received`). */
  onMessage: ((message: Uint8Array) => void) | undefined;
  /** The client half-closed its side. */
  halfClosed = false;
  /** Set once the call is over, by either side. */
  status: CallStatus | undefined;
  #call: MemoryCall;

  constructor(
    readonly path: string,
    call: MemoryCall,
  ) {
    this.#call = call;
  }

  /** Response headers: the call is established. */
  sendHeaders(): void {
    this.#call.deliver((h) => h.onHeaders?.([[":status", "200"], ["content-type", "application/grpc"]]));
  }

  send(message: Uint8Array): void {
    const copy = message.slice();
    this.#call.deliver((h) => h.onMessage?.(copy));
  }

  /** Ends the call with a status (trailers). */
  close(code: number = GrpcStatus.OK, details = ""): void {
    this.#call.deliver(() => this.#call.finish({ code, details, trailers: [] }));
  }
}

class MemoryCall {
  status: CallStatus | undefined;
  readonly server: MemoryServerStream;

  constructor(
    readonly path: string,
    private readonly handlers: CallHandlers,
    private readonly timers: Timers,
  ) {
    this.server = new MemoryServerStream(path, this);
  }

  get done(): boolean {
    return this.status !== undefined;
  }

  write(message: Uint8Array): boolean {
    if (this.done || this.server.halfClosed) return false;
    const copy = message.slice();
    this.timers.set(() => {
      if (this.done) return;
      this.server.received.push(copy);
      this.server.onMessage?.(copy);
    }, 0);
    return true;
  }

  end(): void {
    this.server.halfClosed = true;
  }

  cancel(details = "cancelled by the client"): void {
    this.finish({ code: GrpcStatus.CANCELLED, details, trailers: [] });
  }

  fail(code: number, details: string): void {
    this.finish({ code, details, trailers: [] });
  }

  /** Runs a server action on the client side later, unless the call has ended meanwhile. */
  deliver(action: (handlers: CallHandlers) => void): void {
    this.timers.set(() => {
      if (!this.done) action(this.handlers);
    }, 0);
  }

  finish(status: CallStatus): void {
    if (this.done) return;
    this.status = status;
    this.server.status = status;
    this.handlers.onStatus?.(status);
  }
}

export type MemoryService = (stream: MemoryServerStream) => void;

/** A channel whose calls are answered by the services registered with `serve`. */
export class MemoryGrpcChannel {
  readonly streams: MemoryServerStream[] = [];
  readonly #services = new Map<string, MemoryService>();
  readonly #timers: Timers;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  /** Registers the server side of `path`: called with each new call's server stream. */
  serve(path: string, service: MemoryService): void {
    this.#services.set(path, service);
  }

  /** The same object typed as the GrpcChannel the clients take (they use only startCall). */
  get channel(): GrpcChannel {
    return this as unknown as GrpcChannel;
  }

  startCall(path: string, handlers: CallHandlers): GrpcCall {
    const call = new MemoryCall(path, handlers, this.#timers);
    const service = this.#services.get(path);
    if (service === undefined) {
      call.deliver(() => call.finish({ code: GrpcStatus.UNIMPLEMENTED, details: `no service at ${path}`, trailers: [] }));
    } else {
      this.streams.push(call.server);
      this.#timers.set(() => service(call.server), 0);
    }
    return call as unknown as GrpcCall;
  }
}
