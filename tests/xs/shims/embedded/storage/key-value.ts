// embedded:storage/key-value for the XS test host: in-memory stores by path. A test may seed them
// before the firmware opens them with globalThis.__kvSeed = {path: {key: hex bytes}}.
import { fromHex } from "../../../../../modules/util/bytes.js";
import { runtimeState } from "../../runtime-state.js";

export interface KeyValueStorage extends Iterable<string> {
  read(key: string): ArrayBuffer | undefined;
  write(key: string, value: ArrayBuffer | Uint8Array): void;
  delete(key: string): void;
  close(): void;
}

const stores = () => runtimeState("key-value", () => new Map<string, Map<string, ArrayBuffer>>());

function storeAt(path: string): Map<string, ArrayBuffer> {
  let store = stores().get(path);
  if (store === undefined) {
    store = new Map();
    for (const [key, hex] of Object.entries(globalThis.__kvSeed?.[path] ?? {})) store.set(key, fromHex(hex).buffer as ArrayBuffer);
    stores().set(path, store);
  }
  return store;
}

const KeyValue = {
  open(options: { path: string; mode?: "r" | "r+"; format?: "buffer" }): KeyValueStorage {
    const store = storeAt(options.path);
    return {
      read: (key) => {
        const value = store.get(key);
        return value === undefined ? undefined : value.slice(0);
      },
      write: (key, value) => void store.set(key, new Uint8Array(value).slice().buffer as ArrayBuffer),
      delete: (key) => void store.delete(key),
      close: () => {},
      [Symbol.iterator]: () => store.keys(),
    };
  },
};
export default KeyValue;
