// The world's view of a downlink: which uplink it answers and whether that device could have heard
// it. The frame on the air is opened with the devices' own keys (a data frame by its DevAddr and
// MIC, a join-accept by the AppKey that decrypts it with a valid MIC); the uplink it answers is that
// device's latest uplink of the matching kind (data, or the join request it accepts) that ended
// before the downlink started, and it is judged against the receive windows the device opened for
// that uplink with the device's own lock rule. Nothing here reads the hotspot's counters.
import { EndDevice, fitsWindow, inWindowTime, type ReceiveWindow, type UplinkRecord } from "./end-device.js";
import { openDataFrame, openJoinAccept } from "./lorawan-crypto.js";
import type { Transmission } from "./radio-world.js";

export interface JudgedDownlink {
  tx: Transmission;
  device: EndDevice;
  uplink: UplinkRecord;
  /** The window of the uplink whose channel and datarate it used (else the nearest in time). */
  window: ReceiveWindow;
  /** tx.start - window.open, µs. */
  errorMicros: number;
  /** By its timing alone, the device listening in that window could lock onto its preamble. */
  onTime: boolean;
}

/** Which device's downlink this is: a data frame whose DevAddr and MIC fit one of its sessions, or a join-accept its AppKey opens. */
export function downlinkDevice(tx: Transmission, devices: readonly EndDevice[]): { device: EndDevice; kind: "data" | "join" } | undefined {
  const phy = tx.payload;
  const mtype = phy[0] >> 5;
  if (mtype === 1) {
    for (const device of devices) {
      const a = device.activation;
      if (a.kind === "otaa" && openJoinAccept(phy, a.appKey).ok) return { device, kind: "join" };
    }
    return undefined;
  }
  if ((mtype !== 3 && mtype !== 5) || phy.length < 12) return undefined;
  const devAddr = (phy[1] | (phy[2] << 8) | (phy[3] << 16) | (phy[4] << 24)) >>> 0;
  for (const device of devices) {
    for (const s of device.sessions) if (s.devAddr === devAddr && openDataFrame(phy, s, devAddr, 0, false).ok) return { device, kind: "data" };
  }
  return undefined;
}

/** Matches a transmitted downlink to its uplink and judges its timing; undefined when it is no device's. */
export function judgeDownlink(tx: Transmission, devices: readonly EndDevice[]): JudgedDownlink | undefined {
  const owner = downlinkDevice(tx, devices);
  if (owner === undefined) return undefined;
  const { device, kind } = owner;
  let uplink: UplinkRecord | undefined;
  for (const u of device.uplinks) if (u.kind === kind && u.tx.end <= tx.start) uplink = u;
  if (uplink === undefined || uplink.windows.length === 0) return undefined;
  const window = windowFor(uplink.windows, tx);
  return { tx, device, uplink, window, errorMicros: tx.start - window.open, onTime: inWindowTime(tx, window) };
}

/** The window whose channel and datarate `tx` uses, else the one nearest in time (`windows` not empty). */
export function windowFor(windows: readonly ReceiveWindow[], tx: Transmission): ReceiveWindow {
  return windows.find((w) => fitsWindow(tx, w)) ?? windows.reduce((a, w) => (Math.abs(w.open - tx.start) < Math.abs(a.open - tx.start) ? w : a));
}
