// LoRaWAN PHYPayload classification export (record layout in classify.ts).
import { ERR_BAD_LENGTH } from "../errors";
import { spanOk } from "../bounds";
import { CLASSIFY_RECORD_SIZE, classifyFrame } from "./classify";

/**
 * Classifies the frame at [in_ptr, in_ptr + len) and writes the 36-byte record to out_ptr.
 * Any bytes classify (invalid frames get type INVALID and a reason); returns 36, or
 * ERR_BAD_LENGTH for a region outside memory.
 */
export function lorawan_classify(in_ptr: usize, len: usize, out_ptr: usize): i32 {
  if (!spanOk(in_ptr, len) || !spanOk(out_ptr, CLASSIFY_RECORD_SIZE)) return ERR_BAD_LENGTH;
  classifyFrame(in_ptr, len, out_ptr);
  return <i32>CLASSIFY_RECORD_SIZE;
}
