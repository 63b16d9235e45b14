// An X display for the Moddable SDK's simulator, mcsim (a GTK application): the user's $DISPLAY, or
// a private Xvfb for headless runs.
import { spawn } from "node:child_process";

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
