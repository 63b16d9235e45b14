// Moddable's `sntp` for the XS test host: answers 10 ms later with the host's time, or fails on
// every server when __shimSettings.sntp is "fail" (trying the host name the callback returns next).
import Timer from "./timer.js";
import { report, settings } from "./report.js";

export default class SNTP {
  #closed = false;
  constructor(options: { host: string }, callback: (message: number, value?: number | string) => string | void) {
    const ask = (host: string) => {
      report("sntp", { host });
      Timer.set(() => {
        if (this.#closed) return;
        if (settings().sntp !== "fail") return void callback(1, Math.floor(Date.now() / 1000));
        const next = callback(-1, "no answer");
        if (typeof next === "string") ask(next);
      }, 10);
    };
    ask(options.host);
  }
  close(): void {
    this.#closed = true;
  }
}
