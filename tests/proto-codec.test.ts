// Codec behaviour beyond round trips: JSON with the CLI conventions, errors that name the field,
// decoding of valid but non-canonical input (unknown fields, unpacked repeated scalars, repeated
// message fields merged, oneof last-wins) compared with protobufjs, and what signing clears.
import { test } from "node:test";
import assert from "node:assert/strict";
import protobuf from "protobufjs";
import { decodeMessage, encodeForSigning, encodeMessage, fromJson, toJson } from "../modules/proto/codec.js";
import * as codes from "../modules/proto/core.js";
import { ProtoError } from "../modules/proto/errors.js";
import { defineSchema } from "../modules/proto/schema.js";
import type { ProtoMessage } from "../modules/proto/values.js";
import { FIXTURE_PROTO, FIXTURE_SCHEMA } from "./support/fixture-schema.js";
import { loadOurProtos } from "./support/helium-protos.js";
import { loadProtoCore } from "./support/proto-core.js";

const { core } = loadProtoCore();
const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const ours = loadOurProtos(true);
const fixture = protobuf.parse(FIXTURE_PROTO, { keepCase: true }).root;

function throwsAt(fn: () => unknown, field: string, reason?: RegExp, code?: number): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ProtoError, String(err));
    assert.equal(err.field, field);
    if (reason) assert.match(err.reason, reason);
    if (code !== undefined) assert.equal(err.code, code);
    return true;
  });
}

const GATEWAY_HEX = "01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09";

test("fromJson takes the CLI's JSON (hex bytes, enum names, 64-bit strings) and encodes the 8.7 vector", () => {
  const json = {
    pub_key: GATEWAY_HEX.toUpperCase(),
    data: "a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e",
    timestamp: "1700000000123456789", tmst: 123456789, signal: -1150, snr: -75, frequency: 867300000, datarate: "SF12BW125",
  };
  const bytes = encodeMessage(core, "lora_witness_report_req_v1", fromJson("lora_witness_report_req_v1", json));
  assert.equal(
    toHex(bytes),
    "122101b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a091a33a19ac7ec94c8cb7b4ed89ee92300cc8666c294e2c30f8c97b838e5f3d8a676af8d3c9bd53e734d40d48238e23bf077154d6e1e20959a97ece39fe7cb1728959aef3a30fb1138b5ffffffffffffffff0140a0e5c79d03",
  );
  const back = toJson("lora_witness_report_req_v1", decodeMessage(core, "lora_witness_report_req_v1", bytes));
  assert.deepEqual(back, {
    ...json, pub_key: GATEWAY_HEX, timestamp: "1700000000123456789", frequency: "867300000", signature: "",
  });
});

test("toJson/fromJson agree with protobufjs' own JSON for region params (names, nesting, repeats)", () => {
  const json = {
    region: "EU868",
    params: { region_params: [{ channel_frequency: "867100000", bandwidth: 125000, max_eirp: 161, spreading: { tagged_spreading: [{ region_spreading: "SF12", max_packet_size: 65 }] } }] },
    gain: "12", signature: "00ff", timestamp: "1700000000", signer: GATEWAY_HEX,
  };
  const value = fromJson("gateway_region_params_res_v1", json);
  const bytes = encodeMessage(core, "gateway_region_params_res_v1", value);
  const type = ours.lookupType("helium.iot_config.gateway_region_params_res_v1");
  const theirs = type.toObject(type.decode(bytes), { longs: String, enums: String, bytes: String });
  assert.equal(theirs.region, "EU868");
  assert.equal(theirs.params.region_params[0].spreading.tagged_spreading[0].region_spreading, "SF12");
  assert.equal(Buffer.from(theirs.signer, "base64").toString("hex"), GATEWAY_HEX);
  assert.deepEqual(toJson("gateway_region_params_res_v1", decodeMessage(core, "gateway_region_params_res_v1", bytes)), json);
  // enum names are also accepted in any case, and numbers too
  assert.equal(fromJson("window_v1", { datarate: "sf9bw125" }).datarate, 3);
  assert.equal(fromJson("window_v1", { datarate: 3 }).datarate, 3);
  assert.equal(fromJson("packet_router_packet_up_v1", { hold_time: 12 }).hold_time, 12n);
  assert.equal(toJson("packet_router_packet_up_v1", { snr: NaN }).snr, "NaN");
  assert.ok(Number.isNaN(fromJson("packet_router_packet_up_v1", { snr: "NaN" }).snr));
});

test("JSON errors name the field", () => {
  throwsAt(() => fromJson("lora_witness_report_req_v1", { pubKey: "00" }), "lora_witness_report_req_v1.pubKey", /unknown field/);
  throwsAt(() => fromJson("lora_witness_report_req_v1", { data: "abc" }), "lora_witness_report_req_v1.data", /odd/);
  throwsAt(() => fromJson("lora_witness_report_req_v1", { data: "zz" }), "lora_witness_report_req_v1.data", /hex/);
  throwsAt(() => fromJson("lora_witness_report_req_v1", { tmst: 2 ** 32 }), "lora_witness_report_req_v1.tmst", /range/);
  throwsAt(() => fromJson("lora_witness_report_req_v1", { timestamp: "1.5" }), "lora_witness_report_req_v1.timestamp", /integer/);
  throwsAt(() => fromJson("lora_witness_report_req_v1", { timestamp: "18446744073709551616" }), "lora_witness_report_req_v1.timestamp", /range/);
  throwsAt(() => fromJson("lora_witness_report_req_v1", { datarate: "SF13BW125" }), "lora_witness_report_req_v1.datarate", /unknown data_rate/);
  throwsAt(() => fromJson("packet_router_register_v1", { session_capable: "yes" }), "packet_router_register_v1.session_capable");
  throwsAt(
    () => fromJson("gateway_region_params_res_v1", { params: { region_params: [{}, { bandwidth: -1 }] } }),
    "gateway_region_params_res_v1.params.region_params[1].bandwidth",
  );
  throwsAt(() => fromJson("no_such_message", {}), "no_such_message", /unknown message/);
});

test("encode errors name the field", () => {
  throwsAt(() => encodeMessage(core, "window_v1", { frequency: -1 }), "window_v1.frequency", /32-bit unsigned/);
  throwsAt(() => encodeMessage(core, "window_v1", { frequency: 1.5 }), "window_v1.frequency");
  throwsAt(() => encodeMessage(core, "window_v1", { timestamp: -1n }), "window_v1.timestamp", /range/);
  throwsAt(() => encodeMessage(core, "window_v1", { timestamp: 2 ** 64 }), "window_v1.timestamp");
  throwsAt(() => encodeMessage(core, "window_v1", { immediate: 1 }), "window_v1.immediate", /boolean/);
  throwsAt(() => encodeMessage(core, "window_v1", { freq: 1 }), "window_v1.freq", /unknown field/);
  throwsAt(() => encodeMessage(core, "packet_router_packet_down_v1", { payload: "ab" }), "packet_router_packet_down_v1.payload", /Uint8Array/);
  throwsAt(() => encodeMessage(core, "packet_router_packet_down_v1", { rx1: { datarate: 2 ** 31 } }), "packet_router_packet_down_v1.rx1.datarate");
  throwsAt(
    () => encodeMessage(core, "envelope_up_v1", { register: {}, packet: {} }),
    "envelope_up_v1.packet",
    /oneof data already has register/,
  );
  throwsAt(() => encodeMessage(core, "blockchain_region_params_v1", { region_params: {} }), "blockchain_region_params_v1.region_params", /array/);
});

test("nesting is capped at 16 levels both ways", () => {
  const schema = defineSchema({}, { node: { fullName: "t.node", fields: [[1, "child", "message:node"], [2, "v", "uint32"]] } });
  const nest = (levels: number): ProtoMessage => (levels === 0 ? { v: 1 } : { child: nest(levels - 1) });
  const bytes = encodeMessage(core, "node", nest(16), schema);
  let inner = decodeMessage(core, "node", bytes, schema);
  for (let i = 0; i < 16; i++) inner = inner.child as ProtoMessage;
  assert.equal(inner.v, 1);
  throwsAt(() => encodeMessage(core, "node", nest(17), schema), "node" + ".child".repeat(17), /nested deeper than 16/);
  // 17 levels of bytes made by hand: each level wraps the previous one
  let deep = hex("1001");
  for (let i = 0; i < 17; i++) deep = Uint8Array.from([0x0a, deep.length, ...deep]);
  throwsAt(() => decodeMessage(core, "node", deep, schema), "node" + ".child".repeat(17), /nested deeper than 16/);
});

test("the core's refusals reach the caller as ProtoError with the field and the code", () => {
  // 257 nested messages (2 per channel) exceed the core's table of measured sizes
  const plan = { region_params: Array.from({ length: 129 }, () => ({ spreading: {} })) };
  throwsAt(() => encodeMessage(core, "blockchain_region_params_v1", plan), "blockchain_region_params_v1.region_params[128]", /nested/, codes.ERR_LIMIT);
});

test("decode errors name the field and the byte", () => {
  // witness field 6 (signal, sint32) sent as length-delimited
  throwsAt(() => decodeMessage(core, "lora_witness_report_req_v1", hex("3201ff")), "lora_witness_report_req_v1.signal", /wire type 2/);
  // packet_down.rx1 (field 2) whose bytes are cut inside its frequency varint
  throwsAt(
    () => decodeMessage(core, "envelope_down_v1", hex("0a0412021080")),
    "envelope_down_v1.packet.rx1.frequency",
    /truncated at byte 0/,
    codes.ERR_TRUNCATED,
  );
  throwsAt(() => decodeMessage(core, "packet_router_packet_up_v1", hex("4a05aa")), "packet_router_packet_up_v1.gateway", /truncated at byte 0/);
  throwsAt(() => decodeMessage(core, "packet_router_packet_up_v1", hex("0a00" + "0b")), "packet_router_packet_up_v1.payload", /wire type/, codes.ERR_BAD_WIRE_TYPE);
  throwsAt(() => decodeMessage(core, "packet_router_packet_up_v1", hex("0a00" + "7b")), "packet_router_packet_up_v1.#15", /wire type/);
  throwsAt(() => decodeMessage(core, "lora_beacon_report_resp_v1", hex("0a02c328")), "lora_beacon_report_resp_v1.id", /UTF-8/);
  throwsAt(() => decodeMessage(core, "lora_witness_report_req_v1", hex("00")), "lora_witness_report_req_v1", /malformed/, codes.ERR_BAD_INPUT);
});

test("valid non-canonical input decodes as protobufjs and prost read it", () => {
  // unknown fields of every wire type are skipped
  const withUnknown = hex("f80101" + "f9010102030405060708" + "fa0102abcd" + "fd0101020304" + "0801");
  assert.equal(decodeMessage(core, "window_v1", withUnknown).timestamp, 1n);
  // unpacked repeated scalars are accepted beside packed ones
  const type = fixture.lookupType("fixture.all_types");
  const unpacked = hex("9001" + "05" + "9001" + "07" + "92010208" + "09");
  assert.deepEqual(decodeMessage(core, "all_types", unpacked, FIXTURE_SCHEMA).r_i32, [5, 7, 8, 9]);
  assert.deepEqual((type.toObject(type.decode(unpacked)) as { r_i32: number[] }).r_i32, [5, 7, 8, 9]);
  // a oneof member arriving after another replaces it
  const oneof = hex("f20100" + "fa01020801");
  const decoded = decodeMessage(core, "all_types", oneof, FIXTURE_SCHEMA);
  assert.equal(decoded.c1, undefined);
  assert.deepEqual(decoded.c2, { z: -1n });
  assert.deepEqual(type.toObject(type.decode(oneof), { oneofs: true, longs: String }).choice, "c2");
  // a singular message field given twice is merged (proto spec, prost): scalars of the later part
  // win, repeated fields concatenate
  const twice = hex("8a0105" + "0801" + "12017a" + "8a0103" + "120179" + "8a0102" + "0802");
  const merged = decodeMessage(core, "all_types", twice, FIXTURE_SCHEMA).msg as ProtoMessage;
  assert.equal(merged.a, 2);
  assert.deepEqual(merged.s, ["z", "y"]);
  // the last scalar of a repeated key wins
  assert.equal(decodeMessage(core, "window_v1", hex("10011002")).frequency, 2);
});

test("signing clears exactly the signature fields", () => {
  throwsAt(() => encodeForSigning(core, "window_v1", {}), "window_v1", /no signature field/);
  const sig = new Uint8Array(64).fill(1);
  const txn = { owner: hex("01"), gateway: hex("02"), owner_signature: sig, gateway_signature: sig, payer: hex("03"), payer_signature: sig };
  assert.equal(toHex(encodeForSigning(core, "blockchain_txn_add_gateway_v1", txn)), "0a0101" + "120102" + "2a0103");
  const region = { region: 1, address: hex("01"), signature: sig };
  assert.equal(toHex(encodeForSigning(core, "gateway_region_params_req_v1", region)), "0801" + "120101");
  // the caller's object is left alone
  assert.equal(region.signature, sig);
});
