// The Helium messages the hotspot sends and receives, as data: names, numbers, types, repetition
// and oneofs exactly as devnet/proto/*.proto (and upstream helium/proto) declare them.
// tests/proto-schema-ts.test.ts proves this table equals those .proto files field by field.
import { deepFreeze } from "../util/freeze.js";

export type ScalarType =
  | "double" | "float" | "int32" | "int64" | "uint32" | "uint64" | "sint32" | "sint64"
  | "fixed32" | "fixed64" | "sfixed32" | "sfixed64" | "bool" | "string" | "bytes";

export interface FieldSpec {
  readonly name: string;
  readonly number: number;
  readonly type: ScalarType | "enum" | "message";
  /** Enum or message name (a key of Schema.enums / Schema.messages) when type is enum or message. */
  readonly ref?: string;
  readonly repeated: boolean;
  /** The oneof this field belongs to, if any. */
  readonly oneof?: string;
}

export interface MessageSpec {
  readonly name: string;
  readonly fullName: string;
  /** In ascending field-number order. */
  readonly fields: readonly FieldSpec[];
}

export interface EnumSpec {
  readonly name: string;
  readonly fullName: string;
  readonly values: Readonly<Record<string, number>>;
}

export interface Schema {
  readonly messages: Readonly<Record<string, MessageSpec>>;
  readonly enums: Readonly<Record<string, EnumSpec>>;
}

const SCALARS: ReadonlySet<string> = new Set([
  "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
  "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
]);

/** `[number, name, type]` with type a scalar name, `enum:<name>` or `message:<name>`. */
export type FieldDecl = readonly [number, string, string, { repeated?: boolean; oneof?: string }?];

/** Builds a schema, checking that numbers ascend without duplicates and that every ref exists. */
export function defineSchema(
  enums: Readonly<Record<string, { fullName: string; values: Record<string, number> }>>,
  messages: Readonly<Record<string, { fullName: string; fields: readonly FieldDecl[] }>>,
): Schema {
  const outEnums: Record<string, EnumSpec> = {};
  for (const [name, e] of Object.entries(enums)) outEnums[name] = { name, fullName: e.fullName, values: e.values };
  const outMessages: Record<string, MessageSpec> = {};
  for (const [name, m] of Object.entries(messages)) {
    let last = 0;
    const fields = m.fields.map(([number, fieldName, type, opts]): FieldSpec => {
      if (!Number.isInteger(number) || number <= last || number > 0x1fffffff) {
        throw new Error(`schema: ${name}.${fieldName} number ${number} is not ascending`);
      }
      last = number;
      const [kind, ref] = type.includes(":") ? type.split(":") : [type, undefined];
      if (kind === "enum" ? !(ref! in enums) : kind === "message" ? !(ref! in messages) : !SCALARS.has(kind)) {
        throw new Error(`schema: ${name}.${fieldName} has unknown type ${type}`);
      }
      // The core omits zero scalars, which is wrong for a scalar oneof member (it has presence).
      if (opts?.oneof && (kind !== "message" || opts.repeated)) {
        throw new Error(`schema: ${name}.${fieldName}: only single message fields may be oneof members`);
      }
      return { name: fieldName, number, type: kind as FieldSpec["type"], ref, repeated: opts?.repeated ?? false, oneof: opts?.oneof };
    });
    outMessages[name] = { name, fullName: m.fullName, fields };
  }
  return { messages: outMessages, enums: outEnums };
}

export const DATA_RATE = {
  SF12BW125: 0, SF11BW125: 1, SF10BW125: 2, SF9BW125: 3, SF8BW125: 4, SF7BW125: 5,
  SF12BW250: 6, SF11BW250: 7, SF10BW250: 8, SF9BW250: 9, SF8BW250: 10, SF7BW250: 11,
  SF12BW500: 12, SF11BW500: 13, SF10BW500: 14, SF9BW500: 15, SF8BW500: 16, SF7BW500: 17,
  LRFHSS1BW137: 18, LRFHSS2BW137: 19, LRFHSS1BW336: 20, LRFHSS2BW336: 21, LRFHSS1BW1523: 22,
  LRFHSS2BW1523: 23, FSK50: 24,
} as const;

export const REGION = Object.freeze({
  US915: 0, EU868: 1, EU433: 2, CN470: 3, CN779: 4, AU915: 5, AS923_1: 6, KR920: 7, IN865: 8,
  AS923_2: 9, AS923_3: 10, AS923_4: 11, AS923_1B: 12, CD900_1A: 13, RU864: 14, EU868_A: 15,
  EU868_B: 16, EU868_C: 17, EU868_D: 18, EU868_E: 19, EU868_F: 20, AU915_SB1: 21, AU915_SB2: 22,
  AS923_1A: 23, AS923_1C: 24, AS923_1D: 25, AS923_1E: 26, AS923_1F: 27, UNKNOWN: 99,
} as const);

export const REGION_SPREADING = { SF_INVALID: 0, SF7: 1, SF8: 2, SF9: 3, SF10: 4, SF11: 5, SF12: 6 } as const;

const PR = "helium.packet_router.";
const POC = "helium.poc_lora.";

export const HELIUM_SCHEMA: Schema = deepFreeze(defineSchema(
  {
    data_rate: { fullName: "helium.data_rate", values: DATA_RATE },
    region: { fullName: "helium.region", values: REGION },
    RegionSpreading: { fullName: "helium.RegionSpreading", values: REGION_SPREADING },
  },
  {
    // helium.packet_router (helium-protocol.md 4.2, 4.3)
    packet_router_packet_up_v1: {
      fullName: PR + "packet_router_packet_up_v1",
      fields: [
        [1, "payload", "bytes"], [2, "timestamp", "uint64"], [3, "rssi", "sint32"], [4, "frequency", "uint32"],
        [5, "datarate", "enum:data_rate"], [6, "snr", "float"], [7, "region", "enum:region"],
        [8, "hold_time", "uint64"], [9, "gateway", "bytes"], [10, "signature", "bytes"],
      ],
    },
    packet_router_register_v1: {
      fullName: PR + "packet_router_register_v1",
      fields: [
        [1, "timestamp", "uint64"], [2, "gateway", "bytes"], [3, "signature", "bytes"],
        [4, "session_capable", "bool"], [5, "packet_ack_interval", "uint32"],
      ],
    },
    packet_router_session_offer_v1: { fullName: PR + "packet_router_session_offer_v1", fields: [[1, "nonce", "bytes"]] },
    packet_router_session_init_v1: {
      fullName: PR + "packet_router_session_init_v1",
      fields: [[1, "gateway", "bytes"], [2, "nonce", "bytes"], [3, "session_key", "bytes"], [4, "signature", "bytes"]],
    },
    packet_router_packet_ack_v1: { fullName: PR + "packet_router_packet_ack_v1", fields: [[1, "payload_hash", "bytes"]] },
    envelope_up_v1: {
      fullName: PR + "envelope_up_v1",
      fields: [
        [1, "register", "message:packet_router_register_v1", { oneof: "data" }],
        [2, "packet", "message:packet_router_packet_up_v1", { oneof: "data" }],
        [3, "session_init", "message:packet_router_session_init_v1", { oneof: "data" }],
      ],
    },
    window_v1: {
      fullName: PR + "window_v1",
      fields: [[1, "timestamp", "uint64"], [2, "frequency", "uint32"], [3, "datarate", "enum:data_rate"], [4, "immediate", "bool"]],
    },
    packet_router_packet_down_v1: {
      fullName: PR + "packet_router_packet_down_v1",
      fields: [[1, "payload", "bytes"], [2, "rx1", "message:window_v1"], [3, "rx2", "message:window_v1"]],
    },
    envelope_down_v1: {
      fullName: PR + "envelope_down_v1",
      fields: [
        [1, "packet", "message:packet_router_packet_down_v1", { oneof: "data" }],
        [2, "session_offer", "message:packet_router_session_offer_v1", { oneof: "data" }],
        [3, "packet_ack", "message:packet_router_packet_ack_v1", { oneof: "data" }],
      ],
    },
    // helium.poc_lora (3.3, 3.4, 3.6)
    lora_beacon_report_req_v1: {
      fullName: POC + "lora_beacon_report_req_v1",
      fields: [
        [2, "pub_key", "bytes"], [3, "local_entropy", "bytes"], [4, "remote_entropy", "bytes"], [5, "data", "bytes"],
        [6, "frequency", "uint64"], [7, "channel", "int32"], [8, "datarate", "enum:data_rate"], [9, "tx_power", "int32"],
        [10, "timestamp", "uint64"], [11, "signature", "bytes"], [12, "tmst", "uint32"],
      ],
    },
    lora_beacon_report_resp_v1: { fullName: POC + "lora_beacon_report_resp_v1", fields: [[1, "id", "string"]] },
    lora_witness_report_req_v1: {
      fullName: POC + "lora_witness_report_req_v1",
      fields: [
        [2, "pub_key", "bytes"], [3, "data", "bytes"], [4, "timestamp", "uint64"], [5, "tmst", "uint32"],
        [6, "signal", "sint32"], [7, "snr", "int32"], [8, "frequency", "uint64"], [10, "datarate", "enum:data_rate"],
        [11, "signature", "bytes"],
      ],
    },
    lora_witness_report_resp_v1: { fullName: POC + "lora_witness_report_resp_v1", fields: [[1, "id", "string"]] },
    lora_stream_session_offer_v1: { fullName: POC + "lora_stream_session_offer_v1", fields: [[1, "nonce", "bytes"]] },
    lora_stream_session_init_v1: {
      fullName: POC + "lora_stream_session_init_v1",
      fields: [[1, "pub_key", "bytes"], [2, "nonce", "bytes"], [3, "session_key", "bytes"], [4, "signature", "bytes"]],
    },
    lora_stream_request_v1: {
      fullName: POC + "lora_stream_request_v1",
      fields: [
        [1, "beacon_report", "message:lora_beacon_report_req_v1", { oneof: "request" }],
        [2, "witness_report", "message:lora_witness_report_req_v1", { oneof: "request" }],
        [3, "session_init", "message:lora_stream_session_init_v1", { oneof: "request" }],
      ],
    },
    lora_stream_response_v1: {
      fullName: POC + "lora_stream_response_v1",
      fields: [[1, "offer", "message:lora_stream_session_offer_v1", { oneof: "response" }]],
    },
    // helium.iot_config gateway service (4.8)
    gateway_region_params_req_v1: {
      fullName: "helium.iot_config.gateway_region_params_req_v1",
      fields: [[1, "region", "enum:region"], [2, "address", "bytes"], [3, "signature", "bytes"]],
    },
    gateway_region_params_res_v1: {
      fullName: "helium.iot_config.gateway_region_params_res_v1",
      fields: [
        [1, "region", "enum:region"], [2, "params", "message:blockchain_region_params_v1"], [3, "gain", "uint64"],
        [4, "signature", "bytes"], [5, "timestamp", "uint64"], [6, "signer", "bytes"],
      ],
    },
    // entropy service (2.3)
    entropy_req_v1: { fullName: "helium.poc_entropy.entropy_req_v1", fields: [] },
    entropy_report_v1: {
      fullName: "helium.entropy_report_v1",
      fields: [[1, "data", "bytes"], [2, "timestamp", "uint64"], [3, "version", "uint32"]],
    },
    // region plans (7.1)
    tagged_spreading: {
      fullName: "helium.tagged_spreading",
      fields: [[1, "region_spreading", "enum:RegionSpreading"], [2, "max_packet_size", "uint32"]],
    },
    blockchain_region_spreading_v1: {
      fullName: "helium.blockchain_region_spreading_v1",
      fields: [[1, "tagged_spreading", "message:tagged_spreading", { repeated: true }]],
    },
    blockchain_region_param_v1: {
      fullName: "helium.blockchain_region_param_v1",
      fields: [
        [1, "channel_frequency", "uint64"], [2, "bandwidth", "uint32"], [3, "max_eirp", "uint32"],
        [4, "spreading", "message:blockchain_region_spreading_v1"],
      ],
    },
    blockchain_region_params_v1: {
      fullName: "helium.blockchain_region_params_v1",
      fields: [[1, "region_params", "message:blockchain_region_param_v1", { repeated: true }]],
    },
    // onboarding (6)
    blockchain_txn_add_gateway_v1: {
      fullName: "helium.blockchain_txn_add_gateway_v1",
      fields: [
        [1, "owner", "bytes"], [2, "gateway", "bytes"], [3, "owner_signature", "bytes"], [4, "gateway_signature", "bytes"],
        [5, "payer", "bytes"], [6, "payer_signature", "bytes"], [7, "staking_fee", "uint64"], [8, "fee", "uint64"],
      ],
    },
    blockchain_txn: {
      fullName: "helium.blockchain_txn",
      fields: [[1, "add_gateway", "message:blockchain_txn_add_gateway_v1", { oneof: "txn" }]],
    },
  },
));

/** Message names of HELIUM_SCHEMA, e.g. for a CLI's usage text. */
export const HELIUM_MESSAGE_NAMES: readonly string[] = Object.freeze(Object.keys(HELIUM_SCHEMA.messages));
