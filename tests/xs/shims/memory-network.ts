// The XS test host's one in-memory network behind the socket stand-ins (listener.ts, tcp.ts): a test
// connects to a port the firmware listens on with `memoryNetwork().connect(port)`.
import { MemoryNetwork } from "../../support/socket-memory.js";
import { runtimeState } from "./runtime-state.js";
import Timer from "./timer.js";

export function memoryNetwork(): MemoryNetwork {
  return runtimeState("network", () => new MemoryNetwork((fn) => void Timer.set(() => fn(), 0)));
}
