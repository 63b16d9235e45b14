// Types of a LoRaWAN regional channel plan as the hotspot uses it: which channels devices
// transmit on, what each datarate index means, where and how fast the hotspot answers (RX1, RX2),
// how loud it may be and, in Europe, how often. Facts: spec/radio-and-wire.md section F.

export type RegionName =
  | "US915"
  | "EU868"
  | "AU915"
  | "AS923_1"
  | "AS923_2"
  | "AS923_3"
  | "AS923_4"
  | "KR920"
  | "IN865"
  | "RU864";

export type LoRaBandwidthKhz = 125 | 250 | 500;

/** A LoRa datarate: spreading factor and bandwidth. */
export interface LoRaDataRate {
  readonly modulation: "LORA";
  readonly spreadingFactor: number;
  readonly bandwidthKhz: LoRaBandwidthKhz;
}
/** An FSK datarate (listed so DR indices stay honest; a LoRa-only hotspot never uses it). */
export interface FskDataRate {
  readonly modulation: "FSK";
  readonly bitsPerSecond: number;
}
export type DataRate = LoRaDataRate | FskDataRate;

/** One uplink channel: its index in the region's numbering and the datarates devices may use on it. */
export interface UplinkChannel {
  readonly index: number;
  readonly frequencyHz: number;
  readonly minDataRate: number;
  readonly maxDataRate: number;
}

/** A regulatory sub-band with a transmit duty-cycle limit (fraction of time, e.g. 0.01 = 1 %). */
export interface DutyCycleSubBand {
  readonly name: string;
  /** Inclusive lower edge, Hz. */
  readonly lowHz: number;
  /** Inclusive upper edge, Hz. */
  readonly highHz: number;
  readonly limit: number;
}

/** Where and how a downlink answers an uplink in a receive window. */
export interface WindowChannel {
  readonly frequencyHz: number;
  readonly dataRate: number;
}

export interface RegionPlan {
  readonly name: RegionName;
  /** Band edges devices and the hotspot may use, Hz (inclusive). */
  readonly bandLowHz: number;
  readonly bandHighHz: number;
  /** Datarate table: index = DR number; undefined = RFU / not defined in this region. */
  readonly dataRates: ReadonlyArray<DataRate | undefined>;
  /** LoRa DR indices devices may use for uplinks on the default channels, under the default dwell-time setting. */
  readonly uplinkDataRates: readonly number[];
  /** The enabled uplink channels (US915/AU915: one sub-band of 8 x 125 kHz + its 500 kHz channel). */
  readonly uplinkChannels: readonly UplinkChannel[];
  /** Channels a device uses for its first join requests (a subset of uplinkChannels). */
  readonly joinChannels: readonly number[];
  /** Highest RX1DROffset a network may configure. */
  readonly maxRx1DrOffset: number;
  /** RX2 defaults (frequency, DR). */
  readonly rx2: WindowChannel;
  /** Default maximum EIRP, dBm. */
  readonly maxEirpDbm: number;
  /** Antenna gain the regional max EIRP assumes, dBi (LoRaWAN regional parameters use 2.15). */
  readonly referenceAntennaGainDbi: number;
  /** Sub-bands with duty-cycle limits; empty where the region has none. */
  readonly dutyCycle: readonly DutyCycleSubBand[];
  /** RECEIVE_DELAY1/2 and JOIN_ACCEPT_DELAY1/2, µs. */
  readonly delays: { readonly rx1: number; readonly rx2: number; readonly join1: number; readonly join2: number };
  /** RX1 frequency for an uplink at `uplinkFrequencyHz`; undefined when that is not one of the region's uplink channels. */
  rx1Frequency(uplinkFrequencyHz: number): number | undefined;
  /** RX1 DR for an uplink DR and an RX1DROffset; undefined when the pair is not allowed. */
  rx1DataRate(uplinkDataRate: number, rx1DrOffset: number): number | undefined;
}
