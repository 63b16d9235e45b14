// The firmware's HTTP server on a free loopback port, over the simulator's node:net Listener and
// adopted sockets (sim/host/listener.ts), with real timers: for tests that speak real HTTP to it.
import type { HttpServerOptions } from "../../modules/web/http/server.js";
import { HttpServer } from "../../modules/web/http/server.js";
import type { HttpHandler } from "../../modules/web/http/types.js";
import { NodeListener } from "../../sim/host/listener.js";
import { NodeTCP } from "../../sim/host/tcp.js";
import { realTimers } from "../../sim/host/real-time.js";

export async function serveOnLoopback(handler: HttpHandler, options: Partial<Omit<HttpServerOptions, "Listener" | "port" | "handler">> = {}): Promise<{ server: HttpServer; port: number; url: string }> {
  let listener: NodeListener | undefined;
  const server = new HttpServer({
    Listener: class extends NodeListener {
      constructor(o: ConstructorParameters<typeof NodeListener>[0]) {
        super(o);
        listener = this;
      }
    },
    TCP: NodeTCP,
    port: 0,
    handler,
    timers: realTimers(),
    ...options,
  });
  const port = await listener!.listening();
  return { server, port, url: `http://127.0.0.1:${port}` };
}
