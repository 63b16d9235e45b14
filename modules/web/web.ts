// The web module's entry points: createWebApp() composes the API and the dashboard pages into one
// HTTP handler (usable by any transport), startWebServer() serves it over the host provider's
// ECMA-419 Listener. The app calls bootstrap() at start and prints a returned key once.

import type { Clock, HostProvider, KeyValueStore, Log, TCPFromConstructor } from "../host/provider.js";
import type { HotspotActions } from "./actions.js";
import { Authenticator, type AuthOptions } from "./api/auth.js";
import { ApiKeys, type CreatedKey } from "./api/keys.js";
import { addApiRoutes } from "./api/routes.js";
import type { Sha256 } from "./hash.js";
import type { HttpStats } from "./http/connection.js";
import { Router } from "./http/router.js";
import { HttpServer } from "./http/server.js";
import type { HttpHandler, HttpLimits } from "./http/types.js";
import { addPageRoutes } from "./pages/routes.js";
import type { StatusProvider } from "./status.js";

export interface WebAppDeps {
  status: StatusProvider;
  actions: HotspotActions;
  /** SHA-256 from the compute core (any object with sha256(bytes)). */
  hash: Sha256;
  store: KeyValueStore;
  clock: Clock;
  random(bytes: Uint8Array): void;
  log?: Log;
  auth?: Partial<AuthOptions>;
}

export interface WebApp {
  handler: HttpHandler;
  keys: ApiKeys;
  auth: Authenticator;
  /** First boot: the first admin key, to print once; undefined on later boots. */
  bootstrap(): CreatedKey | undefined;
  /** Lets /api/v1/status include the serving transport's counters. */
  attachHttpStats(stats: () => HttpStats | undefined): void;
}

export function createWebApp(deps: WebAppDeps): WebApp {
  const keys = new ApiKeys({ store: deps.store, hash: deps.hash, random: deps.random, wallMillis: () => deps.clock.wallMillis(), log: deps.log });
  const auth = new Authenticator(keys, deps.hash, deps.clock, deps.auth);
  let httpStats: () => HttpStats | undefined = () => undefined;
  const router = new Router();
  addApiRoutes(router, { status: deps.status, actions: deps.actions, keys, auth, httpStats: () => httpStats() });
  addPageRoutes(router);
  return {
    handler: router.handle,
    keys,
    auth,
    bootstrap: () => keys.bootstrap(),
    attachHttpStats(stats) {
      httpStats = stats;
    },
  };
}

export interface WebServerOptions {
  port: number;
  address?: string;
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
    handler: app.handler,
    timers: provider.timers,
    limits: options.limits,
    log: provider.log,
  });
  app.attachHttpStats(() => server.stats);
  return server;
}
