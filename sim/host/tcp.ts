// The host provider's ECMA-419 TCP class on Node: wraps node:net so platform-neutral modules (the
// gRPC client) run unchanged in the simulator and tests.
import net from "node:net";
import type { BufferSource, TCP, TCPOptions } from "../../modules/host/provider.js";

function toUint8(buffer: BufferSource): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Node's socket in the ECMA-419 shape: data is pulled with read() after onReadable. */
export class NodeTCP implements TCP {
  private readonly socket: net.Socket;
  private readonly chunks: Buffer[] = [];
  private available = 0;
  private closed = false;

  constructor(options: TCPOptions) {
    const host = options.address ?? options.host ?? "127.0.0.1";
    this.socket = net.connect({ host, port: options.port, noDelay: options.nodelay ?? true });
    const self = this;
    this.socket.on("connect", () => {
      options.onConnect?.call(self);
      options.onWritable?.call(self, self.socket.writableHighWaterMark);
    });
    this.socket.on("data", (data: Buffer) => {
      this.chunks.push(data);
      this.available += data.length;
      options.onReadable?.call(self, this.available);
    });
    this.socket.on("drain", () => options.onWritable?.call(self, self.socket.writableHighWaterMark));
    // ECMA-419 reports both failures and the peer's close through onError.
    let reported = false;
    const report = (error: Error) => {
      if (reported || this.closed) return;
      reported = true;
      options.onError?.call(self, error);
    };
    this.socket.on("error", (e) => report(e));
    this.socket.on("end", () => report(new Error("connection closed by peer")));
    this.socket.on("close", () => report(new Error("connection closed")));
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  read(byteLength?: number): ArrayBuffer | undefined {
    if (this.available === 0) return undefined;
    const n = Math.min(byteLength ?? this.available, this.available);
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const head = this.chunks[0];
      const k = Math.min(head.length, n - o);
      out.set(head.subarray(0, k), o);
      o += k;
      if (k === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(k);
    }
    this.available -= n;
    return out.buffer;
  }

  write(buffer: BufferSource): void {
    if (this.closed || this.socket.destroyed) throw new Error("socket is closed");
    this.socket.write(toUint8(buffer));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Let queued bytes (a GOAWAY) go out, then release the socket.
    this.socket.end(() => this.socket.destroy());
    this.socket.setTimeout(1000, () => this.socket.destroy());
  }
}
