// Moddable's legacy `net` for the XS test host: fixed addresses, and `Net.resolve` as the SDK has it
// (modules/network/net/net.js; the ESP32's is modules/network/net/esp/modResolve.c): the callback
// gets the name and its IPv4 address, or undefined when it does not resolve, always on a later turn
// (resolvedImmediate is posted even for an address). Answers: an IPv4 address resolves to itself,
// "localhost" to 127.0.0.1, and names from __shimSettings.names.
import { isIpv4Address } from "../../../modules/host/address.js";
import Timer from "./timer.js";

const Net = {
  get(property: "IP" | "MAC" | "SSID", iface?: "station" | "ap"): string | undefined {
    if (property === "MAC") return "24:0A:C4:12:34:56";
    if (property === "IP") return iface === "ap" ? "192.168.4.1" : "192.168.1.50";
    return undefined;
  },
  resolve(host: string, callback: (name: string, address: string | undefined) => void): void {
    const name = String(host);
    const table: Record<string, string> = { localhost: "127.0.0.1", ...globalThis.__shimSettings?.names };
    const address = isIpv4Address(name) ? name : Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    Timer.set(() => callback.call(globalThis, name, address), 0);
  },
};
export default Net;
