// The project's oracle vectors (tests/vectors/oracle-vectors.json, a copy of the shared file with
// each entry's provenance), read from the source tree so a fresh clone has them.
import { readFileSync } from "node:fs";

export const VECTORS: Record<string, any> = JSON.parse(readFileSync(new URL("../../../../tests/vectors/oracle-vectors.json", import.meta.url), "utf8")).vectors;
