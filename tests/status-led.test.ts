// The status LED's codes and blink patterns (the cases run on the XS engine too).
import { test } from "node:test";
import { LED_CASES } from "./support/led-cases.js";

for (const c of LED_CASES) test(c.name, () => c.run());
