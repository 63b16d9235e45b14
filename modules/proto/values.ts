// How messages look in TypeScript, for the codec and the JSON conversion.
//
//   bytes                     Uint8Array
//   string                    string
//   bool                      boolean
//   int32 uint32 sint32 fixed32 sfixed32, enums    number (enums by value; names are a JSON matter)
//   int64 uint64 sint64 fixed64 sfixed64            bigint (encode also takes a safe-integer number)
//   float double              number
//   message                   ProtoMessage, or absent (undefined) when not present
//   repeated                  an array
//   oneof                     its members are plain fields; at most one may be set
//
// Keys are the proto field names (snake_case). decodeMessage fills every scalar and repeated field
// (defaults when absent: 0, 0n, false, "", empty bytes, []); absent messages stay undefined.
export type ProtoScalar = number | bigint | boolean | string | Uint8Array;
export type ProtoFieldValue = ProtoScalar | ProtoMessage | readonly ProtoScalar[] | readonly ProtoMessage[];
export interface ProtoMessage {
  [field: string]: ProtoFieldValue | undefined;
}
