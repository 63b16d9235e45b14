// Globals of the XS test host (tests/xs/host/host.c) that only the XS suites use.

/** Writes the values separated by spaces and a newline to stdout. */
declare function print(...values: unknown[]): void;

/** The host's event-loop hooks, wrapped by tests/xs/shims/timer.ts. */
declare const __xshost: {
  /** Monotonic microseconds. */
  micros(): number;
  /** Calls onWake() once after `ms` milliseconds; a negative value cancels. */
  wake(ms: number): void;
  onWake?: () => void;
};

/** Seeds the key-value shim (tests/xs/shims/embedded/storage/key-value.ts): {path: {key: hex}}. */
declare var __kvSeed: Record<string, Record<string, string>> | undefined;

/** How the stand-ins for Moddable's modules behave (tests/xs/shims): set before main.js is imported. */
declare var __shimSettings:
  | {
      /** "refuse": the Wi-Fi network refuses the password. */
      wifi?: "ok" | "refuse";
      /** "fail": no SNTP server answers. */
      sntp?: "ok" | "fail";
      /** Input levels by GPIO number (the button is active low). */
      pins?: Record<number, 0 | 1>;
      /** What `Net.resolve` answers for names (tests/xs/shims/net.ts); any other name does not resolve. */
      names?: Record<string, string>;
    }
  | undefined;
