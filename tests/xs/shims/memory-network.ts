// The XS test host's one in-memory network behind the socket stand-ins (listener.ts, tcp.ts): a test
// connects to a port the firmware listens on with `network.connect(port)`.
import { MemoryNetwork } from "../../support/socket-memory.js";
import Timer from "./timer.js";

export const network = new MemoryNetwork((fn) => void Timer.set(() => fn(), 0));
