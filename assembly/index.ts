// The compute core's exports: plain (ptr, len) functions over one linear memory, no JS glue.
// Each area keeps its exports in its own file; this file only gathers them.
export { scratch_ptr, scratch_size } from "./scratch";
// Listed second so the encoder's static tables sit right after the scratch region
// (tests/proto-fuzz.test.ts checks that nothing beyond them is written).
export { pb_encode, pb_decode, pb_decode_packed, pb_error_at, pb_error_field } from "./proto/exports";
export { memory_static_end } from "./bounds";
export * from "./crypto/exports";
export { chacha_stream } from "./chacha/exports";
export { md5 } from "./md5/exports";
export { b58_encode, b58_decode, b58check_encode, b58check_decode, helium_address_encode, helium_address_decode } from "./address/exports";
export { lorawan_classify } from "./lorawan/exports";
export { lora_airtime_us } from "./airtime/exports";
export { beacon_derive } from "./beacon/exports";
