// Test-only: a resolver (HostProvider.dns) answering from a table, on a later turn through `defer`,
// as the device's does (the SDK's Net.resolve posts every answer: modules/network/net/esp/
// modResolve.c). An IPv4 address resolves to itself; a name missing from the table fails.
// Platform-neutral: the XS suites use it.
import { isIpv4Address } from "../../modules/host/address.js";
import type { Resolver } from "../../modules/host/provider.js";

export class MemoryResolver implements Resolver {
  /** Every host asked for, in order. */
  readonly asked: string[] = [];
  readonly #table = new Map<string, string>();
  readonly #defer: (fn: () => void) => void;

  constructor(defer: (fn: () => void) => void, table: Record<string, string> = {}) {
    this.#defer = defer;
    for (const [name, address] of Object.entries(table)) this.set(name, address);
  }

  /** Makes `name` resolve to `address` from now on (undefined: not at all). */
  set(name: string, address: string | undefined): void {
    if (address === undefined) this.#table.delete(name.toLowerCase());
    else this.#table.set(name.toLowerCase(), address);
  }

  resolve(host: string, onResolved: (address: string) => void, onError: (error: Error) => void): void {
    this.asked.push(host);
    const address = isIpv4Address(host) ? host : this.#table.get(host.toLowerCase());
    this.#defer(() => (address === undefined ? onError(new Error(`no address for "${host}"`)) : onResolved(address)));
  }
}
