// The ECMA-419 Listener over node:net for the simulator's host provider (io.Listener); NodeTCP
// (tcp.ts) adopts the connections it hands over.
//
// As narrow as the Moddable SDK's ESP32 listener (modules/io/socket/lwip/tcp.c, xs_listener_*, and
// listener.js in the SDK): options `port` and `onReadable(connections waiting)`; `address` is refused
// (the device binds every interface; this one binds loopback, where the simulator lives); `onError`
// is never called (the device has no error callback: `// hasOnError`); callbacks never fire inside a
// constructor; read() hands over one waiting connection or returns undefined. Accepted connections
// wait paused (lwip listenerReceive refuses data until adoption), at most BACKLOG_LIMIT of them.

import net from "node:net";
import type { Listener, ListenerOptions, TCPFrom } from "../../modules/host/provider.js";
import { refuseBindAddress } from "./sdk-rules.js";

export class NodeListener implements Listener {
  /** Accepted connections waiting for read(); beyond this they are closed at once. */
  static readonly BACKLOG_LIMIT = 16;

  /** Connections closed because the backlog was full. */
  droppedConnections = 0;

  readonly #server: net.Server;
  readonly #pending: net.Socket[] = [];
  readonly #listening: Promise<number>;
  #closed = false;

  constructor(options: ListenerOptions) {
    refuseBindAddress("Listener", options);
    const server = net.createServer({ pauseOnConnect: true, noDelay: true });
    this.#server = server;
    server.on("connection", (socket) => {
      if (this.#closed || this.#pending.length >= NodeListener.BACKLOG_LIMIT) {
        this.droppedConnections++;
        socket.destroy();
        return;
      }
      socket.on("error", () => {}); // reported once adopted; until then a reset just drops it
      this.#pending.push(socket);
      options.onReadable?.call(this, this.#pending.length);
    });
    server.on("error", () => {}); // the device throws from its constructor instead; here listening() rejects
    this.#listening = new Promise((resolve, reject) => {
      server.once("listening", () => resolve((server.address() as net.AddressInfo).port));
      server.once("error", reject);
    });
    this.#listening.catch(() => {}); // for whoever awaits listening()
    server.listen(options.port, "127.0.0.1");
  }

  /** The bound port (0 until listening: await listening() when binding port 0). */
  get port(): number {
    const address = this.#server.address();
    return address !== null && typeof address === "object" ? address.port : 0;
  }

  /** Resolves with the bound port (not part of ECMA-419; for tests and the simulator's banner). */
  listening(): Promise<number> {
    return this.#listening;
  }

  read(): TCPFrom | undefined {
    if (this.#closed) throw new Error("Listener: closed");
    let socket = this.#pending.shift();
    while (socket !== undefined && socket.destroyed) socket = this.#pending.shift(); // reset while waiting
    return socket === undefined ? undefined : { accepted: socket };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const socket of this.#pending.splice(0)) socket.destroy();
    this.#server.close();
  }
}
