// ECMA-419 IO classes as the Moddable SDK implements them (embedded:io/*). Constructors take one
// options object; buffers are ArrayBuffer or 1-byte views.
declare module "embedded:io/spi" {
  export interface SPIOptions {
    clock: number;
    in?: number;
    out?: number;
    select?: number;
    active?: 0 | 1;
    hz: number;
    mode?: 0 | 1 | 2 | 3;
    port?: number;
  }
  export default class SPI {
    constructor(options: SPIOptions);
    transfer(buffer: ArrayBuffer | Uint8Array): void;
    write(buffer: ArrayBuffer | Uint8Array | DataView): void;
    read(buffer: ArrayBuffer | Uint8Array): void;
    flush(deselect?: boolean): void;
    close(): void;
  }
}

declare module "embedded:io/i2c" {
  export interface I2COptions {
    data: number;
    clock: number;
    hz: number;
    address: number;
    port?: number;
  }
  /** A NACK or bus error throws ("write failed" / "read failed" on the ESP32). */
  export default class I2C {
    constructor(options: I2COptions);
    read(byteLength: number, stop?: boolean): ArrayBuffer;
    write(buffer: ArrayBuffer | Uint8Array | DataView, stop?: boolean): void;
    close(): void;
  }
}

declare module "embedded:io/digital" {
  export interface DigitalOptions {
    pin: number;
    mode: number;
    edge?: number;
    onReadable?(this: Digital): void;
  }
  export default class Digital {
    static readonly Input: number;
    static readonly InputPullUp: number;
    static readonly InputPullDown: number;
    static readonly InputPullUpDown: number;
    static readonly Output: number;
    static readonly OutputOpenDrain: number;
    static readonly Rising: number;
    static readonly Falling: number;
    constructor(options: DigitalOptions);
    read(): 0 | 1;
    write(value: 0 | 1): void;
    close(): void;
  }
}

declare module "embedded:io/socket/tcp" {
  export interface TCPCallbacks {
    nodelay?: boolean;
    onReadable?(this: TCP, count: number): void;
    onWritable?(this: TCP, count: number): void;
    onError?(this: TCP): void;
  }
  /** A connection to make, or (`from`) one a Listener accepted. */
  export type TCPOptions = ({ address?: string; host?: string; port: number } | { from: unknown }) & TCPCallbacks;
  export default class TCP {
    constructor(options: TCPOptions);
    read(count?: number): ArrayBuffer | undefined;
    write(buffer: ArrayBuffer | Uint8Array | DataView): void;
    close(): void;
    readonly remoteAddress?: string;
    readonly remotePort?: number;
  }
}

declare module "embedded:io/socket/udp" {
  export interface UDPOptions {
    address?: string;
    port?: number;
    onReadable?(this: UDP, packets: number): void;
    onError?(this: UDP): void;
  }
  export default class UDP {
    constructor(options: UDPOptions);
    read(): (ArrayBuffer & { address: string; port: number }) | undefined;
    write(buffer: ArrayBuffer | Uint8Array | DataView, address: string, port: number): void;
    close(): void;
  }
}

declare module "embedded:io/socket/listener" {
  export interface ListenerOptions {
    address?: string;
    port: number;
    onReadable?(this: Listener, count: number): void;
    onError?(this: Listener): void;
  }
  export default class Listener {
    constructor(options: ListenerOptions);
    /** An accepted connection, adopted with `new TCP({from})`. */
    read(): object | undefined;
    close(): void;
    readonly port: number;
  }
}
