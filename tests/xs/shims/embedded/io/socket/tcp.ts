// embedded:io/socket/tcp for the XS test host: no network; a socket that never connects.
export interface TCPOptions {
  address?: string;
  host?: string;
  port: number;
  nodelay?: boolean;
  onReadable?(this: TCP, count: number): void;
  onWritable?(this: TCP, count: number): void;
  onError?(this: TCP): void;
}

export default class TCP {
  constructor(readonly options: TCPOptions) {}
  read(_count?: number): ArrayBuffer | undefined {
    return undefined;
  }
  write(_buffer: ArrayBuffer | Uint8Array | DataView): void {
    throw new Error("tcp: not connected (the XS test host has no network)");
  }
  close(): void {}
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}
