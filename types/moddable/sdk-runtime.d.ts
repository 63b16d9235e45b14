// What the Moddable SDK's ESP32 modules do at run time and its typings ($MODDABLE/typings) do not
// declare. Each block merges into the SDK's own declaration of the module (an ambient module and
// its default-exported class merge with these); the manifest adds this file to the SDK's tsc stage
// (typescript.tsconfig.compilerOptions.types) and `npm run check:device` type-checks with it.
// Everything else comes from the SDK's typings; device/README.md lists the behaviour we rely on.

declare module "embedded:io/socket/tcp" {
  export default interface TCP {
    /**
     * Every buffered byte, or undefined when none is buffered: modules/io/socket/lwip/tcp.js calls
     * xs_tcp_read without arguments (a count is ignored), and tcp.c xs_tcp_read returns early when
     * `tcp->buffers` is empty. Declared first so that a call without a count gets this type.
     */
    read(): ArrayBuffer | undefined;
  }
}

declare module "embedded:io/socket/listener" {
  export default interface Listener {
    /** modules/io/socket/lwip/listener.js close() (tcp.c xs_listener_close_); typings/embedded_io/socket/listener.d.ts omits it. */
    close(): void;
  }
}

declare module "embedded:io/socket/udp" {
  export default interface UDP {
    /** modules/io/socket/lwip/udp.js close() (udp.c xs_udp_close); typings/embedded_io/socket/udp.d.ts omits it. */
    close(): void;
    /** undefined when no datagram is queued: modules/io/socket/lwip/udp.c xs_udp_read returns early. */
    read(): (ArrayBuffer & { address: string; port: number }) | undefined;
  }
}

declare module "embedded:storage/key-value" {
  export interface Storage {
    /** undefined for a missing key: modules/io/storage/esp32/storage-esp32.c xs_directorystorage_read returns on ESP_ERR_NVS_NOT_FOUND. */
    read(key: string): ArrayBuffer | string | number | bigint | undefined;
  }
}
