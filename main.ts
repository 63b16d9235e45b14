// Device entry (Moddable SDK, XS on the ESP32): builds the host provider from the board's Moddable
// modules, opens the native compute core and brings up the gateway identity. The app (radio,
// packet router, Proof-of-Coverage, dashboard) is started here once modules/app exists.
import device from "embedded:provider/builtin";
import { createDeviceProvider } from "./device/provider.js";
import { createNativeCore } from "./modules/core/native.js";
import { animalName } from "./modules/identity/animal-name.js";
import { generateGatewayKey, loadGatewayKey, saveGatewayKey } from "./modules/identity/gateway-key.js";

const host = createDeviceProvider(device);
const core = createNativeCore();

let key = loadGatewayKey(core, host.store);
if (key === undefined) {
  key = generateGatewayKey(core, host.random);
  saveGatewayKey(host.store, key);
  host.log("info", "identity", "created a new gateway key from the hardware random number generator");
}
host.log("info", "main", `${device.name}: gateway ${key.address} (${animalName(core, key.address)})`);
