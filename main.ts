// Device entry (Moddable SDK, XS on the ESP32). It builds the host provider from the board's Moddable
// modules and the native compute core, makes sure the gateway key exists, and then either
//  - runs the setup portal (first boot, a long press of the button, or no Wi-Fi configured): an
//    open access point with captive DNS serving modules/setup's form over the device's Listener;
//    saving restarts the chip; or
//  - joins the configured Wi-Fi, sets the clock by SNTP (nothing is signed before) and starts the
//    hotspot (modules/app) with one call, startHotspot();
//  - in the Moddable simulator (a `desktop` board, targets/sim), starts the hotspot at once: the
//    desktop is online and its clock is set.
// The status LED shows a code for each phase and problem (modules/led); every change is also logged.
import device from "embedded:provider/builtin";
import config from "mc/config";
import Resource from "Resource";
import { ConfigStore } from "./modules/app/config-store.js";
import { FIRMWARE_VERSION, HotspotApp, type DownlinkFate } from "./modules/app/hotspot.js";
import { createNativeCore } from "./modules/core/native.js";
import { animalName } from "./modules/identity/animal-name.js";
import { generateGatewayKey, loadGatewayKey, saveGatewayKey } from "./modules/identity/gateway-key.js";
import { DigitalMode } from "./modules/host/provider.js";
import { LED_MEANINGS, StatusLed, ledCode, type LedCode, type LedInputs } from "./modules/led/status-led.js";
import { createSetupPortal } from "./modules/setup/portal.js";
import { HttpServer } from "./modules/web/http/server.js";
import { Button } from "./device/button.js";
import { trueRandom } from "./device/entropy.js";
import { TimeSync, WifiStation, startAccessPoint, startCaptiveDns, stationMac } from "./device/network.js";
import { createDeviceProvider } from "./device/provider.js";
import { powerRadioRail, radioDriverFactory } from "./device/radio.js";
import { freeMemory, restart } from "./device/system.js";

/** Holding the button this long opens the setup portal (at boot: held while the board starts). */
const LONG_PRESS_MS = 5000;
/** A store entry that makes the next boot open the setup portal. */
const PORTAL_FLAG = "setup.portal";
const SNTP_HOSTS = [typeof config.sntp === "string" ? config.sntp : "pool.ntp.org", "time.google.com", "time.cloudflare.com"];

let time: TimeSync | undefined;
// The manifest's `data` puts build/core.wasm into flash: the dashboard serves it to browsers (plain http has no WebCrypto).
// A Resource is a host buffer over flash (modules/files/resource/Resource.c); a Uint8Array views it.
const host = { ...createDeviceProvider(device, { timeSynced: () => device.desktop !== undefined || time?.synced === true }), resource: (name: string) => (Resource.exists(name) ? new Uint8Array(new Resource(name)) : undefined) };
const core = createNativeCore();
const log = host.log;

const Digital = host.io.Digital!;
const ledOutput = device.pin.led === undefined ? undefined : new Digital({ pin: device.pin.led, mode: DigitalMode.Output, initialValue: 0 });
const led = ledOutput && new StatusLed((on) => ledOutput.write(on ? 1 : 0), host.timers);
let shown: LedCode | undefined;
function showLed(code: LedCode): void {
  if (code === shown) return;
  shown = code;
  led?.show(code);
  log("info", "led", `${code}: ${LED_MEANINGS[code]}`);
}
showLed("boot");

let key = loadGatewayKey(core, host.store);
if (key === undefined) {
  // Before Wi-Fi is up the RNG is truly random only with its entropy source on (ESP-IDF).
  key = generateGatewayKey(core, trueRandom);
  saveGatewayKey(host.store, key);
  log("info", "identity", "created a new gateway key from the hardware random number generator (entropy source on)");
}
const name = animalName(core, key.address);
log("info", "main", `${device.name}: gateway ${key.address} (${name}), firmware ${FIRMWARE_VERSION}`);

const button = new Button(Digital, device.pin.button, host.timers);
const stored = new ConfigStore(host.store, core).load();
const portalRequested = host.store.read(PORTAL_FLAG) !== undefined;
if (!stored.found && stored.problem !== undefined) log("error", "config", `${stored.problem}; opening the setup portal`);

if (device.desktop) {
  runOnDesktop();
} else if (portalRequested || button.pressed || !stored.found || stored.config.wifi.ssid === "") {
  const why = portalRequested ? "requested by a long press" : button.pressed ? "the button is held" : "no Wi-Fi is configured";
  runSetupPortal(why);
} else {
  runStation(stored.config.wifi.ssid, stored.config.wifi.password);
}

/** The access point, captive DNS and the setup form; saving restarts into station mode. */
function runSetupPortal(why: string): void {
  if (host.store.read(PORTAL_FLAG) !== undefined) host.store.delete(PORTAL_FLAG);
  showLed("setup");
  const ssid = `Hotspot ${name}`.slice(0, 32);
  const address = startAccessPoint(ssid);
  startCaptiveDns(address);
  new HttpServer({
    Listener: host.io.Listener!,
    TCP: host.io.AcceptedTCP!,
    port: 80,
    handler: createSetupPortal({ core, store: host.store, address, name, log, onSaved: () => host.timers.set(restart, 500) }),
    timers: host.timers,
    log,
  });
  log("info", "setup", `setup portal (${why}): join the Wi-Fi network "${ssid}" and open http://${address}/`);
  button.watch(LONG_PRESS_MS, () => {
    log("info", "setup", "long press: leaving the setup portal without changes");
    restart();
  });
}

/** Wi-Fi, then the clock, then the hotspot; the LED follows the state every second. */
function runStation(ssid: string, password: string): void {
  let app: HotspotApp | undefined;
  const clock = (time = new TimeSync(SNTP_HOSTS, host.timers, log, () => {
    app = startHotspot();
  }));
  const station = new WifiStation(ssid, password, host.timers, log, (connected) => {
    if (connected) clock.start();
  });
  host.timers.repeat(() => showLed(ledCode(ledInputs(app, station.connected))), 1000);
  button.watch(LONG_PRESS_MS, () => {
    log("info", "setup", "long press: restarting into the setup portal");
    host.store.write(PORTAL_FLAG, Uint8Array.of(1));
    restart();
  });
}

/**
 * The Moddable simulator: no Wi-Fi and no SNTP to wait for. The LED follows the state every second;
 * the app's own counters go to the console every 2 s as one JSON line, where the simulator reads them
 * (as it reads each packet-router downlink's fate, startHotspot()), and so does XS's live memory.
 */
function runOnDesktop(): void {
  const app = startHotspot();
  const desktop = device.desktop!;
  const report = () => {
    log("info", "stats", JSON.stringify(app.stats()));
    log("info", "heap", JSON.stringify(desktop.heap()));
  };
  report();
  host.timers.repeat(() => showLed(ledCode(ledInputs(app, true))), 1000);
  host.timers.repeat(report, 2000);
}

/** The whole hotspot (radio, packet router, PoC, forwarder, dashboard) in one call. */
function startHotspot(): HotspotApp {
  powerRadioRail(device, host);
  const app = new HotspotApp({
    host,
    core,
    radio: {
      driver: radioDriverFactory(device, host, (p, length) =>
        core.airtimeMicros({ spreadingFactor: p.spreadingFactor, bandwidthKHz: p.bandwidthKhz, codingRate: p.codingRate, preambleSymbols: p.preambleSymbols, payloadLength: length, crc: p.crc, implicitHeader: p.implicitHeader }),
      ),
      maxConductedDbm: device.lora.maxPowerDbm,
    },
    web: device.desktop ? desktopDashboard(device.desktop.dashboardPort()) : { port: 80 },
    mac: stationMac(),
    reboot: () => host.timers.set(restart, 500),
    freeMemory,
    ...(device.desktop ? { onDownlinkOutcome: (payload: Uint8Array, fate: DownlinkFate) => log("info", "downlink", JSON.stringify({ sha256: hex(core.sha256(payload)), ...fate })) } : {}),
    onEnrolmentCode: (code) =>
      trace(
        "\n======================== API ENROLMENT CODE ========================\n" +
          `${code}\n` +
          "Open the dashboard and enter it to make that browser the admin (or use\n" +
          "`hotspot api enroll`). One use, within 10 minutes; a reboot makes a new one.\n" +
          "=====================================================================\n\n",
      ),
  });
  app.start();
  return app;
}

/** The simulator's dashboard: on the port it chose, for this PC's own browsers and scripts only. */
function desktopDashboard(port: number | undefined): { port: number; acceptPeer(remoteAddress: string | undefined): boolean } | false {
  if (port === undefined) return false;
  return { port, acceptPeer: (remoteAddress) => remoteAddress === "127.0.0.1" };
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function ledInputs(app: HotspotApp | undefined, wifiConnected: boolean | undefined): LedInputs {
  if (app === undefined) return { phase: "boot", wifiConnected, region: "UNKNOWN", radio: "off", router: "off" };
  const stats = app.stats();
  return { phase: "running", wifiConnected, region: stats.region.name, radio: app.radioPart.state, router: stats.routerState };
}
