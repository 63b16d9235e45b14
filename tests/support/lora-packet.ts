// Typed access to lora-packet 0.9.3 (CommonJS), the independent LoRaWAN implementation tests check
// the simulated devices and downlinks against. It shows DevAddr, FCnt, EUIs and nonces big-endian.
import { createRequire } from "node:module";

export interface LoraPacket {
  getMType(): string;
  getFCnt(): number | null;
  getFPort(): number | null;
  getFCtrlACK(): boolean | null;
  isConfirmed(): boolean;
  getPHYPayload(): Buffer | void;
  DevAddr?: Buffer;
  AppNonce?: Buffer;
  NetID?: Buffer;
  DLSettings?: Buffer;
  RxDelay?: Buffer;
  FRMPayload?: Buffer;
}

export interface LoraPacketModule {
  fromWire(buffer: Buffer): LoraPacket;
  fromFields(fields: Record<string, unknown>, appSKey?: Buffer | null, nwkSKey?: Buffer | null, appKey?: Buffer | null): LoraPacket;
  verifyMIC(packet: LoraPacket, nwkSKey: Buffer | null, appKey?: Buffer | null, fCntMSBytes?: Buffer): boolean;
  decrypt(packet: LoraPacket, appSKey: Buffer, nwkSKey: Buffer, fCntMSBytes?: Buffer): Buffer;
  generateSessionKeys10(appKey: Buffer, netId: Buffer, appNonce: Buffer, devNonce: Buffer): { AppSKey: Buffer; NwkSKey: Buffer };
}

const require = createRequire(import.meta.url);
const mod = require("lora-packet") as LoraPacketModule | { default: LoraPacketModule };
export const lora: LoraPacketModule = "default" in mod ? mod.default : mod;

/** PHYPayload bytes of a lora-packet packet. */
export function phy(packet: LoraPacket): Uint8Array {
  const b = packet.getPHYPayload();
  if (b === undefined) throw new Error("lora-packet produced no PHYPayload");
  return new Uint8Array(b);
}
