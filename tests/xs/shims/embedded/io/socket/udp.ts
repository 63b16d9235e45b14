// embedded:io/socket/udp for the XS test host: no network; nothing arrives, sending fails.
export interface UDPOptions {
  address?: string;
  port?: number;
  onReadable?(this: UDP, packets: number): void;
  onError?(this: UDP): void;
}

export default class UDP {
  constructor(readonly options: UDPOptions) {}
  read(): (ArrayBuffer & { address: string; port: number }) | undefined {
    return undefined;
  }
  write(_buffer: ArrayBuffer | Uint8Array | DataView, _address: string, _port: number): void {
    throw new Error("udp: the XS test host has no network");
  }
  close(): void {}
}
