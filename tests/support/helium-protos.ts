// Test-only: the hand-written devnet/proto files loaded with protobufjs (an independent codec),
// and @helium/proto@2.2.0's generated static codecs, for cross-checking our encoder and schema.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

export const PROTO_DIR = fileURLToPath(new URL("../../../../devnet/proto/", import.meta.url));

export const PROTO_FILES = [
  "service/packet_router.proto",
  "service/poc_lora.proto",
  "service/iot_config.proto",
  "service/poc_entropy.proto",
  "blockchain_txn.proto",
];

/** Loads our .proto files; keepCase keeps the proto field names (snake_case). */
export function loadOurProtos(keepCase = true): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => PROTO_DIR + target;
  root.loadSync(PROTO_FILES, { keepCase });
  root.resolveAll();
  return root;
}

/** Fields upstream added after the npm build of @helium/proto 2.2.0. */
export const NEWER_THAN_NPM: Record<string, string[]> = {
  "helium.packet_router.packet_router_register_v1": ["session_capable", "packet_ack_interval"],
  "helium.packet_router.envelope_up_v1": ["session_init"],
  "helium.packet_router.envelope_down_v1": ["session_offer", "packet_ack"],
};
/** Envelopes of which we declare only the members the hotspot uses. */
export const PARTIAL = new Set(["helium.blockchain_txn"]);
/** Messages that are not in @helium/proto 2.2.0 at all (also post-2.2.0). */
export const NOT_IN_NPM = new Set([
  "helium.packet_router.packet_router_session_offer_v1",
  "helium.packet_router.packet_router_session_init_v1",
  "helium.packet_router.packet_router_packet_ack_v1",
  "helium.poc_lora.lora_stream_session_offer_v1",
  "helium.poc_lora.lora_stream_session_init_v1",
  "helium.poc_lora.lora_stream_request_v1",
  "helium.poc_lora.lora_stream_response_v1",
]);

/** A generated static codec class of @helium/proto (protobufjs 6 static module). */
export interface StaticCodec {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  fromObject(object: object): object;
  toObject(message: object, options?: object): Record<string, unknown>;
}

const heliumProto = createRequire(import.meta.url)("@helium/proto") as Record<string, unknown>;

/** Looks up `helium.poc_lora.lora_witness_report_req_v1` etc. in @helium/proto; undefined if absent. */
export function heliumStatic(fullName: string): StaticCodec | undefined {
  let node: unknown = heliumProto;
  for (const part of fullName.split(".")) {
    if (node === undefined || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "function" && "encode" in node ? (node as unknown as StaticCodec) : undefined;
}

/** The enum object of @helium/proto (name -> number), e.g. `helium.data_rate`. */
export function heliumEnum(fullName: string): Record<string, number> | undefined {
  let node: unknown = heliumProto;
  for (const part of fullName.split(".")) node = node === undefined ? undefined : (node as Record<string, unknown>)[part];
  return node as Record<string, number> | undefined;
}

/**
 * The fields @helium/proto writes for a message, read from its generated encode function:
 * each `writer.uint32(/* id N, wireType W *\/...).method(message.prop)` line names the field
 * number, wire type, writer method (the proto scalar type) and property; nested messages show
 * `$root.<full name>.encode(...)`.
 */
export interface StaticField {
  id: number;
  wireType: number;
  method: string; // proto scalar type, or "message:<full name>"
  prop: string; // camelCase property name
  repeated: boolean;
}
export function heliumStaticFields(codec: StaticCodec): StaticField[] {
  const fields: StaticField[] = [];
  for (const line of codec.encode.toString().split("\n")) {
    const id = /id (\d+), wireType (\d+)/.exec(line);
    if (!id) continue;
    const nested = /\$root\.([\w.]+)\.encode\(message\.(\w+)(\[i\])?/.exec(line);
    const scalar = /\)\.(\w+)\(message\.(\w+)(\[i\])?\)/.exec(line);
    const m = nested ?? scalar;
    if (!m) throw new Error(`unparsed encode line: ${line.trim()}`);
    fields.push({
      id: Number(id[1]),
      wireType: Number(id[2]),
      method: nested ? `message:${m[1]}` : m[1],
      prop: m[2],
      repeated: m[3] !== undefined,
    });
  }
  return fields;
}
