// lora-packet's API. Its type declarations put it on `default`, but at run time (CommonJS imported
// from ESM) it is module.exports itself; this accepts both.
import loraPacketModule from "lora-packet";

type Api = typeof loraPacketModule.default;
export const loraPacket: Api = (loraPacketModule as unknown as { default?: Api }).default ?? (loraPacketModule as unknown as Api);
export type LoraPacket = ReturnType<Api["fromWire"]>;
