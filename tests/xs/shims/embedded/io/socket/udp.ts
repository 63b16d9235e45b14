// embedded:io/socket/udp for the XS test host, as narrow as the SDK's ESP32 module
// (modules/io/socket/lwip/udp.js and udp.c; the rules in sim/host/sdk-rules.ts): options `port` and
// `onReadable`; `address` is refused (the SDK binds every interface); `onError` is never called (the
// SDK does not read it). There is no network: nothing arrives, and a send to a valid IPv4 address
// throws as a failed udp_sendto does ("UDP send failed").
import { checkUdpDestination, refuseBindAddress } from "../../../../../../sim/host/sdk-rules.js";

export interface UDPOptions {
  address?: string;
  port?: number;
  onReadable?(this: UDP, packets: number): void;
  onError?(this: UDP): void;
}

export default class UDP {
  constructor(options: UDPOptions) {
    refuseBindAddress("UDP", options);
  }
  read(): (ArrayBuffer & { address: string; port: number }) | undefined {
    return undefined;
  }
  write(_buffer: ArrayBuffer | Uint8Array | DataView, address: string, _port: number): void {
    checkUdpDestination(address);
    throw new Error("UDP send failed (the XS test host has no network)");
  }
  close(): void {}
}
