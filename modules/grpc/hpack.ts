// HPACK (RFC 7541): a decoder with the static and dynamic tables and Huffman strings, and an encoder
// that writes every field as a literal without indexing (valid HPACK that needs no encoder state).
// Header names and values are handled as Latin-1 strings: one char per octet, lossless.
import { huffmanDecode } from "./huffman.js";
import { H2ErrorCode, Http2Error } from "./errors.js";
import { latin1Decode } from "../util/bytes.js";
import { deepFreeze } from "../util/freeze.js";

export type Header = [name: string, value: string];

// RFC 7541 Appendix A.
export const STATIC_TABLE: readonly Header[] = deepFreeze([
  [":authority", ""],
  [":method", "GET"],
  [":method", "POST"],
  [":path", "/"],
  [":path", "/index.html"],
  [":scheme", "http"],
  [":scheme", "https"],
  [":status", "200"],
  [":status", "204"],
  [":status", "206"],
  [":status", "304"],
  [":status", "400"],
  [":status", "404"],
  [":status", "500"],
  ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""],
  ["accept-ranges", ""],
  ["accept", ""],
  ["access-control-allow-origin", ""],
  ["age", ""],
  ["allow", ""],
  ["authorization", ""],
  ["cache-control", ""],
  ["content-disposition", ""],
  ["content-encoding", ""],
  ["content-language", ""],
  ["content-length", ""],
  ["content-location", ""],
  ["content-range", ""],
  ["content-type", ""],
  ["cookie", ""],
  ["date", ""],
  ["etag", ""],
  ["expect", ""],
  ["expires", ""],
  ["from", ""],
  ["host", ""],
  ["if-match", ""],
  ["if-modified-since", ""],
  ["if-none-match", ""],
  ["if-range", ""],
  ["if-unmodified-since", ""],
  ["last-modified", ""],
  ["link", ""],
  ["location", ""],
  ["max-forwards", ""],
  ["proxy-authenticate", ""],
  ["proxy-authorization", ""],
  ["range", ""],
  ["referer", ""],
  ["refresh", ""],
  ["retry-after", ""],
  ["server", ""],
  ["set-cookie", ""],
  ["strict-transport-security", ""],
  ["transfer-encoding", ""],
  ["user-agent", ""],
  ["vary", ""],
  ["via", ""],
  ["www-authenticate", ""],
]);

/** Per-entry overhead of the dynamic table size accounting (RFC 7541 section 4.1). */
const ENTRY_OVERHEAD = 32;
/** Integers above this are refused: no legitimate length or index comes near it. */
const MAX_INTEGER = 0x0fffffff;

function compressionError(message: string): Http2Error {
  return new Http2Error(H2ErrorCode.COMPRESSION_ERROR, message);
}

/** The result of decoding one header block. */
export interface DecodedHeaders {
  headers: Header[];
  /** True when the list exceeded the decoder's maximum header list size (fields past it were dropped). */
  tooLarge: boolean;
}

export class HpackDecoder {
  /** Newest entry first. */
  private table: Header[] = [];
  private tableSize = 0;
  private tableLimit: number;

  /**
   * @param maxTableSize the SETTINGS_HEADER_TABLE_SIZE we advertised: the peer may not exceed it
   * @param maxHeaderListSize the SETTINGS_MAX_HEADER_LIST_SIZE we advertised
   */
  constructor(
    private readonly maxTableSize = 4096,
    private readonly maxHeaderListSize = 16384,
  ) {
    this.tableLimit = maxTableSize;
  }

  /** Current dynamic table size in RFC 7541 units (for tests and diagnostics). */
  get dynamicTableSize(): number {
    return this.tableSize;
  }
  get dynamicTable(): readonly Header[] {
    return this.table;
  }

  /**
   * Decodes one complete header block. Throws COMPRESSION_ERROR on any malformed representation;
   * after such an error the decoder state is undefined and the connection must be closed.
   */
  decode(block: Uint8Array): DecodedHeaders {
    const headers: Header[] = [];
    let listSize = 0;
    let tooLarge = false;
    let pos = 0;
    let fieldSeen = false;

    const readInteger = (prefixBits: number): number => {
      if (pos >= block.length) throw compressionError("truncated integer");
      const mask = (1 << prefixBits) - 1;
      let value = block[pos++] & mask;
      if (value < mask) return value;
      let shift = 0;
      for (;;) {
        if (pos >= block.length) throw compressionError("truncated integer");
        const b = block[pos++];
        value += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (value > MAX_INTEGER || shift > 28) throw compressionError("integer too large");
        if ((b & 0x80) === 0) return value;
      }
    };
    const readString = (): string => {
      if (pos >= block.length) throw compressionError("truncated string");
      const huffman = (block[pos] & 0x80) !== 0;
      const length = readInteger(7);
      if (length > block.length - pos) throw compressionError("string longer than the header block");
      const raw = block.subarray(pos, pos + length);
      pos += length;
      return latin1Decode(huffman ? huffmanDecode(raw) : raw);
    };
    const lookup = (index: number): Header => {
      if (index === 0) throw compressionError("index 0");
      if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1];
      const entry = this.table[index - STATIC_TABLE.length - 1];
      if (!entry) throw compressionError(`index ${index} beyond the dynamic table`);
      return entry;
    };
    const emit = (name: string, value: string): void => {
      listSize += name.length + value.length + ENTRY_OVERHEAD;
      if (listSize > this.maxHeaderListSize) tooLarge = true;
      if (!tooLarge) headers.push([name, value]);
    };

    while (pos < block.length) {
      const b = block[pos];
      if (b & 0x80) {
        // Indexed header field.
        const [name, value] = lookup(readInteger(7));
        emit(name, value);
        fieldSeen = true;
      } else if (b & 0x40) {
        // Literal with incremental indexing.
        const index = readInteger(6);
        const name = index === 0 ? readString() : lookup(index)[0];
        const value = readString();
        this.insert(name, value);
        emit(name, value);
        fieldSeen = true;
      } else if (b & 0x20) {
        // Dynamic table size update: only at the start of a block, never above our setting.
        if (fieldSeen) throw compressionError("table size update after a header field");
        const size = readInteger(5);
        if (size > this.maxTableSize) throw compressionError(`table size ${size} above the advertised ${this.maxTableSize}`);
        this.tableLimit = size;
        this.evict(0);
      } else {
        // Literal without indexing (0000) or never indexed (0001).
        const index = readInteger(4);
        const name = index === 0 ? readString() : lookup(index)[0];
        const value = readString();
        emit(name, value);
        fieldSeen = true;
      }
    }
    return { headers, tooLarge };
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    this.evict(size);
    // An entry larger than the whole table empties it and is not added (RFC 7541 section 4.4).
    if (size > this.tableLimit) return;
    this.table.unshift([name, value]);
    this.tableSize += size;
  }

  private evict(room: number): void {
    while (this.table.length > 0 && this.tableSize + room > this.tableLimit) {
      const [name, value] = this.table.pop()!;
      this.tableSize -= name.length + value.length + ENTRY_OVERHEAD;
    }
  }
}

function pushInteger(out: number[], value: number, prefixBits: number, firstByteFlags: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(firstByteFlags | value);
    return;
  }
  out.push(firstByteFlags | max);
  value -= max;
  while (value >= 128) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

function pushString(out: number[], text: string): void {
  pushInteger(out, text.length, 7, 0);
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i) & 0xff);
}

const STATIC_NAME_INDEX = new Map<string, number>();
STATIC_TABLE.forEach(([name], i) => {
  if (!STATIC_NAME_INDEX.has(name)) STATIC_NAME_INDEX.set(name, i + 1);
});

/**
 * Encodes a header list with "literal header field without indexing" representations (names from
 * the static table where one matches). Stateless, so it never needs to track the peer's table size.
 */
export function encodeHeaders(headers: readonly Header[]): Uint8Array {
  const out: number[] = [];
  for (const [name, value] of headers) {
    const index = STATIC_NAME_INDEX.get(name);
    if (index !== undefined) pushInteger(out, index, 4, 0x00);
    else {
      out.push(0x00);
      pushString(out, name);
    }
    pushString(out, value);
  }
  return Uint8Array.from(out);
}
