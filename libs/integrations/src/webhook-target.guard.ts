import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** Why a webhook URL is refused; `code` is stable (the API's problem code), `message` names the rule. */
export class WebhookTargetRefused extends Error {
  override readonly name = 'WebhookTargetRefused';
  constructor(
    readonly code:
      | 'url-invalid'
      | 'url-scheme-not-allowed'
      | 'url-credentials-not-allowed'
      | 'url-unresolvable'
      | 'url-address-not-public',
    message: string,
  ) {
    super(message);
  }
}

/** A checked webhook target: the request must go to `address` (pinned), never re-resolved. */
export interface WebhookTarget {
  /** The URL as checked (WHATWG-normalised: `https://0x7f.1/` reads `https://127.0.0.1/`); store this one. */
  url: URL;
  address: string;
  family: 4 | 6;
}

export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** One entry of WEBHOOK_ALLOWLIST: an address or CIDR range (`127.0.0.1`, `10.0.0.0/8`, `::1`) or a host name. */
type AllowEntry = { kind: 'range'; range: Range } | { kind: 'host'; host: string };

function parseAllowlist(entries: readonly string[]): AllowEntry[] {
  return entries.map((entry) => {
    const value = entry.trim().toLowerCase();
    if (value.includes('/') && ipaddr.isValidCIDR(value))
      return { kind: 'range', range: ipaddr.parseCIDR(value) };
    if (ipaddr.isValid(value)) {
      const address = normalise(ipaddr.parse(value));
      return { kind: 'range', range: [address, address.kind() === 'ipv4' ? 32 : 128] };
    }
    return { kind: 'host', host: value };
  });
}

/**
 * An IPv6 address that carries an IPv4 one is checked as that IPv4 address: IPv4-mapped
 * (`::ffff:10.0.0.1`) and IPv4-compatible (`::10.0.0.1`, `::a9fe:a9fe`; deprecated, but ipaddr.js
 * files `::/96` under unicast, so `[::10.0.0.1]` passed as a public address).
 */
function normalise(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() !== 'ipv6') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const [a, b, c, d, e, f, g, h] = v6.parts;
  // `::` and `::1` are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
  const ipv4Compatible = a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0 && (g !== 0 || h > 1);
  return ipv4Compatible ? new ipaddr.IPv4(v6.toByteArray().slice(12)) : address;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function inRange(address: ipaddr.IPv4 | ipaddr.IPv6, [network, bits]: Range): boolean {
  return address.kind() === network.kind() && address.match(network as never, bits);
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/**
 * Refuses webhook URLs that could reach the inside of our network (SSRF). Two rules, each opened
 * only by WEBHOOK_ALLOWLIST: https only (plain http for allow-listed host names, or address
 * literals in an allow-listed range), and only addresses in the public unicast range (ipaddr.js
 * `range() === 'unicast'`: no loopback, private, link-local, unique-local, CGNAT, multicast,
 * NAT64/6to4/Teredo, reserved or documentation ranges) unless inside an allow-listed range. Called when a
 * subscription is saved and again before every delivery, whose request is pinned to `address`
 * (DNS may have changed in between).
 */
export async function checkWebhookTarget(
  rawUrl: string,
  allowlist: readonly string[],
  options: { lookup?: Lookup; timeoutMs?: number } = {},
): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new WebhookTargetRefused('url-invalid', 'url must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebhookTargetRefused('url-scheme-not-allowed', 'url must use https');
  }
  if (url.username || url.password) {
    throw new WebhookTargetRefused('url-credentials-not-allowed', 'url must not contain credentials');
  }
  const entries = parseAllowlist(allowlist);
  const host = hostOf(url);
  const inAllowedRange = (address: ipaddr.IPv4 | ipaddr.IPv6) =>
    entries.some((entry) => entry.kind === 'range' && inRange(address, entry.range));
  const literal = ipaddr.isValid(host) ? normalise(ipaddr.parse(host)) : null;

  // Plain http only to a host the allow-list names (or an address literal inside one of its ranges).
  const hostAllowed = literal
    ? inAllowedRange(literal)
    : entries.some((entry) => entry.kind === 'host' && entry.host === host);
  if (url.protocol === 'http:' && !hostAllowed) {
    throw new WebhookTargetRefused(
      'url-scheme-not-allowed',
      `url must use https (plain http only for hosts in WEBHOOK_ALLOWLIST; ${host} is not)`,
    );
  }
  // Every address the name resolves to must be public, or inside an allow-listed range.
  const parsed = literal
    ? [literal]
    : (await resolve(host, options.lookup ?? systemLookup, options.timeoutMs ?? 3000)).map(({ address }) =>
        normalise(ipaddr.parse(address)),
      );
  const refused = parsed.find((address) => address.range() !== 'unicast' && !inAllowedRange(address));
  if (refused) {
    throw new WebhookTargetRefused(
      'url-address-not-public',
      `url resolves to ${refused.toString()}, a ${refused.range()} address; only public addresses are allowed`,
    );
  }
  const first = parsed[0];
  return { url, address: first.toString(), family: first.kind() === 'ipv4' ? 4 : 6 };
}

async function resolve(host: string, lookup: Lookup, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await Promise.race([
      lookup(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    if (addresses.length === 0) throw new Error('no address');
    return addresses;
  } catch {
    throw new WebhookTargetRefused('url-unresolvable', `url host ${host} does not resolve`);
  } finally {
    clearTimeout(timer);
  }
}
