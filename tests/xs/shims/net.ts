// Moddable's legacy `net` for the XS test host: fixed addresses; resolve answers later, as the
// device does, with the address for an IPv4 literal and undefined for a name (no network here).
import Timer from "timer";

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const Net = {
  get(property: "IP" | "MAC" | "SSID", iface?: "station" | "ap"): string | undefined {
    if (property === "MAC") return "24:0A:C4:12:34:56";
    if (property === "IP") return iface === "ap" ? "192.168.4.1" : "192.168.1.50";
    return undefined;
  },
  resolve(name: string, callback: (name: string, address?: string) => void): void {
    Timer.set(() => callback(name, IPV4.test(name) ? name : undefined), 0);
  },
};
export default Net;
