// The web module's entry points: createWebApp() composes the API and the dashboard pages into one
// HTTP handler (usable by any transport), startWebServer() serves it over the host provider's
// ECMA-419 Listener. At boot the app calls openEnrolment() and shows a returned code on its console.

import type { Clock, HostProvider, KeyValueStore, Log, TCPFromConstructor } from "../host/provider.js";
import type { HotspotActions } from "./actions.js";
import { Authenticator, type AuthOptions } from "./api/auth.js";
import { Enrolment } from "./api/enrolment.js";
import { ApiKeys } from "./api/keys.js";
import { addApiRoutes } from "./api/routes.js";
import type { ApiCrypto } from "./crypto.js";
import type { HttpStats } from "./http/connection.js";
import { Router } from "./http/router.js";
import { HttpServer } from "./http/server.js";
import type { HttpHandler, HttpLimits } from "./http/types.js";
import { addPageRoutes } from "./pages/routes.js";
import type { StatusProvider } from "./status.js";

export interface WebAppDeps {
  status: StatusProvider;
  actions: HotspotActions;
  /** SHA-256 and Ed25519 verification from the compute core (the Core interface has both). */
  crypto: ApiCrypto;
  store: KeyValueStore;
  clock: Clock;
  random(bytes: Uint8Array): void;
  log?: Log;
  auth?: Partial<AuthOptions>;
  /** Read-only data built into the firmware; "core.wasm" lets browsers on plain http sign (HostProvider.resource). */
  resource?(name: string): ArrayBuffer | Uint8Array | undefined;
}

export interface WebApp {
  handler: HttpHandler;
  keys: ApiKeys;
  auth: Authenticator;
  /**
   * At boot: while no admin key is usable, makes the one-time enrolment code (valid 10 minutes) and
   * returns it for the console; undefined when an admin key exists. The code is kept only hashed.
   */
  openEnrolment(): string | undefined;
  /** Factory reset: every key and token goes, with their rate and replay state. */
  clearKeys(): void;
  /** Lets /api/v1/status and /metrics include the serving transport's counters. */
  attachHttpStats(stats: () => HttpStats | undefined): void;
}

export function createWebApp(deps: WebAppDeps): WebApp {
  const keys = new ApiKeys({ store: deps.store, crypto: deps.crypto, random: deps.random, wallMillis: () => deps.clock.wallMillis(), log: deps.log });
  const enrolment = new Enrolment(deps.crypto);
  const auth = new Authenticator(keys, deps.crypto, deps.clock, enrolment, deps.auth);
  let httpStats: () => HttpStats | undefined = () => undefined;
  const router = new Router();
  addApiRoutes(router, { status: deps.status, actions: deps.actions, keys, auth, enrolment, millis: () => deps.clock.millis(), httpStats: () => httpStats() });
  addPageRoutes(router, { coreWasm: () => deps.resource?.("core.wasm") });
  return {
    handler: router.handle,
    keys,
    auth,
    openEnrolment() {
      if (keys.hasUsableAdmin()) {
        enrolment.close();
        return undefined;
      }
      return enrolment.open(deps.random, deps.clock.millis());
    },
    clearKeys() {
      keys.clear();
      auth.clear();
      enrolment.close();
    },
    attachHttpStats(stats) {
      httpStats = stats;
    },
  };
}

export interface WebServerOptions {
  port: number;
  address?: string;
  acceptPeer?(remoteAddress: string | undefined): boolean;
  limits?: Partial<HttpLimits>;
}

/** Serves the app over io.Listener; accepted sockets are adopted by io.AcceptedTCP (or io.TCP on ECMA-419 hosts). */
export function startWebServer(provider: HostProvider, app: WebApp, options: WebServerOptions): HttpServer {
  const { Listener } = provider.io;
  if (Listener === undefined) throw new Error("the host provider has no Listener: the dashboard cannot be served");
  const TCP = provider.io.AcceptedTCP ?? (provider.io.TCP as unknown as TCPFromConstructor);
  const server = new HttpServer({
    Listener,
    TCP,
    port: options.port,
    address: options.address,
    acceptPeer: options.acceptPeer,
    handler: app.handler,
    timers: provider.timers,
    limits: options.limits,
    log: provider.log,
  });
  app.attachHttpStats(() => server.stats);
  return server;
}
