// Which addresses an outbound request may reach: the pure part of the outbound guard (no I/O, so
// it is unit-tested exhaustively and can be used to validate what an administrator types).
//
// Rule: a public unicast address is always allowed; anything else (loopback, private, link-local
// with the cloud metadata address, unique-local, carrier-grade NAT, multicast, reserved, the
// IPv6 forms that embed an IPv4 address, ...) only when the host name or the address is on the
// allow-list. The ranges are ipaddr.js's, not hand-written: only its "unicast" is public.
import ipaddr from "ipaddr.js";

export type AllowEntry = { kind: "host"; name: string; raw: string } | { kind: "cidr"; net: ipaddr.IPv4 | ipaddr.IPv6; bits: number; raw: string };

const HOST_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Host names compare case-insensitively and without the root dot ("Prom.Example." = "prom.example"). */
export function normalizeHostName(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

/** A URL's hostname without IPv6 brackets ("[::1]" -> "::1"). */
export function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/**
 * Strict literal parsing: "127.1", "0x7f.0.0.1" or "2130706433" are not accepted as addresses
 * here (URL parsing already turns them into dotted quads; in an allow-list they are typos).
 */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const t = unbracket(text.trim());
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) return ipaddr.IPv4.parse(t);
  if (t.includes(":") && ipaddr.IPv6.isValid(t)) return ipaddr.IPv6.parse(t);
  return null;
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address for every purpose here. */
function canonical(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

/** One allow-list entry: an exact host name, an IP address, or a CIDR range. */
export function parseAllowEntry(raw: string): { entry: AllowEntry } | { error: string } {
  const text = raw.trim();
  if (!text) return { error: "empty entry" };
  if (text.length > 253) return { error: "longer than a host name can be" };
  const slash = text.indexOf("/");
  if (slash >= 0) {
    const addr = parseAddress(text.slice(0, slash));
    const bitsText = text.slice(slash + 1);
    const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
    if (!addr || !(bits >= 0 && bits <= (addr.kind() === "ipv4" ? 32 : 128))) return { error: `${JSON.stringify(text)} is not an IP range (e.g. 10.0.0.0/8 or fd00::/8)` };
    const mapped = addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96;
    return { entry: mapped ? { kind: "cidr", net: (addr as ipaddr.IPv6).toIPv4Address(), bits: bits - 96, raw: text } : { kind: "cidr", net: addr, bits, raw: text } };
  }
  const addr = parseAddress(text);
  if (addr) {
    const c = canonical(addr);
    return { entry: { kind: "cidr", net: c, bits: c.kind() === "ipv4" ? 32 : 128, raw: text } };
  }
  const name = normalizeHostName(text);
  const labels = name.split(".");
  // A purely numeric name ("127.1", "2130706433") would be read as an address by some resolvers.
  if (!labels.every((l) => HOST_LABEL.test(l)) || /^[\d.]+$/.test(name) || /^0x/i.test(name)) {
    return { error: `${JSON.stringify(text)} is not a host name, IP address or range (no port, no scheme, no wildcard)` };
  }
  return { entry: { kind: "host", name, raw: text } };
}

/** The valid entries of a list; invalid ones are skipped (and returned, for whoever wants to warn). */
export function parseAllowList(raw: readonly string[]): { entries: AllowEntry[]; invalid: string[] } {
  const entries: AllowEntry[] = [];
  const invalid: string[] = [];
  for (const r of raw) {
    const p = parseAllowEntry(r);
    if ("entry" in p) entries.push(p.entry);
    else if (r.trim()) invalid.push(r);
  }
  return { entries, invalid };
}

/** Comma- or whitespace-separated entries, as in WARROOM_OUTBOUND_ALLOW. */
export function splitAllowList(text: string | undefined): string[] {
  return (text ?? "").split(/[\s,]+/).filter(Boolean);
}

export type AddressClass = { public: true } | { public: false; range: string; description: string };

const DESCRIPTIONS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  linkLocal: "a link-local address",
  uniqueLocal: "a unique-local address",
  unspecified: "the unspecified address",
  broadcast: "the broadcast address",
  multicast: "a multicast address",
  carrierGradeNat: "a carrier-grade NAT address",
  reserved: "a reserved address",
  ipv4Mapped: "an IPv4-mapped address",
  rfc6145: "an IPv4-translated address",
  rfc6052: "a NAT64 address",
  "6to4": "a 6to4 address",
  teredo: "a Teredo address",
  benchmarking: "a benchmarking address",
  deprecatedSiteLocal: "a site-local address",
};

const METADATA = new Set(["169.254.169.254", "fd00:ec2::254"]);

/** Public unicast, or which special range the address is in. Unparseable text is never public. */
export function classifyAddress(address: string): AddressClass {
  const parsed = parseAddress(address);
  if (!parsed) return { public: false, range: "invalid", description: "not an IP address" };
  const addr = canonical(parsed);
  const range = addr.range();
  if (range === "unicast") return { public: true };
  const description = METADATA.has(addr.toString()) ? "the cloud metadata address" : (DESCRIPTIONS[range] ?? `not a public address (${range})`);
  return { public: false, range, description };
}

function inEntry(addr: ipaddr.IPv4 | ipaddr.IPv6, e: Extract<AllowEntry, { kind: "cidr" }>): boolean {
  return addr.kind() === e.net.kind() && addr.match(e.net, e.bits);
}

/**
 * null when `host` (as written in the URL or target) may be reached at `address` (what it
 * resolved to); else the refusal, phrased for the person who configured the target.
 */
export function checkAddress(host: string, address: string, entries: readonly AllowEntry[]): string | null {
  const name = normalizeHostName(unbracket(host));
  if (entries.some((e) => e.kind === "host" && e.name === name)) return null;
  const cls = classifyAddress(address);
  if (cls.public) return null;
  const parsed = parseAddress(address);
  if (parsed) {
    const addr = canonical(parsed);
    if (entries.some((e) => e.kind === "cidr" && inEntry(addr, e))) return null;
  }
  return `refused: ${address} is ${cls.description} (ask an administrator to allow-list the host)`;
}
