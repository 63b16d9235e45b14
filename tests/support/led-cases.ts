// Cases for the status LED (modules/led/status-led.ts), shared by the Node test
// (tests/status-led.test.ts) and the XS suite (tests/xs/led.xs.ts). Expected codes and blink
// timelines are written out here by hand from the documented patterns.
import { LED_PATTERNS, StatusLed, ledCode, type LedCode, type LedInputs } from "../../modules/led/status-led.js";
import { VirtualTime } from "./virtual-time.js";

class LedCaseFailure extends Error {
  override name = "LedCaseFailure";
}
function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new LedCaseFailure(`${what}: expected ${e}, got ${a}`);
}

const RUNNING: LedInputs = { phase: "running", wifiConnected: true, region: "EU868", radio: "running", router: "session" };

/** A StatusLed on virtual time that records [ms, on] at every change of the output. */
function recorder() {
  const vt = new VirtualTime(0);
  const changes: [number, boolean][] = [];
  let level: boolean | undefined;
  const led = new StatusLed((on) => {
    if (on !== level) changes.push([vt.clock.millis(), on]);
    level = on;
  }, vt.timers);
  return { vt, led, changes };
}

export const LED_CASES: { name: string; run(): void }[] = [
  {
    name: "ledCode: the most basic problem wins (setup, Wi-Fi, still starting, region, radio, router)",
    run() {
      const rows: [Partial<LedInputs>, LedCode][] = [
        [{ phase: "boot", wifiConnected: undefined, region: "UNKNOWN" }, "boot"],
        [{ phase: "boot", wifiConnected: true, region: "UNKNOWN" }, "boot"], // waiting for the time
        [{ phase: "boot", wifiConnected: false, region: "UNKNOWN" }, "no-wifi"],
        [{ phase: "setup", wifiConnected: false }, "setup"],
        [{ wifiConnected: false, region: "UNKNOWN", radio: "failed", router: "connecting" }, "no-wifi"],
        [{ region: "UNKNOWN", radio: "off", router: "connecting" }, "no-region"],
        [{ radio: "failed", router: "connecting" }, "radio-fault"],
        [{ router: "connecting" }, "router-down"],
        [{ router: "registered" }, "router-down"],
        [{ router: "stopped" }, "router-down"],
        [{ router: "session" }, "ok"],
        [{ router: "off" }, "ok"], // forwarder-only mode has no router
        [{}, "ok"],
      ];
      for (const [change, expected] of rows) same(ledCode({ ...RUNNING, ...change }), expected, JSON.stringify(change));
    },
  },
  {
    name: "patterns: on/off pairs of positive durations, all different; the counted codes repeat every 3 s",
    run() {
      const seen = new Set<string>();
      for (const [code, pattern] of Object.entries(LED_PATTERNS)) {
        same(pattern.length % 2, 0, `${code}: on/off pairs`);
        same(pattern.every((ms) => Number.isInteger(ms) && ms > 0), true, `${code}: positive whole ms`);
        seen.add(pattern.join(","));
      }
      same(seen.size, Object.keys(LED_PATTERNS).length, "distinct patterns");
      const blinks: [LedCode, number][] = [["no-wifi", 2], ["no-region", 3], ["router-down", 4], ["radio-fault", 5]];
      for (const [code, count] of blinks) {
        same(LED_PATTERNS[code].length, 2 * count, `${code}: ${count} blinks`);
        same(LED_PATTERNS[code].reduce((a, b) => a + b, 0), 3000, `${code}: cycle`);
      }
    },
  },
  {
    name: "StatusLed plays no-wifi as two blinks every 3 s",
    run() {
      const { vt, led, changes } = recorder();
      led.show("no-wifi");
      vt.advance(6000);
      same(changes, [[0, true], [200, false], [500, true], [700, false], [3000, true], [3200, false], [3500, true], [3700, false], [6000, true]], "timeline");
    },
  },
  {
    name: "StatusLed: showing the same code again does not restart it; a new code starts at once; stop turns it off for good",
    run() {
      const { vt, led, changes } = recorder();
      led.show("ok");
      vt.advance(1000);
      led.show("ok");
      vt.advance(2100);
      same(changes, [[0, true], [50, false], [3000, true], [3050, false]], "ok heartbeat undisturbed");
      changes.length = 0;
      led.show("boot");
      vt.advance(250);
      same(led.code, "boot", "code");
      same(changes, [[3100, true], [3200, false], [3300, true]], "boot starts at once");
      led.stop();
      vt.advance(5000);
      same(changes, [[3100, true], [3200, false], [3300, true], [3350, false]], "off after stop, nothing after");
      same(led.code, undefined, "no code after stop");
    },
  },
];
