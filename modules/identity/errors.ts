// Errors of the identity layer: a named class with a machine-readable reason, so callers (the CLI,
// the management API) can report exactly what is wrong with a key, a file or an address.

export type IdentityErrorReason =
  | "bad-seed"
  | "bad-key-file"
  | "unsupported-key-type"
  | "inconsistent-key-file"
  | "bad-address";

export class IdentityError extends Error {
  override name = "IdentityError";
  readonly reason: IdentityErrorReason;

  constructor(reason: IdentityErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
