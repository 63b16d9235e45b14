// `embedded:storage/key-value` for the Moddable simulator's board. The SDK has this module for the
// ESP32 (NVS: modules/io/storage/esp32/storage-esp32.c), macOS and others, but not for Linux, whose
// storage modules are `file` (modules/files/file/lin/modFile.c) and `preference` (a JSON file at a
// root fixed at build time, shared by every app). So on Linux the firmware's store is built here on
// the SDK's `file`: one file per key in $HOTSPOT_SIM_STORE/<path>/, named by encodeURIComponent(key),
// written whole to "<name>.new" and renamed over the old file (the layout of sim/hotspot-host.ts'
// FileStore, through which the simulator provisions the store).
//
// As strict as the ESP32's NVS where the firmware could notice: keys and paths of 1..15 characters
// (NVS_KEY_NAME_MAX_SIZE), "r" opens read-only ("read-only" on a write or delete), a missing key
// reads as undefined, a value must be a buffer. Only the "buffer" format is offered (the firmware's
// only one; the ESP32 also has string and number formats).
import { Directory, File, Iterator } from "file";

const environment = native("xs_sim_environment");
const MAX_NAME = 15;

type Buffer = ArrayBuffer | ArrayBufferView;

function checkName(what: string, name: unknown): string {
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_NAME) throw new Error(`invalid ${what}: 1..${MAX_NAME} characters (NVS)`);
  return name;
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError("value must be an ArrayBuffer or a view of one");
}

export class Storage {
  #dir: string | undefined;
  readonly #readOnly: boolean;

  constructor(dir: string, readOnly: boolean) {
    this.#dir = dir;
    this.#readOnly = readOnly;
  }

  close(): void {
    this.#dir = undefined;
  }

  read(key: string): ArrayBuffer | undefined {
    const path = this.#path(key);
    if (!File.exists(path)) return undefined;
    const file = new File(path);
    try {
      return file.length === 0 ? new ArrayBuffer(0) : file.read(ArrayBuffer);
    } finally {
      file.close();
    }
  }

  write(key: string, value: Buffer): void {
    const path = this.#path(key);
    this.#writable();
    const bytes = bytesOf(value);
    const next = `${path}.new`;
    File.delete(next);
    const file = new File(next, true);
    try {
      if (bytes.length > 0) file.write(bytes.slice().buffer);
    } finally {
      file.close();
    }
    if (!File.rename(next, encodeURIComponent(key))) throw new Error(`cannot store "${key}"`);
  }

  delete(key: string): void {
    const path = this.#path(key);
    this.#writable();
    File.delete(path);
  }

  [Symbol.iterator](): IterableIterator<string> {
    const names: string[] = [];
    const entries = new Iterator(this.#open());
    for (let entry = entries.next(); entry !== undefined; entry = entries.next()) {
      if (entry.length !== undefined && !entry.name.endsWith(".new")) names.push(decodeURIComponent(entry.name));
    }
    return names[Symbol.iterator]();
  }

  get format(): "buffer" {
    return "buffer";
  }
  set format(value: "buffer") {
    if (value !== "buffer") throw new RangeError("unsupported");
  }

  #open(): string {
    if (this.#dir === undefined) throw new Error("closed");
    return this.#dir;
  }

  #path(key: string): string {
    const dir = this.#open();
    return `${dir}/${encodeURIComponent(checkName("key", key))}`;
  }

  #writable(): void {
    if (this.#readOnly) throw new Error("read-only");
  }
}

const KeyValueStorage = Object.freeze({
  open(options: { path: string; mode?: "r" | "r+"; format?: "buffer" }): Storage {
    const root = environment("STORE") as string | undefined;
    if (root === undefined) throw new Error("HOTSPOT_SIM_STORE is not set: start this build with npm start -- --moddable");
    const name = checkName("path", options.path.endsWith("/") ? options.path.slice(0, -1) : options.path);
    const mode = options.mode ?? "r+";
    if (mode !== "r" && mode !== "r+") throw new Error("invalid mode");
    if ((options.format ?? "buffer") !== "buffer") throw new RangeError("unsupported");
    const dir = `${root}/${encodeURIComponent(name)}`;
    if (mode === "r+") Directory.create(dir);
    else if (!File.exists(dir)) throw new Error("ESP_ERR_NVS_NOT_FOUND"); // NVS: a namespace opened read-only must exist
    return new Storage(dir, mode === "r");
  },
});

export default KeyValueStorage;
