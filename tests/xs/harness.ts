// The XS suites' test runner, inside the engine: suites register tests with test(); runSuites()
// imports each suite, runs its tests in order (awaiting async ones, each with a time limit), prints
// "ok - name" or "not ok - name: error" per test and finally the line "N passed, N failed" that
// tools/xs-host.ts requires. artifact() hands what a suite produced (signed, encoded bytes) to the
// Node side, which checks it with independent implementations (tests/support/xs-artifacts.ts).
import Timer from "./shims/timer.js";

type TestFunction = () => void | Promise<void>;
interface Registered {
  name: string;
  fn: TestFunction;
}

let registered: Registered[] = [];

export function test(name: string, fn: TestFunction): void {
  registered.push({ name, fn });
}

/** Prints one artifact line: "artifact <kind> <JSON>". */
export function artifact(kind: string, fields: Record<string, string | number | boolean>): void {
  print(`artifact ${kind} ${JSON.stringify(fields)}`);
}

function withTimeLimit(result: void | Promise<void>, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = Timer.set(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
    Promise.resolve(result).then(
      () => (Timer.clear(timer), resolve()),
      (error: unknown) => (Timer.clear(timer), reject(error)),
    );
  });
}

/** `suites` are module specifiers relative to this file; each test gets `timeLimitMs`. */
export async function runSuites(suites: string[], timeLimitMs = 10_000): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const suite of suites) {
    registered = [];
    try {
      await import(suite);
    } catch (error) {
      failed++;
      print(`not ok - ${suite}: the suite did not load: ${String(error)}`);
      continue;
    }
    for (const { name, fn } of registered) {
      try {
        await withTimeLimit(fn(), timeLimitMs);
        passed++;
        print(`ok - ${suite}: ${name}`);
      } catch (error) {
        failed++;
        print(`not ok - ${suite}: ${name}: ${String(error)}`);
      }
    }
  }
  print(`${passed} passed, ${failed} failed`);
}
