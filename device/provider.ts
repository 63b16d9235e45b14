// The host provider (modules/host/provider.ts) on the device, built from Moddable modules: the
// board's ECMA-419 IO, lwIP sockets (TCP, UDP, the Listener and its adopted connections), the SDK's
// DNS resolver, NVS key-value storage, the esp_timer clock, Moddable timers, the hardware RNG and the
// serial console. What each relies on in the SDK's source: device/README.md.
import Timer from "timer";
import KeyValue from "embedded:storage/key-value";
import ModdableListener from "embedded:io/socket/listener";
import ModdableTCP from "embedded:io/socket/tcp";
import ModdableUDP from "embedded:io/socket/udp";
import Net from "net";
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
  Resolver,
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
  const live = new Map<number, ReturnType<typeof Timer.set>>();
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
      // format "buffer": an ArrayBuffer, or undefined for a missing key (storage-esp32.c xs_directorystorage_read)
      const value = kv.read(key);
      if (value === undefined) return undefined;
      if (!(value instanceof ArrayBuffer)) throw new TypeError(`store: "${key}" is not stored as bytes`);
      return new Uint8Array(value);
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

/**
 * The SDK's ESP32 TCP (modules/io/socket/lwip/tcp.js, tcp.c): one class for connections it makes and
 * connections a Listener accepted (`{from}`). It connects to an IPv4 `address` only (xs_tcp_constructor
 * ignores `host`), signals the connection with its first onWritable (tcpConnect), and `read()` returns
 * every buffered byte (tcp.js calls xs_tcp_read without arguments). The peer's address is read once:
 * the SDK's getter dereferences the lwIP pcb, which is gone after an error (tcpError).
 */
class DeviceTCP implements TCP {
  readonly #socket: ModdableTCP;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  constructor(options: TCPOptions | TCPFromOptions) {
    const self = this;
    const callbacks = {
      nodelay: options.nodelay,
      onReadable: (count: number) => options.onReadable?.call(self, count),
      onError: () => options.onError?.call(self),
    };
    if ("from" in options) {
      // The Listener's own TCP instance (lwip listener.js read()), handed over as TCPFrom.accepted.
      this.#socket = new ModdableTCP({ ...callbacks, from: options.from.accepted as ModdableTCP, onWritable: (count) => options.onWritable?.call(self, count) });
      this.remoteAddress = this.#socket.remoteAddress;
      this.remotePort = this.#socket.remotePort;
      return;
    }
    if (options.address === undefined) throw new TypeError(`TCP: an IPv4 address is required (the SDK's TCP ignores host "${options.host}"): resolve it with host.dns first`);
    let connected = false;
    this.#socket = new ModdableTCP({
      ...callbacks,
      address: options.address,
      port: options.port,
      onWritable(count) {
        if (!connected) {
          connected = true;
          options.onConnect?.call(self);
        }
        options.onWritable?.call(self, count);
      },
    });
    this.remoteAddress = options.address;
    this.remotePort = options.port;
  }
  /** Every buffered byte, whatever count the caller asks for (as the SDK's TCP does). */
  read(): ArrayBuffer | undefined {
    return this.#socket.read();
  }
  write(buffer: BufferSource) {
    this.#socket.write(buffer);
  }
  close() {
    this.#socket.close();
  }
}

/**
 * The SDK's ESP32 Listener (lwip/listener.js, tcp.c xs_listener_constructor): it binds every
 * interface (`address` is ignored) and never calls onError, so neither is passed; `read()` hands over
 * an accepted TCP, adopted by DeviceTCP through `{from}`.
 */
class DeviceListener implements Listener {
  readonly #listener: ModdableListener;
  readonly #port: number;
  constructor(options: ListenerOptions) {
    const self = this;
    this.#port = options.port;
    this.#listener = new ModdableListener({ port: options.port, onReadable: (count) => options.onReadable?.call(self, count) });
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

/**
 * The SDK's ESP32 UDP (lwip/udp.js, udp.c): it binds every interface (`address` is ignored), never
 * calls onError, and `write` takes an IPv4 address only (resolveIP throws "invalid IP address").
 */
class DeviceUDP implements UDP {
  readonly #socket: ModdableUDP;
  constructor(options: UDPOptions) {
    const self = this;
    this.#socket = new ModdableUDP({ port: options.port, onReadable: (packets) => options.onReadable?.call(self, packets) });
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

/**
 * Names through the SDK's `Net.resolve` (modules/network/net/esp/modResolve.c): lwIP's resolver with
 * the DHCP-given DNS servers, one look-up at a time, the answer always posted to the JS task later
 * (an IPv4 literal comes back unchanged), `undefined` when the name cannot be resolved. Only IPv4
 * answers are accepted, because the sockets above take nothing else.
 */
function resolver(timers: Timers): Resolver {
  return {
    resolve(host, onResolved, onError) {
      const fail = (why: string) => onError(new Error(`DNS: cannot resolve "${host}": ${why}`));
      try {
        Net.resolve(host, (_name, address) => {
          if (address !== undefined && /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(address)) onResolved(address);
          else fail(address === undefined ? "no answer" : `not an IPv4 address (${address})`);
        });
      } catch (error) {
        // modResolve.c throws when it cannot queue the look-up; the contract is a later callback.
        timers.set(() => fail(String(error)), 0);
      }
    },
  };
}

const log: Log = (level, source, message) => trace(`${level} ${source}: ${message}\n`);

export interface DeviceProviderOptions {
  /** True once SNTP has set the clock in this boot: until then wallMillis() is undefined and nothing is signed. */
  timeSynced(): boolean;
}

export function createDeviceProvider(board: BoardDevice, options: DeviceProviderOptions): HostProvider {
  const deviceTimers = timers();
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
      AcceptedTCP: DeviceTCP,
    },
    dns: resolver(deviceTimers),
    clock: clock(options.timeSynced),
    timers: deviceTimers,
    store: store(),
    random: (bytes) => void hwRandom(bytes),
    log,
  };
}
