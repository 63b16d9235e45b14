// MD5 export (for the animal name; see md5.ts).
import { ERR_BAD_LENGTH } from "../errors";
import { spanOk } from "../bounds";
import { md5Into } from "./md5";

/** MD5 of [in_ptr, in_ptr + len) into 16 bytes at out_ptr. Returns 16, or ERR_BAD_LENGTH for a region outside memory. */
export function md5(in_ptr: usize, len: usize, out_ptr: usize): i32 {
  if (!spanOk(in_ptr, len) || !spanOk(out_ptr, 16)) return ERR_BAD_LENGTH;
  md5Into(in_ptr, len, out_ptr);
  return 16;
}
