// The Moddable simulator board's key-value store (targets/sim/host/key-value.ts) on the SDK's `file`
// module, in mcsim: each step traces "kv NAME {ok: result}" or "kv NAME {error: message}", and
// tests/sdk/moddable-sim.ts compares them with the ESP32 NVS behaviour the store promises and with
// the files on disk. Plain JavaScript: the repository's TypeScript build does not see it.
import KeyValue from "embedded:storage/key-value";

function step(name, fn) {
  let outcome;
  try {
    outcome = { ok: fn() ?? null };
  } catch (e) {
    outcome = { error: `${e.name}: ${e.message}` };
  }
  trace(`kv ${name} ${JSON.stringify(outcome)}\n`);
}
const bytes = (buffer) => Array.from(new Uint8Array(buffer));

const kv = KeyValue.open({ path: "hotspot", mode: "r+", format: "buffer" });
step("missing key", () => kv.read("nothing") === undefined);
step("provisioned", () => bytes(kv.read("seeded")));
step("write", () => kv.write("cfg.a", Uint8Array.of(1, 2, 3, 4, 5)));
step("shorter overwrite", () => kv.write("cfg.a", Uint8Array.of(9)));
step("read", () => bytes(kv.read("cfg.a")));
step("empty value", () => (kv.write("empty", new Uint8Array(0)), kv.read("empty").byteLength));
step("16-character key", () => kv.write("sixteen-chars-ab", Uint8Array.of(1)));
step("string value", () => kv.write("text", "not bytes"));
step("delete", () => (kv.write("gone", Uint8Array.of(7)), kv.delete("gone"), kv.delete("never-was"), kv.read("gone") === undefined));
step("keys", () => [...kv].sort());
const ro = KeyValue.open({ path: "hotspot", mode: "r" });
step("read-only write", () => ro.write("cfg.a", Uint8Array.of(0)));
step("read-only delete", () => ro.delete("cfg.a"));
step("read-only read", () => bytes(ro.read("cfg.a")));
step("missing namespace read-only", () => KeyValue.open({ path: "other", mode: "r" }) && "opened");
step("string format", () => KeyValue.open({ path: "hotspot", format: "string" }) && "opened");
kv.close();
step("closed", () => kv.read("cfg.a"));
trace("kv done\n");
