// The one error type of the protobuf codec: which field (a dotted path from the message name)
// and why. Bad input from the network or a user always ends up here, never as a crash.
export class ProtoError extends Error {
  override name = "ProtoError";
  constructor(
    /** e.g. "lora_stream_request_v1.witness_report.signal" */
    readonly field: string,
    readonly reason: string,
    /** The core's error code when the core reported it. */
    readonly code?: number,
  ) {
    super(`${field}: ${reason}`);
  }
}
