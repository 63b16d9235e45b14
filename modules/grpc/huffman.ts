// HPACK Huffman decoding (RFC 7541 section 5.2), table-free at run time apart from the code lengths.
import { HUFFMAN_CODE_LENGTHS } from "./huffman-table.js";
import { H2ErrorCode, Http2Error } from "./errors.js";

const EOS = 256;
const MAX_LENGTH = 30;

// Canonical decoding tables: how many codes have each length, and the symbols sorted by (length,
// value). Built when the module loads, so that on the device they are preloaded into flash.
const { countByLength, sortedSymbols } = buildTables();

function buildTables(): { countByLength: Uint16Array; sortedSymbols: Uint16Array } {
  const counts = new Uint16Array(MAX_LENGTH + 1);
  for (const len of HUFFMAN_CODE_LENGTHS) counts[len]++;
  const offsets = new Uint16Array(MAX_LENGTH + 2);
  for (let len = 1; len <= MAX_LENGTH; len++) offsets[len + 1] = offsets[len] + counts[len];
  const sorted = new Uint16Array(HUFFMAN_CODE_LENGTHS.length);
  for (let sym = 0; sym < HUFFMAN_CODE_LENGTHS.length; sym++) sorted[offsets[HUFFMAN_CODE_LENGTHS[sym]]++] = sym;
  return { countByLength: counts, sortedSymbols: sorted };
}

/**
 * Decodes a Huffman-coded string literal. Throws COMPRESSION_ERROR for an EOS symbol inside the
 * string, padding longer than 7 bits, or padding that is not the most significant bits of EOS.
 */
export function huffmanDecode(input: Uint8Array): Uint8Array {
  const counts = countByLength;
  const symbols = sortedSymbols;
  // Every code is at least 5 bits long, so the output is at most 8/5 of the input.
  const out = new Uint8Array(Math.ceil((input.length * 8) / 5));
  let o = 0;
  let code = 0; // bits of the current code read so far
  let first = 0; // first canonical code of the current length
  let index = 0; // index in `symbols` of the first symbol of the current length
  let len = 0;
  let allOnes = true;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >> bit) & 1;
      code = code * 2 + b;
      allOnes = allOnes && b === 1;
      len++;
      const count = counts[len];
      if (code - first < count) {
        const sym = symbols[index + code - first];
        if (sym === EOS) throw new Http2Error(H2ErrorCode.COMPRESSION_ERROR, "Huffman string contains EOS");
        out[o++] = sym;
        code = first = index = len = 0;
        allOnes = true;
      } else {
        index += count;
        first = (first + count) * 2;
        if (len >= MAX_LENGTH) throw new Http2Error(H2ErrorCode.COMPRESSION_ERROR, "invalid Huffman code");
      }
    }
  }
  if (len > 7) throw new Http2Error(H2ErrorCode.COMPRESSION_ERROR, "Huffman padding longer than 7 bits");
  if (!allOnes) throw new Http2Error(H2ErrorCode.COMPRESSION_ERROR, "Huffman padding is not all ones");
  return out.subarray(0, o);
}
