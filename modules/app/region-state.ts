// Which region the hotspot works in, and where that knowledge comes from. It starts UNKNOWN (or at
// the configured fallback); the config service's signed answer makes it "asserted". Without a region
// no band is known to be legal, so the radio stays off; the reason is always available in words.
import type { RegionParamsResult } from "../region/config-client.js";
import { isRegionName, regionPlan } from "../region/plans.js";
import type { RegionName, RegionPlan } from "../region/plan-types.js";
import { REGION } from "../proto/schema.js";
import type { ProtoMessage } from "../proto/values.js";
import type { RegionSource } from "../web/status.js";

/** helium.region UNKNOWN. */
const REGION_UNKNOWN = REGION.UNKNOWN;

export interface AssertedParams {
  /** Encoded blockchain_region_params_v1 as served (beacon derivation takes these bytes). */
  bytes: Uint8Array;
  /** Asserted antenna gain, dBi x 10. */
  gainX10: number;
  /** The config service's timestamp, Unix seconds. */
  timestampSeconds: number;
  /** Highest max_eirp in the params, dBm x 10 (undefined when the params list no channel). */
  maxEirpX10: number | undefined;
}

export interface ActiveRegion {
  /** helium.region name, e.g. "EU868". */
  name: string;
  /** helium.region value. */
  code: number;
  source: Exclude<RegionSource, "unknown">;
  /** The radio's channel plan; undefined when this firmware has none for the region (EU433, CN470, ...). */
  plan: RegionPlan | undefined;
  params: AssertedParams | undefined;
}

const NAMES = new Map<number, string>(Object.entries(REGION).map(([name, code]) => [code, name]));

export function regionName(code: number): string {
  return NAMES.get(code) ?? `region ${code}`;
}

export class RegionState {
  #active: ActiveRegion | undefined;

  constructor(
    fallback: RegionName | null,
    private readonly subBand: number,
  ) {
    if (fallback !== null) this.#active = this.#make(fallback, REGION[fallback], "fallback", undefined);
  }

  get active(): ActiveRegion | undefined {
    return this.#active;
  }

  get source(): RegionSource {
    return this.#active?.source ?? "unknown";
  }

  /** helium.region value for packet_up: UNKNOWN until a region is known. */
  get code(): number {
    return this.#active?.code ?? REGION_UNKNOWN;
  }

  /** The radio's plan, when the radio may run. */
  get plan(): RegionPlan | undefined {
    return this.#active?.plan;
  }

  /** A config-service answer. Returns true when the radio plan changed (the radio must restart). */
  asserted(result: RegionParamsResult): boolean {
    const name = regionName(result.region);
    const before = this.#active?.plan;
    const params: AssertedParams = {
      bytes: result.paramsBytes,
      gainX10: result.gain,
      timestampSeconds: result.timestamp,
      maxEirpX10: maxEirpX10(result.params),
    };
    this.#active = this.#make(name, result.region, "asserted", params, before?.name === name ? before : undefined);
    return this.#active.plan !== before;
  }

  /**
   * The conducted power for a downlink, dBm: the EIRP limit (the asserted params' max_eirp, else the
   * plan's) minus the antenna gain (asserted, else configured). The radio clamps it to the board.
   */
  downlinkPowerDbm(configuredGainDbi: number): number | undefined {
    const a = this.#active;
    if (a === undefined) return undefined;
    const p = a.params;
    if (p?.maxEirpX10 !== undefined) return Math.floor((p.maxEirpX10 - p.gainX10) / 10);
    if (a.plan === undefined) return undefined;
    return Math.floor(a.plan.maxEirpDbm - configuredGainDbi);
  }

  /** Why the radio, routing or PoC is held back because of the region; null when nothing is. */
  reason(): string | null {
    const a = this.#active;
    if (a === undefined) {
      return "Region unknown: the radio stays off (no band is known to be legal here), so no uplinks are heard or routed, no downlinks sent and no beacons. Set region.fallback in the config, or wait for the config service to name the asserted region.";
    }
    if (a.plan === undefined) return `Region ${a.name} has no radio plan in this firmware: the radio stays off.`;
    if (a.source === "fallback") {
      return `Fallback region ${a.name} from the config, not yet confirmed by the config service: uplinks and downlinks run; beacons and witnesses wait for the asserted region params.`;
    }
    return null;
  }

  #make(name: string, code: number, source: ActiveRegion["source"], params: AssertedParams | undefined, plan?: RegionPlan): ActiveRegion {
    const radioPlan = plan ?? (isRegionName(name) ? regionPlan(name, { subBand: this.subBand }) : undefined);
    return { name, code, source, plan: radioPlan, params };
  }
}

function maxEirpX10(params: ProtoMessage): number | undefined {
  const list = (params.region_params as ProtoMessage[] | undefined) ?? [];
  let max: number | undefined;
  for (const p of list) {
    const v = Number(p.max_eirp ?? 0);
    if (max === undefined || v > max) max = v;
  }
  return max;
}
