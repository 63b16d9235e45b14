// Typed errors of the compute core, as the TypeScript side sees them. The numeric codes mirror
// assembly/errors.ts (a test checks that every code there has a name here).

/** Code names by the negative i32 a core export returns. */
const CODE_NAMES: Record<number, string> = Object.freeze({
  [-1]: "BAD_LENGTH",
  [-2]: "BAD_INPUT",
  [-3]: "BAD_CHECKSUM",
  [-4]: "BAD_TAG",
  [-5]: "BAD_POINT",
  [-6]: "NON_CANONICAL",
  [-7]: "NO_SPACE",
  [-8]: "TRUNCATED",
  [-9]: "BAD_WIRE_TYPE",
  [-10]: "UNSUPPORTED",
  [-20]: "FIELD_ORDER",
  [-21]: "DUPLICATE_FIELD",
  [-22]: "LIMIT",
  [-30]: "NO_REGION_PARAMS",
  [-31]: "NO_SPREADING",
  [-32]: "NO_DATARATE",
  [-33]: "BAD_POWER",
});

const DESCRIPTIONS: Record<string, string> = Object.freeze({
  BAD_LENGTH: "an input has the wrong length",
  BAD_INPUT: "malformed input",
  BAD_CHECKSUM: "checksum mismatch",
  BAD_TAG: "unknown key type or network tag",
  BAD_POINT: "not a valid Ed25519 point",
  NON_CANONICAL: "non-canonical encoding",
  NO_SPACE: "the output does not fit",
  TRUNCATED: "input ends in the middle of a value",
  BAD_WIRE_TYPE: "protobuf wire type not allowed here",
  UNSUPPORTED: "not supported by the core",
  FIELD_ORDER: "protobuf field numbers out of ascending order",
  DUPLICATE_FIELD: "a non-repeated protobuf field given twice",
  LIMIT: "a fixed limit of the core exceeded",
  NO_REGION_PARAMS: "the region params hold no channel",
  NO_SPREADING: "no spreading of the region params fits the beacon",
  NO_DATARATE: "the spreading and bandwidth name no data rate",
  BAD_POWER: "conducted power below 0 dBm (max EIRP under the antenna gain)",
  TOO_LARGE: "input larger than the core accepts in one call",
  TRAP: "the core trapped (a bug in the core)",
});

/** The name of a core error code, e.g. -3 -> "BAD_CHECKSUM"; unknown codes keep their number. */
export function coreErrorName(code: number): string {
  return CODE_NAMES[code] ?? `CODE_${code}`;
}

/** All numeric codes the binding knows, for the mirror check against assembly/errors.ts. */
export function knownCoreErrorCodes(): number[] {
  return Object.keys(CODE_NAMES).map(Number);
}

/**
 * A failure reported by the core. `code` is the code name ("BAD_CHECKSUM", ...), `operation` the
 * Core method that failed. Binding-side failures use the names TOO_LARGE and TRAP.
 */
export class CoreError extends Error {
  override name = "CoreError";
  readonly code: string;
  readonly operation: string;

  constructor(code: string | number, operation: string, detail?: string) {
    const name = typeof code === "number" ? coreErrorName(code) : code;
    super(`${operation}: ${detail ?? DESCRIPTIONS[name] ?? name} (${name})`);
    this.code = name;
    this.operation = operation;
  }
}
