// Test-only: a host provider (modules/host/provider.ts) made of memory: virtual time, an in-memory
// key-value store, the in-memory Listener/TCP of socket-memory.ts, a resolver answering from a table,
// and outbound TCP/UDP that check their options as the Moddable SDK does and then reach nothing
// (there is no network). Platform-neutral: the XS suites use it.
import type { HostProvider, KeyValueStore, LogLevel, TCP, TCPOptions, UDP, UDPOptions } from "../../modules/host/provider.js";
import { checkTcpConnectOptions, refuseBindAddress } from "../../sim/host/sdk-rules.js";
import { MemoryResolver } from "./resolver-memory.js";
import { MemoryNetwork } from "./socket-memory.js";
import type { VirtualTime } from "./virtual-time.js";

export class MemoryStore implements KeyValueStore {
  readonly map = new Map<string, Uint8Array>();
  read(key: string) {
    return this.map.get(key)?.slice();
  }
  write(key: string, value: Uint8Array) {
    this.map.set(key, value.slice());
  }
  delete(key: string) {
    this.map.delete(key);
  }
  keys() {
    return [...this.map.keys()];
  }
}

/** Outbound TCP: options checked as the SDK checks them, then the connection fails on a later turn (nothing answers). */
function unreachableTcp(defer: (fn: () => void) => void) {
  return class UnreachableTCP implements TCP {
    constructor(options: TCPOptions) {
      checkTcpConnectOptions(options);
      defer(() => options.onError?.call(this));
    }
    read(): undefined {
      return undefined;
    }
    write(): void {
      throw new Error("not ready");
    }
    close(): void {}
  };
}

class NoUDP implements UDP {
  constructor(options: UDPOptions) {
    refuseBindAddress("UDP", options);
    throw new Error("memory host: no UDP in this test");
  }
  read() {
    return undefined;
  }
  write() {}
  close() {}
}

export interface MemoryHost extends HostProvider {
  network: MemoryNetwork;
  dns: MemoryResolver;
  store: MemoryStore;
  logged: { level: LogLevel; source: string; message: string }[];
}

export function memoryHost(vt: VirtualTime, random: (bytes: Uint8Array) => void): MemoryHost {
  const defer = (fn: () => void) => void vt.timers.set(fn, 0);
  const network = new MemoryNetwork(defer);
  const logged: MemoryHost["logged"] = [];
  return {
    network,
    io: { TCP: unreachableTcp(defer), UDP: NoUDP, Listener: network.Listener, AcceptedTCP: network.TCP },
    dns: new MemoryResolver(defer),
    clock: vt.clock,
    timers: vt.timers,
    store: new MemoryStore(),
    random,
    log: (level, source, message) => void logged.push({ level, source, message }),
    logged,
  };
}
