// The legacy Moddable network modules main.ts uses for the Wi-Fi station, the setup portal's access
// point and captive DNS, and the clock (documentation/network/network.md; typings/wifi.d.ts,
// typings/sntp.d.ts, typings/dns/server.d.ts in the SDK).
declare module "wifi" {
  export type WiFiMessage = "connect" | "gotIP" | "lostIP" | "disconnect";
  export default class WiFi {
    /** Starts joining `ssid`; `code` is -1 with "disconnect" when the password was refused. */
    constructor(options: { ssid: string; password?: string }, callback: (message: WiFiMessage, code?: number) => void);
    close(): void;
    static connect(options?: { ssid: string; password?: string }): void;
    static disconnect(): void;
    /** Becomes an access point (leaves station mode unless `station` is true). */
    static accessPoint(options: { ssid: string; password?: string; channel?: number; hidden?: boolean; max?: number; station?: boolean }): void;
  }
}

declare module "net" {
  const Net: {
    /** "IP" (a string; undefined without a connection) or "MAC" ("A4:D1:8C:DB:C0:20") of the station or access-point interface. */
    get(property: "IP" | "MAC" | "SSID", iface?: "station" | "ap"): string | undefined;
  };
  export default Net;
}

declare module "sntp" {
  export default class SNTP {
    /**
     * Asks `host` for the time. The callback gets 1 with Unix seconds, 2 while retrying, or -1 with
     * the reason on failure; returning a host name from -1 tries that server next.
     */
    constructor(options: { host: string }, callback: (message: number, value?: number | string) => string | void);
    close(): void;
  }
}

declare module "dns/server" {
  export default class DNSServer {
    /** Answers every A query for which the callback (message 1, the name asked for) returns an IPv4 address. */
    constructor(callback: (message: number, value?: string) => string | undefined);
    close(): void;
  }
}
