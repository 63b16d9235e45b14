// The host provider's resolver on Node (HostProvider.dns): the operating system's resolver (getaddrinfo
// through dns.lookup), IPv4 only, as the device resolves with lwIP (the SDK's `Net.resolve`,
// modules/network/net/esp/modResolve.c, which answers a name with one IPv4 address and an IPv4
// literal with itself). Like it, the answer always comes on a later turn, and exactly once.

import { lookup } from "node:dns";
import type { Resolver } from "../../modules/host/provider.js";

export class NodeResolver implements Resolver {
  resolve(host: string, onResolved: (address: string) => void, onError: (error: Error) => void): void {
    lookup(host, { family: 4 }, (error, address) => {
      if (error) onError(new Error(`cannot resolve "${host}": ${error.code ?? error.message}`));
      else onResolved(address);
    });
  }
}
