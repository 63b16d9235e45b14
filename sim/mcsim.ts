// Running the Moddable SDK's simulator, mcsim (a GTK application that loads a firmware's mc.so): an
// X display for it (the user's $DISPLAY, or a private Xvfb for headless runs) and its process.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

/** An X display for mcsim (a GTK application): the user's, or a private Xvfb. */
export interface Display {
  name: string;
  close(): void;
}

/**
 * Starts Xvfb on a free display number (-displayfd), listening on no network (-nolisten tcp), and
 * ending by itself when its last client (mcsim) has gone (-terminate).
 */
export function startXvfb(): Promise<Display> {
  return new Promise((resolve, reject) => {
    const child = spawn("Xvfb", ["-displayfd", "3", "-nolisten", "tcp", "-terminate", "-screen", "0", "800x600x24"], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
    let number = "";
    let errors = "";
    child.on("error", (e) => reject(new Error(`cannot start Xvfb (apt-get install xvfb): ${e.message}`)));
    child.stderr!.on("data", (d: Buffer) => (errors += d.toString()));
    child.on("exit", (code) => reject(new Error(`Xvfb exited (${code}) before it named its display:\n${errors.slice(-500)}`)));
    child.stdio[3]!.on("data", (d: Buffer) => {
      number += d.toString();
      if (number.includes("\n")) resolve({ name: `:${number.trim()}`, close: () => void child.kill() });
    });
  });
}

/**
 * Starts mcsim with a firmware library. `dir` holds mcsim's own settings: it copies the library into
 * $XDG_CONFIG_HOME/tech.moddable.mcsim/ before loading it, so each running firmware gets its own.
 * `settings` become the firmware's HOTSPOT_SIM_<name> environment (targets/sim/native/environment.c).
 * Each line the firmware traces goes to `onLine`.
 */
export function spawnMcsim(o: { mcsim: string; library: string; display: string; dir: string; settings: Record<string, string>; onLine(line: string): void }): ChildProcess {
  mkdirSync(join(o.dir, "mcsim"), { recursive: true });
  const settings = Object.fromEntries(Object.entries(o.settings).map(([name, value]) => [`HOTSPOT_SIM_${name}`, value]));
  const child = spawn(o.mcsim, [o.library], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DISPLAY: o.display,
      XDG_CONFIG_HOME: join(o.dir, "mcsim"),
      // No session bus: each mcsim is its own GtkApplication, never handed over to another instance.
      DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/hotspot-sim-bus",
      NO_AT_BRIDGE: "1",
      ...settings,
    },
  });
  let pending = "";
  child.stdout!.on("data", (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) o.onLine(line);
  });
  return child;
}
