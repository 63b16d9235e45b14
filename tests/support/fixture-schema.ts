// Test-only: a message with every scalar type, packed and repeated fields, nesting, a oneof,
// a negative enum value and the largest field number, as .proto text (for protobufjs) and as our schema.
import { defineSchema, type Schema } from "../../modules/proto/schema.js";

export const FIXTURE_PROTO = `
syntax = "proto3";
package fixture;
enum color { NONE = 0; RED = 1; NEGATIVE = -3; }
message inner { int32 a = 1; repeated string s = 2; inner_most deeper = 3; }
message inner_most { sint64 z = 1; }
message all_types {
  double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;
  sint32 s32 = 7; sint64 s64 = 8; fixed32 fx32 = 9; fixed64 fx64 = 10; sfixed32 sf32 = 11;
  sfixed64 sf64 = 12; bool b = 13; string s = 14; bytes by = 15; color en = 16; inner msg = 17;
  repeated int32 r_i32 = 18; repeated double r_d = 19; repeated bool r_b = 20; repeated sint64 r_s64 = 21;
  repeated fixed32 r_fx32 = 22; repeated color r_en = 23; repeated bytes r_by = 24; repeated string r_s = 25;
  repeated inner r_msg = 26; repeated uint64 r_u64 = 27; repeated float r_f = 28; repeated sfixed64 r_sf64 = 29;
  oneof choice { inner c1 = 30; inner_most c2 = 31; }
  uint32 last = 536870911;
}`;

export const FIXTURE_SCHEMA: Schema = defineSchema(
  { color: { fullName: "fixture.color", values: { NONE: 0, RED: 1, NEGATIVE: -3 } } },
  {
    inner: { fullName: "fixture.inner", fields: [[1, "a", "int32"], [2, "s", "string", { repeated: true }], [3, "deeper", "message:inner_most"]] },
    inner_most: { fullName: "fixture.inner_most", fields: [[1, "z", "sint64"]] },
    all_types: {
      fullName: "fixture.all_types",
      fields: [
        [1, "d", "double"], [2, "f", "float"], [3, "i32", "int32"], [4, "i64", "int64"], [5, "u32", "uint32"],
        [6, "u64", "uint64"], [7, "s32", "sint32"], [8, "s64", "sint64"], [9, "fx32", "fixed32"], [10, "fx64", "fixed64"],
        [11, "sf32", "sfixed32"], [12, "sf64", "sfixed64"], [13, "b", "bool"], [14, "s", "string"], [15, "by", "bytes"],
        [16, "en", "enum:color"], [17, "msg", "message:inner"],
        [18, "r_i32", "int32", { repeated: true }], [19, "r_d", "double", { repeated: true }], [20, "r_b", "bool", { repeated: true }],
        [21, "r_s64", "sint64", { repeated: true }], [22, "r_fx32", "fixed32", { repeated: true }],
        [23, "r_en", "enum:color", { repeated: true }], [24, "r_by", "bytes", { repeated: true }],
        [25, "r_s", "string", { repeated: true }], [26, "r_msg", "message:inner", { repeated: true }],
        [27, "r_u64", "uint64", { repeated: true }], [28, "r_f", "float", { repeated: true }],
        [29, "r_sf64", "sfixed64", { repeated: true }],
        [30, "c1", "message:inner", { oneof: "choice" }], [31, "c2", "message:inner_most", { oneof: "choice" }],
        [536870911, "last", "uint32"],
      ],
    },
  },
);

