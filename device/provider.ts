// The host provider (modules/host/provider.ts) on the device, built from Moddable modules: the
// board's ECMA-419 IO, lwIP sockets (TCP, UDP, the Listener and its adopted connections), NVS
// key-value storage, the esp_timer clock, Moddable timers, the hardware RNG and the serial console.
import Timer, { type TimerId } from "timer";
import KeyValue from "embedded:storage/key-value";
import ModdableListener from "embedded:io/socket/listener";
import ModdableTCP from "embedded:io/socket/tcp";
import ModdableUDP from "embedded:io/socket/udp";
import type { BoardDevice } from "../targets/board.js";
import type {
  BufferSource,
  Clock,
  HostProvider,
  I2CConstructor,
  KeyValueStore,
  Listener,
  ListenerOptions,
  Log,
  TCP,
  TCPFrom,
  TCPFromOptions,
  TCPOptions,
  SPIConstructor,
  TimerHandle,
  Timers,
  UDP,
  UDPOptions,
} from "../modules/host/provider.js";
import { delayMicros, micros } from "./radio-timing.js";

const hwRandom = native("xs_hw_random");

/** NVS limits (ESP-IDF): keys up to 15 characters, values up to about 4000 bytes. */
const MAX_KEY_LENGTH = 15;
const MAX_VALUE_BYTES = 4000;
/** The wall clock counts as set once it is past 2024-01-01 (it starts at 1970 before SNTP). */
const VALID_WALL_CLOCK_MILLIS = 1_704_067_200_000;

function clock(timeSynced: () => boolean): Clock {
  return {
    micros,
    delayMicros,
    millis: () => micros() / 1000,
    wallMillis: () => {
      const now = Date.now();
      return timeSynced() && now >= VALID_WALL_CLOCK_MILLIS ? now : undefined;
    },
  };
}

function timers(): Timers {
  const live = new Map<number, TimerId>();
  let nextId = 1;
  return {
    set(callback, ms) {
      const id = nextId++;
      live.set(id, Timer.set(() => (live.delete(id), callback()), ms));
      return { id };
    },
    repeat(callback, ms) {
      const id = nextId++;
      live.set(id, Timer.repeat(() => callback(), ms));
      return { id };
    },
    clear(handle: TimerHandle | undefined) {
      const timer = handle && live.get(handle.id);
      if (timer === undefined) return;
      Timer.clear(timer);
      live.delete(handle!.id);
    },
  };
}

function store(): KeyValueStore {
  const kv = KeyValue.open({ path: "hotspot", mode: "r+", format: "buffer" });
  const checkKey = (key: string) => {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw new RangeError(`store: key "${key}" must have 1..${MAX_KEY_LENGTH} characters (NVS)`);
  };
  return {
    read(key) {
      checkKey(key);
      const value = kv.read(key);
      return value === undefined ? undefined : new Uint8Array(value);
    },
    write(key, value) {
      checkKey(key);
      if (value.length > MAX_VALUE_BYTES) throw new RangeError(`store: "${key}" has ${value.length} bytes; NVS keeps at most ${MAX_VALUE_BYTES}`);
      kv.write(key, value);
    },
    delete(key) {
      checkKey(key);
      kv.delete(key);
    },
    keys: () => [...kv],
  };
}

/** ECMA-419 signals an established connection with its first onWritable; the provider adds onConnect. */
class DeviceTCP implements TCP {
  readonly #socket: ModdableTCP;
  constructor(options: TCPOptions) {
    const self = this;
    let connected = false;
    this.#socket = new ModdableTCP({
      address: options.address,
      host: options.host,
      port: options.port,
      nodelay: options.nodelay,
      onReadable: (count) => options.onReadable?.call(self, count),
      onWritable(count) {
        if (!connected) {
          connected = true;
          options.onConnect?.call(self);
        }
        options.onWritable?.call(self, count);
      },
      onError: () => options.onError?.call(self),
    });
  }
  read(byteLength?: number) {
    return this.#socket.read(byteLength);
  }
  write(buffer: BufferSource) {
    this.#socket.write(buffer);
  }
  close() {
    this.#socket.close();
  }
  get remoteAddress() {
    return this.#socket.remoteAddress;
  }
  get remotePort() {
    return this.#socket.remotePort;
  }
}

/** The lwIP TCP listener; each accepted socket is handed over wrapped as `{accepted}` for DeviceAcceptedTCP. */
class DeviceListener implements Listener {
  readonly #listener: ModdableListener;
  readonly #port: number;
  constructor(options: ListenerOptions) {
    const self = this;
    this.#port = options.port;
    this.#listener = new ModdableListener({
      address: options.address,
      port: options.port,
      onReadable: (count) => options.onReadable?.call(self, count),
      onError: () => options.onError?.call(self),
    });
  }
  read(): TCPFrom | undefined {
    const accepted = this.#listener.read();
    return accepted === undefined ? undefined : { accepted };
  }
  close() {
    this.#listener.close();
  }
  get port() {
    return this.#port;
  }
}

/** Adopts a connection the listener accepted (ECMA-419 `new TCP({from})`). */
class DeviceAcceptedTCP implements TCP {
  readonly #socket: ModdableTCP;
  constructor(options: TCPFromOptions) {
    const self = this;
    this.#socket = new ModdableTCP({
      from: options.from.accepted,
      nodelay: options.nodelay,
      onReadable: (count) => options.onReadable?.call(self, count),
      onWritable: (count) => options.onWritable?.call(self, count),
      onError: () => options.onError?.call(self),
    });
  }
  read(byteLength?: number) {
    return this.#socket.read(byteLength);
  }
  write(buffer: BufferSource) {
    this.#socket.write(buffer);
  }
  close() {
    this.#socket.close();
  }
  get remoteAddress() {
    return this.#socket.remoteAddress;
  }
  get remotePort() {
    return this.#socket.remotePort;
  }
}

class DeviceUDP implements UDP {
  readonly #socket: ModdableUDP;
  constructor(options: UDPOptions) {
    const self = this;
    this.#socket = new ModdableUDP({
      address: options.address,
      port: options.port,
      onReadable: (packets) => options.onReadable?.call(self, packets),
      onError: () => options.onError?.call(self),
    });
  }
  read() {
    return this.#socket.read();
  }
  write(buffer: BufferSource, address: string, port: number) {
    this.#socket.write(buffer, address, port);
  }
  close() {
    this.#socket.close();
  }
}

const log: Log = (level, source, message) => trace(`${level} ${source}: ${message}\n`);

export interface DeviceProviderOptions {
  /** True once SNTP has set the clock in this boot: until then wallMillis() is undefined and nothing is signed. */
  timeSynced(): boolean;
}

export function createDeviceProvider(board: BoardDevice, options: DeviceProviderOptions): HostProvider {
  return {
    // ECMA-419 requires the SPI clock pin, which our interface leaves optional; the SX1262 driver
    // always passes it (the board's SCK).
    io: {
      SPI: board.io.SPI as unknown as SPIConstructor,
      Digital: board.io.Digital,
      I2C: board.io.I2C as I2CConstructor | undefined,
      TCP: DeviceTCP,
      UDP: DeviceUDP,
      Listener: DeviceListener,
      AcceptedTCP: DeviceAcceptedTCP,
    },
    clock: clock(options.timeSynced),
    timers: timers(),
    store: store(),
    random: (bytes) => void hwRandom(bytes),
    log,
  };
}
