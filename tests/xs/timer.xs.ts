// The test host's Moddable-style Timer (tests/xs/shims/timer.ts over the host's wake-up).
import { test } from "./harness.js";
import { equal, ok } from "./assert.js";
import Timer from "./shims/timer.js";

test("one-shot timers fire once, in deadline order, after their delay", async () => {
  const start = __xshost.micros();
  const order: string[] = [];
  await new Promise<void>((resolve) => {
    Timer.set(() => order.push("b"), 20);
    Timer.set(() => order.push("a"), 5);
    Timer.set(() => resolve(), 30);
  });
  equal(order.join(""), "ab");
  ok(__xshost.micros() - start >= 30_000, "waited at least 30 ms");
});

test("repeating timers repeat until cleared; cleared timers never fire", async () => {
  let ticks = 0;
  const never = Timer.set(() => (ticks = -100), 5);
  Timer.clear(never);
  await new Promise<void>((resolve) => {
    Timer.repeat((t) => {
      if (++ticks === 3) {
        Timer.clear(t);
        Timer.set(() => resolve(), 20);
      }
    }, 2);
  });
  equal(ticks, 3);
});
