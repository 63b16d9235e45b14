// The config on the host's key-value store, kept so a power cut never leaves a half-written one:
// the new config goes to the slot not in use, and only then does the pointer switch to it.
import type { Core } from "../core/core.js";
import type { KeyValueStore } from "../host/provider.js";
import { utf8Decode, utf8Encode } from "../util/bytes.js";
import { checkConfig, type HotspotConfig } from "./config.js";

// Key names fit the ESP32 NVS limit of 15 characters.
const ACTIVE = "cfg.active";
const SLOTS = Object.freeze({ a: "cfg.a", b: "cfg.b" } as const);

export type LoadedConfig = { found: true; config: HotspotConfig } | { found: false; problem?: string };

export class ConfigStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly core: Core,
  ) {}

  /** The stored config, checked again (a config from an older firmware may not pass any more). */
  load(): LoadedConfig {
    const slot = this.#active();
    if (slot === undefined) return { found: false };
    const bytes = this.store.read(SLOTS[slot]);
    if (bytes === undefined) return { found: false, problem: `config slot ${slot} is missing` };
    let json: unknown;
    try {
      json = JSON.parse(utf8Decode(bytes));
    } catch {
      return { found: false, problem: `config slot ${slot} is not JSON` };
    }
    const checked = checkConfig(this.core, json);
    if (!checked.ok) return { found: false, problem: `stored config refused: ${checked.errors.map((e) => `${e.field} ${e.reason}`).join("; ")}` };
    return { found: true, config: checked.config };
  }

  /** Writes the new config to the free slot, then switches to it. */
  save(config: HotspotConfig): void {
    const next = this.#active() === "a" ? "b" : "a";
    this.store.write(SLOTS[next], utf8Encode(JSON.stringify(config)));
    this.store.write(ACTIVE, utf8Encode(next));
  }

  /** Factory reset. */
  erase(): void {
    this.store.delete(ACTIVE);
    this.store.delete(SLOTS.a);
    this.store.delete(SLOTS.b);
  }

  #active(): "a" | "b" | undefined {
    const v = this.store.read(ACTIVE);
    const name = v === undefined ? undefined : utf8Decode(v);
    return name === "a" || name === "b" ? name : undefined;
  }
}
