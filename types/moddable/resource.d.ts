// Moddable's `Resource` (modules/files/resource, documentation/files/files.md "class Resource"): a
// file the manifest's `resources` or `data` put into flash, as a read-only host buffer.
declare module "Resource" {
  export default class Resource extends ArrayBuffer {
    constructor(path: string);
    static exists(path: string): boolean;
  }
}
