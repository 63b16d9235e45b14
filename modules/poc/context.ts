// What the beaconer and the witness reporter share: platform pieces, the session, the dedup cache
// and the log, and the gate that says whether PoC may run at all.
import type { Core } from "../core/core.js";
import type { Clock, Log, Timers } from "../host/provider.js";
import type { MessageCache } from "./message-cache.js";
import type { PocLog, PocLogEntry } from "./poc-log.js";
import type { IngestSessionClient } from "./session.js";
import type { PocRegion } from "./types.js";

export interface PocContext {
  core: Core;
  clock: Clock;
  timers: Timers;
  random(bytes: Uint8Array): void;
  gateway: { seed: Uint8Array; publicKeyBin: Uint8Array };
  session: IngestSessionClient;
  /** The dedup cache (15 payloads), which also holds this hotspot's own beacons. */
  cache: MessageCache;
  /** This hotspot's recent beacon payloads, to count echoes of them apart from other duplicates. */
  ownBeacons: MessageCache;
  log: PocLog;
  hostLog?: Log;
  /** Valid region params, or undefined while the region is UNKNOWN or has no params. */
  region(): PocRegion | undefined;
  /** Why PoC may not run now ("disabled", "region unknown"), or undefined when it may. */
  blockedBy(): string | undefined;
}

/** Adds a log entry stamped with both clocks, and mirrors it to the host log. */
export function note(ctx: PocContext, entry: Omit<PocLogEntry, "wallMillis" | "millis">): void {
  ctx.log.add({ wallMillis: ctx.clock.wallMillis(), millis: ctx.clock.millis(), ...entry });
  if (entry.kind === "error") ctx.log.counters.errors++;
  ctx.hostLog?.(entry.kind === "error" ? "warn" : "info", "poc", entry.message);
}

export function shortHex(bytes: Uint8Array, count = 6): string {
  let s = "";
  for (let i = 0; i < Math.min(count, bytes.length); i++) s += bytes[i].toString(16).padStart(2, "0");
  return s;
}
