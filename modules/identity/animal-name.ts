// The hotspot's "animal name" as the angry-purple-tiger package derives it from the address:
// MD5 of the address text, bytes 0-4, 5-9 and 10-15 each folded by XOR into an index of a
// 256-word table (spec 5.6). Written lowercase and hyphenated, as gateway-rs prints it.
import type { Core } from "../core/core.js";
import { utf8Encode } from "../util/bytes.js";
import { ADJECTIVES, ANIMALS, COLORS } from "./animal-words.generated.js";

function xorFold(bytes: Uint8Array, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i];
  return x;
}

export function animalName(core: Core, address: string): string {
  const digest = core.md5(utf8Encode(address));
  return `${ADJECTIVES[xorFold(digest, 0, 5)]}-${COLORS[xorFold(digest, 5, 10)]}-${ANIMALS[xorFold(digest, 10, 16)]}`;
}
