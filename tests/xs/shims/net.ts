// Moddable's legacy `net` for the XS test host: fixed addresses.
const Net = {
  get(property: "IP" | "MAC" | "SSID", iface?: "station" | "ap"): string | undefined {
    if (property === "MAC") return "24:0A:C4:12:34:56";
    if (property === "IP") return iface === "ap" ? "192.168.4.1" : "192.168.1.50";
    return undefined;
  },
};
export default Net;
