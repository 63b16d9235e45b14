// The SDK's `file` module, the parts the Moddable simulator's store (targets/sim/host/key-value.ts)
// uses: $MODDABLE/typings/file.d.ts; behaviour from modules/files/file/lin/modFile.c (Linux).
declare module "file" {
  export class File {
    /** Opens for reading, or (`write`) for reading and writing, creating it if missing; throws "file not found". */
    constructor(path: string, write?: boolean);
    /** Reads to the end (throws "read past end of file" at the end, so also for an empty file). */
    read(type: typeof ArrayBuffer, bytes?: number): ArrayBuffer;
    write(value: ArrayBuffer | string, ...moreValues: (ArrayBuffer | string)[]): void;
    close(): void;
    readonly length: number;
    static delete(path: string): boolean;
    static exists(path: string): boolean;
    /** A `to` without a slash renames within the same directory. */
    static rename(from: string, to: string): boolean;
  }
  /** Directory entries, "." and ".." included; files have a length, directories none. */
  export class Iterator {
    constructor(path: string);
    next(): { name: string; length: number | undefined } | undefined;
  }
  export class Directory {
    /** Creates a directory (an existing one is fine). */
    static create(path: string): void;
    static delete(path: string): void;
  }
}
