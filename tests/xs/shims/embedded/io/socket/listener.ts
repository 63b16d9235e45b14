// embedded:io/socket/listener for the XS test host: listeners on the in-memory network, which is
// created at run time (runtime-state.ts), so the class is looked up when a listener is made.
import type { Listener as ListenerInstance, ListenerConstructor, ListenerOptions } from "../../../../../../modules/host/provider.js";
import { memoryNetwork } from "../../../memory-network.js";

type Listener = ListenerInstance;
const Listener = function (options: ListenerOptions) {
  return new (memoryNetwork().Listener)(options);
} as unknown as ListenerConstructor;
export default Listener;
