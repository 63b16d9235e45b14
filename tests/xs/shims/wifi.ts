// Moddable's legacy `wifi` for the XS test host: joining (the constructor, or WiFi.connect for the
// open monitors) succeeds ("connect", then "gotIP") 10 ms later, or is refused like a wrong
// password when __shimSettings.wifi is "refuse".
import Timer from "./timer.js";
import { report, settings } from "./report.js";
import { runtimeState } from "./runtime-state.js";

export type WiFiMessage = "connect" | "gotIP" | "lostIP" | "disconnect";

type Callback = (message: WiFiMessage, code?: number) => void;
const monitors = () => runtimeState("wifi", () => new Set<Callback>());

function join(callback: Callback): void {
  Timer.set(() => {
    if (!monitors().has(callback)) return;
    if (settings().wifi === "refuse") return callback("disconnect", -1);
    callback("connect");
    callback("gotIP");
  }, 10);
}

export default class WiFi {
  readonly #callback: Callback;
  constructor(options: { ssid: string; password?: string }, callback: Callback) {
    report("wifi.station", { ssid: options.ssid, password: options.password ?? null });
    this.#callback = callback;
    monitors().add(callback);
    join(callback);
  }
  close(): void {
    monitors().delete(this.#callback);
  }
  static connect(options?: { ssid: string; password?: string }): void {
    report("wifi.connect", { ssid: options?.ssid ?? null });
    for (const callback of monitors()) join(callback);
  }
  static disconnect(): void {
    report("wifi.disconnect", {});
  }
  static accessPoint(options: { ssid: string; password?: string; channel?: number; hidden?: boolean; max?: number; station?: boolean }): void {
    report("wifi.accessPoint", { ...options });
  }
}
