// The status LED: what the hotspot is doing, as one blink code a maker can read without a serial
// console. ledCode() picks the code from the hotspot's state (the most basic problem wins);
// StatusLed plays a code's pattern on any output over the host's timers. Platform-neutral: main.ts
// drives the board's LED pin with it.
import type { TimerHandle, Timers } from "../host/provider.js";
import { deepFreeze } from "../util/freeze.js";

export type LedCode = "boot" | "setup" | "no-wifi" | "no-region" | "radio-fault" | "router-down" | "ok";

/**
 * Each code's pattern: alternating on and off durations in milliseconds, starting with "on", played
 * in a loop. The counted codes (2 to 5 blinks) repeat every 3 s so they can be counted.
 */
export const LED_PATTERNS: Readonly<Record<LedCode, readonly number[]>> = deepFreeze({
  boot: [100, 100],
  setup: [1000, 1000],
  "no-wifi": [200, 300, 200, 2300],
  "no-region": [200, 300, 200, 300, 200, 1800],
  "router-down": [200, 300, 200, 300, 200, 300, 200, 1300],
  "radio-fault": [200, 300, 200, 300, 200, 300, 200, 300, 200, 800],
  ok: [50, 2950],
});

/** What each code means, for the README and the serial log. */
export const LED_MEANINGS: Readonly<Record<LedCode, string>> = Object.freeze({
  boot: "starting: joining Wi-Fi, waiting for the time (SNTP), starting the hotspot",
  setup: "setup portal: join the hotspot's Wi-Fi network and open http://192.168.4.1/",
  "no-wifi": "the Wi-Fi network is out of reach or refused the password",
  "no-region": "no region: neither the config service nor a fallback region in the config names one, so the radio stays off",
  "radio-fault": "the radio failed (see the serial console or the dashboard)",
  "router-down": "no session with the packet router: uplinks wait in a queue",
  ok: "running: radio on, packet router session up (or forwarder-only mode)",
});

export interface LedInputs {
  /** "boot" until the hotspot is started; "setup" while the access-point portal runs. */
  phase: "boot" | "setup" | "running";
  /** undefined while the first attempt to join the network is under way. */
  wifiConnected: boolean | undefined;
  /** The active region's name; "UNKNOWN" when there is none. */
  region: string;
  /** modules/app RadioPart state. */
  radio: "off" | "running" | "failed";
  /** PacketRouterClient state, or "off" when the hotspot runs without the router (forwarder only). */
  router: string;
}

/** The code for the most basic problem: the setup portal, then Wi-Fi, still starting, region, radio, router. */
export function ledCode(s: LedInputs): LedCode {
  if (s.phase === "setup") return "setup";
  if (s.wifiConnected === false) return "no-wifi";
  if (s.phase === "boot" || s.wifiConnected === undefined) return "boot";
  if (s.region === "UNKNOWN") return "no-region";
  if (s.radio === "failed") return "radio-fault";
  if (s.router !== "off" && s.router !== "session") return "router-down";
  return "ok";
}

/** Plays blink codes on an output (`write(true)` = LED on). */
export class StatusLed {
  readonly #write: (on: boolean) => void;
  readonly #timers: Timers;
  #code: LedCode | undefined;
  #timer: TimerHandle | undefined;

  constructor(write: (on: boolean) => void, timers: Timers) {
    this.#write = write;
    this.#timers = timers;
  }

  get code(): LedCode | undefined {
    return this.#code;
  }

  /** Starts playing `code` from its beginning, unless it is already playing. */
  show(code: LedCode): void {
    if (code === this.#code) return;
    this.#timers.clear(this.#timer);
    this.#code = code;
    this.#step(LED_PATTERNS[code], 0);
  }

  /** Stops and turns the LED off. */
  stop(): void {
    this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#code = undefined;
    this.#write(false);
  }

  #step(pattern: readonly number[], index: number): void {
    this.#write(index % 2 === 0);
    this.#timer = this.#timers.set(() => this.#step(pattern, (index + 1) % pattern.length), pattern[index]);
  }
}
