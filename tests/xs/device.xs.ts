// The device helpers behind main.ts on the XS engine: the button's long press (virtual time), and
// the Wi-Fi station's rejoin back-off over the test host's `wifi` stand-in.
import { test } from "./harness.js";
import { equal } from "./assert.js";
import Timer from "./shims/timer.js";
import { Button } from "../../device/button.js";
import { WifiStation } from "../../device/network.js";
import type { Digital, DigitalConstructor, DigitalOptions, LogLevel } from "../../modules/host/provider.js";
import { VirtualTime } from "../support/virtual-time.js";

let buttonLevel: 0 | 1 = 1;
class FakeButtonPin implements Digital {
  constructor(readonly options: DigitalOptions) {}
  read(): 0 | 1 {
    return buttonLevel;
  }
  write(): void {}
  close(): void {}
}

test("button: a long press fires once per press, after 5 s held; shorter presses do nothing", () => {
  const vt = new VirtualTime(0);
  const button = new Button(FakeButtonPin as DigitalConstructor, 0, vt.timers);
  let presses = 0;
  buttonLevel = 1;
  button.watch(5000, () => presses++);
  vt.advance(1000);
  buttonLevel = 0; // pressed (active low)
  equal(button.pressed, true);
  vt.advance(4950);
  equal(presses, 0, "not yet at 4.95 s");
  vt.advance(100);
  equal(presses, 1, "at 5 s");
  vt.advance(10_000);
  equal(presses, 1, "held on: still one");
  buttonLevel = 1;
  vt.advance(200);
  buttonLevel = 0;
  vt.advance(3000);
  buttonLevel = 1;
  vt.advance(5000);
  equal(presses, 1, "a 3 s press is not long");
  buttonLevel = 0;
  vt.advance(5100);
  equal(presses, 2, "the next long press");
});

test("Wi-Fi: a refused password is retried after 5 s, 10 s, 20 s...; a success reports connected and resets the back-off", async () => {
  globalThis.__shimSettings = { wifi: "refuse" };
  const vt = new VirtualTime(0);
  const logged: string[] = [];
  const changes: boolean[] = [];
  const realTime = () => new Promise<void>((resolve) => Timer.set(() => resolve(), 30));
  const station = new WifiStation("lab", "hunter2hunter2", vt.timers, (level: LogLevel, _source, message) => void logged.push(`${level} ${message}`), (c) => changes.push(c));
  try {
    await realTime();
    equal(station.connected, false);
    equal(logged.at(-1), 'warn "lab" refused the password; trying again in 5 s');
    vt.advance(5000);
    await realTime();
    equal(logged.at(-1), 'warn "lab" refused the password; trying again in 10 s');
    vt.advance(10_000);
    await realTime();
    equal(logged.at(-1), 'warn "lab" refused the password; trying again in 20 s');
    globalThis.__shimSettings = { wifi: "ok" };
    vt.advance(20_000);
    await realTime();
    equal(station.connected, true);
    equal(logged.at(-1), 'info connected to "lab" as 192.168.1.50');
    equal(changes.join(), "true");
  } finally {
    station.close();
    globalThis.__shimSettings = undefined;
  }
});
