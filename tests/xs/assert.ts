// Assertions for the XS suites (no node:assert on XS). Each throws an AssertionError with a message
// that says what differed.
import { toHex } from "../../modules/util/bytes.js";

export class AssertionError extends Error {
  override name = "AssertionError";
}

export function ok(value: unknown, message = "expected a truthy value"): void {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected))
    throw new AssertionError(`${message ? message + ": " : ""}expected ${String(expected)}, got ${String(actual)}`);
}

export function equalBytes(actual: Uint8Array, expected: Uint8Array, message?: string): void {
  const a = toHex(actual);
  const e = toHex(expected);
  if (a !== e) throw new AssertionError(`${message ? message + ": " : ""}expected ${e}, got ${a}`);
}

/** Runs `fn` and checks that it throws an error whose `String(error)` matches `pattern`. */
export function throws(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (error) {
    if (!pattern.test(String(error))) throw new AssertionError(`expected an error matching ${pattern}, got ${String(error)}`);
    return;
  }
  throw new AssertionError(`expected an error matching ${pattern}, nothing was thrown`);
}
