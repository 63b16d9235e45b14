// The XS globals the firmware uses (Moddable's xs/includes/xs.d.ts declares them on the device
// build; this is our own declaration of just what we use, for the platform-neutral type-check).

/** Returns the host function implemented in C under `name` (xsc requires a string literal). */
declare function native(name: string): (this: unknown, ...args: any[]) => any;

/** Writes to the serial console / xsbug (no newline added). */
declare function trace(...values: unknown[]): void;
