// The status LED's codes and blink patterns on the XS engine (the Node test's cases).
import { test } from "./harness.js";
import { LED_CASES } from "../support/led-cases.js";

for (const c of LED_CASES) test(c.name, () => c.run());
