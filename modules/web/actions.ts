// What admins can make the hotspot do through the API. The app implements this; the web module
// authenticates, validates the request shape and reports results.

export interface FieldError {
  /** JSON path of the offending field, e.g. "radio.listenPlan.frequency"; "(body)" for the whole body. */
  field: string;
  reason: string;
}

export type ConfigResult = { ok: true; config: Record<string, unknown> } | { ok: false; errors: FieldError[] };

export interface AddGatewayResult {
  /** The gateway's Helium address. */
  address: string;
  owner: string;
  payer: string;
  /** base64 of the encoded blockchain_txn{add_gateway}, signed by the gateway key. */
  txn: string;
}

type MaybePromise<T> = T | Promise<T>;

export interface HotspotActions {
  /** Re-initialises the radio driver and returns to the listen plan. */
  restartRadio(): MaybePromise<void>;
  /**
   * Restarts the device (the simulator restarts the hotspot's app). Called once the reply has been
   * handed to the network stack: wait a moment (~0.5 s) before restarting so the reply leaves.
   */
  reboot(): MaybePromise<void>;
  /**
   * Erases config, API keys (`WebApp.keys.clear()`) and counters, keeps the gateway key, then
   * reboots. Called once the reply has been handed to the network stack, like reboot().
   */
  factoryReset(): MaybePromise<void>;
  /** The current config as the user sets it, with secrets (the Wi-Fi password) left out or masked. */
  getConfig(): MaybePromise<Record<string, unknown>>;
  /** Validates and applies a whole config; on any error nothing changes and every bad field is named. */
  putConfig(config: unknown): MaybePromise<ConfigResult>;
  /** Builds and signs the add-gateway transaction; bad owner/payer addresses are field errors. */
  addGatewayTxn(owner: string, payer: string): MaybePromise<AddGatewayResult | { errors: FieldError[] }>;
}
