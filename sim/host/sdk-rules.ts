// The Moddable SDK's socket rules, shared by every stand-in for its sockets: the Node host provider
// (sim/host), the memory host and the XS test host's shims (tests/). What the SDK refuses they refuse
// the same way; what it silently ignores they refuse loudly, so firmware relying on it fails in tests.
// Platform-neutral: the XS shims use it. Facts from the SDK 8.2.3 source (paths below are in it).

import { isIpv4Address } from "../../modules/host/address.js";

/**
 * lwIP's TCP send buffer on the ESP32-S3 (CONFIG_LWIP_TCP_SND_BUF_DEFAULT=5744 in
 * build/devices/esp32/xsProj-esp32s3/sdkconfig.defaults; the classic ESP32 has 8192): what onWritable
 * reports at most, and more in one write() is "would block" (modules/io/socket/lwip/tcp.c xs_tcp_write).
 */
export const SDK_TCP_SEND_BUFFER = 5744;

/**
 * The most one UDP read() returns: lwip xs_udp_read copies the first pbuf only (`packet->pb->len`),
 * which for a datagram reassembled from fragments is the first fragment: 1500 - 20 (IP) - 8 (UDP).
 */
export const SDK_UDP_READ_LIMIT = 1472;

/**
 * The options of an outgoing TCP connection. lwip xs_tcp_constructor reads `address` and converts it
 * with ipaddr_aton ("invalid address" otherwise) and never reads `host`: a name given as `host` is
 * dropped on the device, so here it is an error.
 */
export function checkTcpConnectOptions(options: { address?: unknown; host?: unknown; port?: unknown }): void {
  if (options.host !== undefined) {
    throw new Error(`TCP: "host" is not an option (the Moddable SDK's TCP connects to an IPv4 \`address\` only): resolve ${JSON.stringify(options.host)} with host.dns first`);
  }
  if (typeof options.address !== "string" || !isIpv4Address(options.address)) throw new Error(`invalid address ${JSON.stringify(options.address)}`);
  const port = options.port;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError("invalid port");
}

/** read() takes no count: lwip tcp.js `read()` calls xs_tcp_read without arguments, which then returns every byte available. */
export function refuseReadCount(count: unknown): void {
  if (count !== undefined) throw new TypeError("TCP read() takes no count: the Moddable SDK's read() returns every byte available");
}

/**
 * Listener and UDP `address`: the SDK binds every interface (lwip xs_listener_constructor `//@@ address`,
 * xs_udp_constructor udp_bind(IP_ADDR_ANY, port)), so an address there would be silently ignored.
 */
export function refuseBindAddress(kind: "Listener" | "UDP", options: { address?: unknown }): void {
  if (options.address !== undefined) {
    throw new Error(`${kind}: "address" is not an option (the Moddable SDK's ${kind} binds every interface)`);
  }
}

/** UDP write's destination: lwip xs_udp_write converts it with ipaddr_aton (resolveIP), so a name throws. */
export function checkUdpDestination(address: string): void {
  if (typeof address !== "string" || !isIpv4Address(address)) throw new RangeError(`invalid IP address ${JSON.stringify(address)}`);
}
