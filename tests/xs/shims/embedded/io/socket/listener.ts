// embedded:io/socket/listener for the XS test host: listeners on the in-memory network.
import { network } from "../../../memory-network.js";

const Listener = network.Listener;
type Listener = InstanceType<typeof network.Listener>;
export default Listener;
