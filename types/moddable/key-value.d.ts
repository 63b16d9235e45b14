declare module "embedded:storage/key-value" {
  export interface KeyValueStorage extends Iterable<string> {
    /** The stored bytes (format "buffer"), or undefined when the key is absent. */
    read(key: string): ArrayBuffer | undefined;
    write(key: string, value: ArrayBuffer | Uint8Array): void;
    delete(key: string): void;
    close(): void;
  }
  const KeyValue: {
    open(options: { path: string; mode?: "r" | "r+"; format?: "buffer" }): KeyValueStorage;
  };
  export default KeyValue;
}
