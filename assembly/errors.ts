// Error codes returned by core exports. Every export that can fail returns a negative i32 code
// (never traps on bad input); non-negative results are lengths or values. Mirrored in
// modules/core/errors.ts for the TypeScript side.
export const ERR_BAD_LENGTH: i32 = -1; // an input has the wrong length
export const ERR_BAD_INPUT: i32 = -2; // malformed input (a character, a field, a value out of range)
export const ERR_BAD_CHECKSUM: i32 = -3; // base58check checksum mismatch
export const ERR_BAD_TAG: i32 = -4; // unknown key type or network tag
export const ERR_BAD_POINT: i32 = -5; // an Ed25519 point does not decode
export const ERR_NON_CANONICAL: i32 = -6; // a non-canonical encoding (e.g. Ed25519 S >= L)
export const ERR_NO_SPACE: i32 = -7; // the output region is too small
export const ERR_TRUNCATED: i32 = -8; // input ends in the middle of a value
export const ERR_BAD_WIRE_TYPE: i32 = -9; // protobuf wire type not allowed here
export const ERR_UNSUPPORTED: i32 = -10; // a valid request the core does not support
// Protobuf encoder/decoder (assembly/proto/): a block of their own so other areas' codes don't clash.
export const ERR_FIELD_ORDER: i32 = -20; // a field number below the previous one in the same message
export const ERR_DUPLICATE_FIELD: i32 = -21; // a non-repeated field given twice
export const ERR_LIMIT: i32 = -22; // a fixed cap exceeded (nesting depth, nested-message count)
// Beacon derivation (gateway-rs beacon crate error kinds).
export const ERR_NO_REGION_PARAMS: i32 = -30; // blockchain_region_params_v1 holds no channel
export const ERR_NO_SPREADING: i32 = -31; // params[0] has no spreading that fits the beacon, or an unknown one
export const ERR_NO_DATARATE: i32 = -32; // the spreading and bandwidth name no data_rate (SF_INVALID, odd bandwidth)
export const ERR_BAD_POWER: i32 = -33; // conducted power below 0 dBm (max_eirp under the antenna gain)
