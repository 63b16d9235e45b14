// The wasm2c path: the committed C in native/ is exactly what wasm2c 1.0.32 makes of build/core.wasm,
// and the export list that drives the XS binding is read correctly from wasm2c's header.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CORE_WASM, NATIVE_DIR, NativeGenError, ROOT, generate, parseHeader, staleFiles } from "../tools/gen-native.js";

test("native/core.c, core.h and core_exports.h are what wasm2c makes of build/core.wasm", () => {
  const stale = staleFiles(generate(CORE_WASM, "core"), NATIVE_DIR);
  assert.deepEqual(stale, [], `native/ is stale (${stale.join(", ")}): run \`npm run build:native\` and commit native/`);
});

test("the export list follows wasm2c's header for every value type, imports and memory", () => {
  const dir = mkdtempSync(join(tmpdir(), "probe-"));
  try {
    const wasm = join(dir, "probe.wasm");
    execFileSync("wat2wasm", [join(ROOT, "tests", "native", "probe.wat"), "-o", wasm]);
    const { api, files } = generate(wasm, "probe");
    // Expected signatures are the ones written in probe.wat.
    assert.deepEqual(
      api.functions.map((f) => `${f.name}:${f.mangled}(${f.params.join(",")})${f.result}`),
      [
        "load:load(I32)I32",
        "store:store(I32,I32)VOID",
        "div:div(I32,I32)I32",
        "recurse:recurse(I32)I32",
        "call_unary:call_unary(I32,I32)I32",
        "abort:abort()VOID",
        "unreachable:unreachable()VOID",
        "add64:add64(I64,I64)I64",
        "mix:mix(F32,F64)F64",
        "sum12:sum12(I32,I32,I32,I32,I32,I32,I32,I32,I32,I32,I32,I32)I32",
      ],
    );
    assert.deepEqual(api.imports, ["env.abort"]);
    assert.equal(api.importedModules, 1);
    assert.equal(api.memory, "memory");
    assert.match(files["probe_exports.h"], /^WASM_XS_IMPORT_ARGS\(, NULL\)$/m);
    assert.match(files["probe_exports.h"], /^WASM_XS_EXPORT12\(sum12, "sum12", I32(, I32){12}\)$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("imports the device runtime does not implement are refused by name", () => {
  const header = [
    "void Z_m_instantiate(Z_m_instance_t*, struct Z_env_instance_t*);",
    "/* import: 'env' 'seed' */",
    "f64 Z_envZ_seed(struct Z_env_instance_t*);",
  ].join("\n");
  assert.throws(() => parseHeader(header, "m"), (e: unknown) => e instanceof NativeGenError && /env\.seed/.test(e.message));
});

test("export names wasm2c has to mangle keep their wasm name for JS", () => {
  const header = ["/* export: 'CamelZ' */", "u32 Z_mZ_CamelZ5A(Z_m_instance_t*, u32);"].join("\n");
  assert.deepEqual(parseHeader(header, "m").functions, [{ name: "CamelZ", mangled: "CamelZ5A", result: "I32", params: ["I32"] }]);
});
