// Test-only: a host provider (modules/host/provider.ts) made of memory: virtual time, an in-memory
// key-value store, the in-memory Listener/TCP of socket-memory.ts, and outbound TCP/UDP that refuse
// (there is no network). Platform-neutral: the XS suites use it.
import type { HostProvider, KeyValueStore, LogLevel, TCP, UDP } from "../../modules/host/provider.js";
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

class NoTCP implements TCP {
  constructor() {
    throw new Error("memory host: no outbound TCP in this test");
  }
  read() {
    return undefined;
  }
  write() {}
  close() {}
}
class NoUDP implements UDP {
  constructor() {
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
  store: MemoryStore;
  logged: { level: LogLevel; source: string; message: string }[];
}

export function memoryHost(vt: VirtualTime, random: (bytes: Uint8Array) => void): MemoryHost {
  const network = new MemoryNetwork((fn) => vt.timers.set(fn, 0));
  const logged: MemoryHost["logged"] = [];
  return {
    network,
    io: { TCP: NoTCP, UDP: NoUDP, Listener: network.Listener, AcceptedTCP: network.TCP },
    dns: { resolve: (name, _onResolved, onError) => void vt.timers.set(() => onError(new Error(`no DNS in memory (${name})`)), 0) },
    clock: vt.clock,
    timers: vt.timers,
    store: new MemoryStore(),
    random,
    log: (level, source, message) => void logged.push({ level, source, message }),
    logged,
  };
}
