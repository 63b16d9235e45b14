// Test-only ProtoCore (modules/proto/core.ts) over the raw wasm exports: input at the start of the
// scratch region, output after it (16-byte aligned), as a real binding does.
import type { CoreResult, ProtoCore } from "../../modules/proto/core.js";
import { ERR_BAD_LENGTH } from "../../modules/proto/core.js";
import { loadRawCore, type RawCore } from "./raw-core.js";

export function protoCoreOver(raw: RawCore): ProtoCore {
  const call = (input: Uint8Array, unit: number, run: (inPtr: number, len: number, outPtr: number, cap: number) => number): CoreResult => {
    const outOffset = (input.length + 15) & ~15;
    if (outOffset >= raw.scratchSize) return { ok: false, code: ERR_BAD_LENGTH, at: 0, field: 0 };
    const inPtr = raw.put(input, 0);
    const outPtr = raw.scratch + outOffset;
    const rc = run(inPtr, input.length, outPtr, raw.scratchSize - outOffset);
    if (rc < 0) {
      return { ok: false, code: rc, at: Number(raw.exports.pb_error_at()), field: Number(raw.exports.pb_error_field()) };
    }
    return { ok: true, bytes: raw.get(outPtr, rc * unit) };
  };
  const e = raw.exports as unknown as Record<string, (...args: number[]) => number>;
  return {
    pbEncode: (ops) => call(ops, 1, (p, n, o, c) => e.pb_encode(p, n, o, c)),
    pbDecode: (message) => call(message, 16, (p, n, o, c) => e.pb_decode(p, n, o, c)),
    pbDecodePacked: (body, wire) => call(body, 8, (p, n, o, c) => e.pb_decode_packed(p, n, wire, o, c)),
  };
}

export function loadProtoCore(): { raw: RawCore; core: ProtoCore } {
  const raw = loadRawCore();
  return { raw, core: protoCoreOver(raw) };
}
