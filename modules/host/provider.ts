// The host provider: everything platform-specific that the firmware receives.
//
// The IO part follows ECMA-419 (the `device` host provider): classes constructed with an options
// object, callbacks named `onReadable` / `onWritable` / `onError`, binary data as ArrayBuffer or
// Uint8Array. What ECMA-419 lacks (clocks, timers, storage, randomness, logging) is added beside it.
// main.ts builds this from Moddable modules; sim/ builds it from the chip model and Node sockets.

/** A byte buffer as ECMA-419 IO accepts it. */
export type BufferSource = ArrayBuffer | Uint8Array | DataView;

// ---------------------------------------------------------------- ECMA-419 IO classes

export interface SPIOptions {
  clock?: number;
  in?: number;
  out?: number;
  select?: number;
  active?: 0 | 1;
  hz: number;
  mode?: 0 | 1 | 2 | 3;
  port?: number;
}
/** ECMA-419 SPI: `transfer` is full duplex and in place. */
export interface SPI {
  transfer(buffer: Uint8Array): void;
  write(buffer: BufferSource): void;
  read(buffer: Uint8Array): void;
  flush(deselect?: boolean): void;
  close(): void;
}
export type SPIConstructor = new (options: SPIOptions) => SPI;

export interface I2COptions {
  data: number;
  clock: number;
  hz: number;
  /** 7-bit device address. */
  address: number;
  port?: number;
}
/**
 * ECMA-419 I2C: one device at one address. Each call is one bus transaction; a NACK or bus error
 * throws. `stop: false` asks for a repeated start, which not every host honours (Moddable's ESP32
 * I2C ends every transaction with STOP), so drivers should not depend on it.
 */
export interface I2C {
  read(byteLength: number, stop?: boolean): ArrayBuffer;
  write(buffer: BufferSource, stop?: boolean): void;
  close(): void;
}
export type I2CConstructor = new (options: I2COptions) => I2C;

export const DigitalMode = Object.freeze({
  Input: 0,
  InputPullUp: 1,
  InputPullDown: 2,
  InputPullUpDown: 3,
  Output: 8,
  OutputOpenDrain: 9,
} as const);
export const DigitalEdge = Object.freeze({ Rising: 1, Falling: 2 } as const);

export interface DigitalOptions {
  pin: number;
  mode: number;
  edge?: number;
  initialValue?: 0 | 1;
  /** Called on an edge; `timestampMicros` is the host clock at the edge when the host can stamp it. */
  onReadable?(this: Digital, timestampMicros?: number): void;
}
export interface Digital {
  read(): 0 | 1;
  write(value: 0 | 1): void;
  close(): void;
}
export type DigitalConstructor = new (options: DigitalOptions) => Digital;

// The socket classes below are as narrow as the Moddable SDK's ESP32 (lwIP) sockets, which the
// device uses: modules/io/socket/lwip/{tcp,udp}.c and tcp.js, listener.js in the SDK's source.

export interface TCPOptions {
  /**
   * An IPv4 address (lwip xs_tcp_constructor: ipaddr_aton, else "invalid address"). Names are
   * resolved first with HostProvider.dns.
   */
  address: string;
  /** Not an option: the SDK's TCP never reads `host` (xs_tcp_constructor reads `address` only). */
  host?: never;
  port: number;
  nodelay?: boolean;
  /** `bytesAvailable`: every byte waiting, all of which the next read() returns. */
  onReadable?(this: TCP, bytesAvailable: number): void;
  /** Once connected, then whenever the send buffer frees (lwip tcpSent); `bytesWritable` is its free space. */
  onWritable?(this: TCP, bytesWritable: number): void;
  /**
   * A failure or the peer's close, called with no argument (lwip tcpDeliver: xsCallFunction0) and
   * only after every received byte has been read. Writes throw from then on.
   */
  onError?(this: TCP): void;
  /** Called once the connection is established (ECMA-419 signals this with the first onWritable). */
  onConnect?(this: TCP): void;
}
export interface TCP {
  /**
   * Every byte waiting, or undefined when none are: the SDK's read() takes no count (lwip tcp.js
   * `read()` calls the native xs_tcp_read with no argument, which then reads all that is available).
   */
  read(): ArrayBuffer | undefined;
  /**
   * Throws "not ready" before the connection is established and after onError, and "would block"
   * when given more bytes than the last onWritable allowed (lwip xs_tcp_write).
   */
  write(buffer: BufferSource): void;
  close(): void;
  /**
   * The peer's IPv4 address as text and its port (lwip xs_tcp_get_remoteAddress / remotePort). Read
   * them while the connection is healthy: after a failure the device has freed the pcb they come from.
   */
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}
export type TCPConstructor = new (options: TCPOptions) => TCP;

/**
 * Adopting a connection a Listener accepted: ECMA-419's `new TCP({from: listener.read(), ...})`.
 * `onWritable(n)` fires once the adopted socket can take bytes and whenever send-buffer space frees,
 * with the free space; `write` throws when given more than the socket can buffer (lwip's "would
 * block"); the peer's close arrives through `onError` after every received byte has been read.
 */
export interface TCPFromOptions {
  from: TCPFrom;
  nodelay?: boolean;
  onReadable?(this: TCP, bytesAvailable: number): void;
  onWritable?(this: TCP, bytesWritable: number): void;
  onError?(this: TCP): void;
}
export type TCPFromConstructor = new (options: TCPFromOptions) => TCP;

/** A UDP datagram as ECMA-419 returns it from `read()`. */
export type Datagram = ArrayBuffer & { address: string; port: number };
export interface UDPOptions {
  /** Not an option: the SDK's UDP binds every interface (lwip xs_udp_constructor: udp_bind(IP_ADDR_ANY, port)). */
  address?: never;
  /** The local port; any free one when absent. */
  port?: number;
  onReadable?(this: UDP, packets: number): void;
  /** Never called: the SDK's UDP does not read onError (xs_udp_constructor); write() throws instead. */
  onError?(this: UDP): void;
}
export interface UDP {
  /** One datagram, or undefined when none is waiting. */
  read(): Datagram | undefined;
  /**
   * Sends one datagram to an IPv4 address (a name throws RangeError "invalid IP address": lwip
   * xs_udp_write, resolveIP); a failed send throws.
   */
  write(buffer: BufferSource, address: string, port: number): void;
  close(): void;
}
export type UDPConstructor = new (options: UDPOptions) => UDP;

export interface ListenerOptions {
  /** Not an option: the ESP32 listener binds every interface (`//@@ address` in lwip xs_listener_constructor). */
  address?: never;
  port: number;
  onReadable?(this: Listener, connections: number): void;
  /** Never called: the ESP32 listener has no error callback (`// hasOnError` in xs_listener_constructor); a failed bind throws. */
  onError?(this: Listener): void;
}
/** ECMA-419 Listener: `read()` hands over an accepted connection, later adopted with `new TCP({from})`. */
export interface Listener {
  read(): TCPFrom | undefined;
  close(): void;
  readonly port: number;
}
export type TCPFrom = { readonly accepted: unknown };
export type ListenerConstructor = new (options: ListenerOptions) => Listener;

/** Name resolution: TCP and UDP take IP addresses only (as the Moddable SDK's sockets do), so names are resolved first. */
export interface Resolver {
  /** Resolves `host` (a name or an IPv4 address) to an IPv4 address; later calls exactly one of the callbacks, never synchronously. */
  resolve(host: string, onResolved: (address: string) => void, onError: (error: Error) => void): void;
}

export interface IO {
  SPI?: SPIConstructor;
  Digital?: DigitalConstructor;
  /** Boards with a power-management chip on I2C (the T-Beam's radio rail). */
  I2C?: I2CConstructor;
  TCP: TCPConstructor;
  UDP: UDPConstructor;
  Listener?: ListenerConstructor;
  /** The class that adopts a Listener's connections (on ECMA-419 hosts the TCP class itself, which takes `{from}`). */
  AcceptedTCP?: TCPFromConstructor;
}

// ---------------------------------------------------------------- what ECMA-419 lacks

export interface Clock {
  /** Monotonic microseconds as a float64; radio `tmst` is its low 32 bits. */
  micros(): number;
  /** Monotonic milliseconds. */
  millis(): number;
  /** Unix time in milliseconds, or undefined while the wall clock is not known to be valid. */
  wallMillis(): number | undefined;
  /**
   * Blocks for `us` microseconds (a busy wait: ets_delay_us on the ESP32). Drivers use it for short
   * hardware waits (reset pulses, BUSY polling, the last microseconds before a timed TX). Timers do
   * not fire during it. On the simulator's virtual clock it advances virtual time. Returns the
   * micros() value it really returned at (a preempted or stalled wait returns late), so a caller
   * that times something by it can measure its own lateness.
   */
  delayMicros(us: number): number;
}

export type TimerHandle = { readonly id: number };
export interface Timers {
  /** One-shot timer after `ms` milliseconds (on the host clock: virtual in the simulator). */
  set(callback: () => void, ms: number): TimerHandle;
  /** Repeating timer every `ms` milliseconds. */
  repeat(callback: () => void, ms: number): TimerHandle;
  clear(handle: TimerHandle | undefined): void;
}

/** Persistent key-value storage. Writes are atomic per key (write new, then switch). */
export interface KeyValueStore {
  read(key: string): Uint8Array | undefined;
  write(key: string, value: Uint8Array): void;
  delete(key: string): void;
  keys(): string[];
}

export type LogLevel = "debug" | "info" | "warn" | "error";
export type Log = (level: LogLevel, source: string, message: string) => void;

/** Everything the firmware gets from its platform. */
export interface HostProvider {
  io: IO;
  /** DNS: resolves names before io.TCP / io.UDP are given an address. */
  dns: Resolver;
  clock: Clock;
  timers: Timers;
  store: KeyValueStore;
  /** Fills `bytes` from a cryptographically secure source (the hardware RNG on the device). */
  random(bytes: Uint8Array): void;
  log: Log;
  /**
   * Read-only data built into the firmware, by name (Moddable's Resource: a manifest `data` file in
   * flash on the device); undefined when absent. The dashboard serves "core.wasm" from it.
   */
  resource?(name: string): ArrayBuffer | Uint8Array | undefined;
}
