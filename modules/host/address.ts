// Host names and IPv4 addresses as text. The Moddable SDK's sockets take IPv4 addresses only, so
// configuration that may name a host is checked here and resolved with HostProvider.dns later.

// The patterns are made per call (a RegExp made at module load is preloaded: device/README.md).

/** One DNS label (RFC 1123 section 2.1): letters, digits and inner hyphens, 1..63 characters. */
const isLabel = (text: string) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(text);

/** True for a dotted-quad IPv4 address ("192.168.1.10"); no shortened, octal or hex forms. */
export function isIpv4Address(text: string): boolean {
  return /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/.test(text);
}

/**
 * True for a DNS host name ("router.example.com", "localhost"). A name whose last label is all
 * digits is refused: it is a mistyped address ("256.1.1.1"), never a name (no top-level domain is
 * numeric).
 */
export function isHostName(text: string): boolean {
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split(".");
  for (const label of labels) if (!isLabel(label)) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]);
}

/** A host as configuration may give it: a name or an IPv4 address. */
export function isHost(text: string): boolean {
  return isIpv4Address(text) || isHostName(text);
}
