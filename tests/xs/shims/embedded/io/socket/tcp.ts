// embedded:io/socket/tcp for the XS test host: outbound connections never connect (no network);
// a connection a listener accepted (`{from}`) is adopted on the in-memory network.
import type { MemoryNetwork } from "../../../../../support/socket-memory.js";
import { memoryNetwork } from "../../../memory-network.js";

export interface TCPCallbacks {
  nodelay?: boolean;
  onReadable?(this: TCP, count: number): void;
  onWritable?(this: TCP, count: number): void;
  onError?(this: TCP): void;
}
export type TCPOptions = ({ address?: string; host?: string; port: number } | { from: unknown }) & TCPCallbacks;

export default class TCP {
  readonly #adopted: InstanceType<MemoryNetwork["TCP"]> | undefined;
  constructor(options: TCPOptions) {
    if ("from" in options) {
      const self = this;
      this.#adopted = new (memoryNetwork().TCP)({
        from: options.from as { accepted: unknown },
        onReadable: (n) => options.onReadable?.call(self, n),
        onWritable: (n) => options.onWritable?.call(self, n),
        onError: () => options.onError?.call(self),
      });
    }
  }
  read(count?: number): ArrayBuffer | undefined {
    return this.#adopted?.read(count);
  }
  write(buffer: ArrayBuffer | Uint8Array | DataView): void {
    if (this.#adopted === undefined) throw new Error("tcp: not connected (the XS test host has no network)");
    this.#adopted.write(buffer);
  }
  close(): void {
    this.#adopted?.close();
  }
  get remoteAddress(): string | undefined {
    return this.#adopted?.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.#adopted?.remotePort;
  }
}
