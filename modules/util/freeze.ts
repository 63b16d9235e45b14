// Constant tables are frozen. On the device every module is preloaded: the Moddable SDK's linker
// (xsl) keeps module-level objects in flash, and one that is not frozen costs a RAM alias and is
// copied into RAM when written (xsl reports it "not frozen"). Frozen, a table stays in flash.

/**
 * Freezes `value` and every object and array reachable from it, and returns it. Typed arrays and
 * ArrayBuffers are left as they are (they cannot be frozen; xsl makes preloaded ones read-only).
 * The type stays as declared: declare tables `readonly` so that writes are also refused by tsc.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return Object.freeze(value);
}
