// The devnet config service: `helium.iot_config.gateway/region_params` as iot-config answers it
// (helium-protocol.md 4.8): the request is verified with the gateway key; the asserted region and gain
// are used when the gateway is known, else the request's region and gain 0; the response is signed
// by the devnet config key over its canonical encoding (signature empty, signer included).
import * as grpc from "@grpc/grpc-js";
import { decode, encode, isCanonical, signedBytes, type Plain } from "./proto.js";
import { heliumAddress, sign, verify, type DevnetKeypair } from "./keys.js";
import { regionParams } from "./regions.js";

const REQ = "helium.iot_config.gateway_region_params_req_v1";
const RES = "helium.iot_config.gateway_region_params_res_v1";

export interface Assertion {
  region: number;
  /** Antenna gain, dBi × 10. */
  gain: number;
  lat?: number;
  lon?: number;
}

export interface ConfigRequestRecord {
  gateway: string;
  region: number;
  outcome: "ok" | "bad_signature" | "no_plan" | "undecodable" | "non_canonical";
  at: number;
}

export class ConfigService {
  readonly requests: ConfigRequestRecord[] = [];
  /** Asserted gateways by Helium address. */
  readonly assertions = new Map<string, Assertion>();
  /** Region plans served instead of the historical ones (the simulator's single-channel plan). */
  readonly plans = new Map<number, Plain>();

  constructor(readonly key: DevnetKeypair) {}

  assert(address: string, assertion: Assertion): void {
    this.assertions.set(address, assertion);
  }

  /** Serves `params` (a blockchain_region_params_v1) for `region` from now on. */
  setRegionParams(region: number, params: Plain): void {
    this.plans.set(region, params);
  }

  /** The grpc-js handler for `region_params` (raw bytes in and out). */
  readonly regionParams = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void => {
    let req: Plain;
    try {
      req = decode(REQ, call.request);
    } catch {
      this.record("", 0, "undecodable");
      return callback({ code: grpc.status.INVALID_ARGUMENT, details: "undecodable request" });
    }
    if (!isCanonical(REQ, call.request)) {
      this.record("", Number(req.region ?? 0), "non_canonical");
      return callback({ code: grpc.status.INVALID_ARGUMENT, details: "request is not canonical proto3" });
    }
    const gateway = req.address instanceof Uint8Array ? req.address : new Uint8Array(0);
    const address = gateway.length === 33 ? heliumAddress(gateway) : "";
    const signature = req.signature instanceof Uint8Array ? req.signature : new Uint8Array(0);
    if (verify(gateway, signedBytes(REQ, req), signature) !== "valid") {
      this.record(address, Number(req.region ?? 0), "bad_signature");
      return callback({ code: grpc.status.PERMISSION_DENIED, details: "invalid request signature" });
    }
    const asserted = this.assertions.get(address);
    const region = asserted?.region ?? Number(req.region ?? 0);
    const params = this.plans.get(region) ?? regionParams(region);
    if (!params) {
      this.record(address, region, "no_plan");
      return callback({ code: grpc.status.NOT_FOUND, details: `no region params for region ${region}` });
    }
    const response: Plain = {
      region,
      params,
      gain: String(asserted?.gain ?? 0),
      timestamp: String(Math.floor(Date.now() / 1000)),
      signer: this.key.publicKeyBin,
    };
    response.signature = sign(this.key, signedBytes(RES, response));
    this.record(address, region, "ok");
    callback(null, Buffer.from(encode(RES, response)));
  };

  private record(gateway: string, region: number, outcome: ConfigRequestRecord["outcome"]): void {
    this.requests.push({ gateway, region, outcome, at: Date.now() });
    if (this.requests.length > 10000) this.requests.shift();
  }
}
