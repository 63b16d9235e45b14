// embedded:io/socket/tcp for the XS test host, as narrow as the SDK's ESP32 module
// (modules/io/socket/lwip/tcp.js and tcp.c; the rules in sim/host/sdk-rules.ts): an outgoing
// connection takes an IPv4 `address` (a `host` is refused loudly: the SDK ignores it) and, there being
// no network, fails on a later turn through onError(); a connection a listener accepted (`{from}`) is
// adopted on the in-memory network. read() takes no count and returns every byte waiting.
import type { MemoryNetwork } from "../../../../../support/socket-memory.js";
import { checkTcpConnectOptions, refuseReadCount } from "../../../../../../sim/host/sdk-rules.js";
import { memoryNetwork } from "../../../memory-network.js";
import Timer from "../../../timer.js";

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
    const self = this;
    if ("from" in options) {
      this.#adopted = new (memoryNetwork().TCP)({
        from: options.from as { accepted: unknown },
        onReadable: (n) => options.onReadable?.call(self, n),
        onWritable: (n) => options.onWritable?.call(self, n),
        onError: () => options.onError?.call(self),
      });
    } else {
      checkTcpConnectOptions(options);
      Timer.set(() => options.onError?.call(self), 0); // lwip tcpConnect with an error: kTCPError
    }
  }
  read(count?: unknown): ArrayBuffer | undefined {
    refuseReadCount(count);
    return this.#adopted?.read();
  }
  write(buffer: ArrayBuffer | Uint8Array | DataView): void {
    if (this.#adopted === undefined) throw new Error("not ready");
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
