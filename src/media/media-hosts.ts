import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { MediaError } from './errors';

/**
 * Whether a media URL may be fetched, checked before the first request and again on every
 * redirect. The host must match an entry of MEDIA_ALLOWED_HOSTS (`host`, `*.host` for its
 * subdomains, an IP address, each optionally with `:port`); the scheme must be https and the port
 * 443 unless the entry names another. A host name must resolve only to public addresses: one that
 * resolves to a loopback, private, link-local (or other non-public) address is refused, so a
 * name cannot point the worker at its own network. An IP address the operator listed is taken
 * as meant. A listed loopback address (127.0.0.1, ::1) is a local stand-in (the sandbox, the
 * tests): plain http and any port are allowed there unless the entry names a port.
 */

export interface AllowedHost {
  /** lower case, no brackets; `*.example.com` for subdomains */
  host: string;
  /** undefined: 443 (any port for a loopback stand-in) */
  port: number | undefined;
}

/** `host`, `*.host`, `host:8443`, `10.0.0.5`, `[::1]:8080`, `::1` → host and port. */
export function parseAllowedHost(entry: string): AllowedHost {
  const text = entry.trim().toLowerCase().replace(/\.$/, '');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : undefined };
  if (isIP(text) === 6) return { host: text, port: undefined };
  const withPort = /^(.*):(\d+)$/.exec(text);
  if (withPort) return { host: withPort[1]!, port: Number(withPort[2]) };
  return { host: text, port: undefined };
}

/** `*.fbcdn.net` matches any subdomain of fbcdn.net (not fbcdn.net itself); other entries match exactly. */
function hostMatches(host: string, allowed: string): boolean {
  if (allowed.startsWith('*.')) return host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1;
  return host === allowed;
}

/** Whether `hostname` matches an entry of the allow list by name alone (ports and addresses aside). */
export function isHostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return allowedHosts.some((entry) => hostMatches(host, parseAllowedHost(entry).host));
}

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96], // NAT64: reaches IPv4 through a local gateway
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** An IPv6 address in its one canonical form (`0:0::FFFF:127.0.0.1` → `::ffff:7f00:1`). */
function canonicalIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`); any other address as it is. */
function unmapped(address: string): string {
  if (isIP(address) !== 6) return address;
  const canonical = canonicalIpv6(address);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** True for loopback, private, link-local and other addresses that are not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return true;
  return NOT_PUBLIC.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

const isLoopbackLiteral = (host: string) => {
  const plain = unmapped(host);
  return (isIP(plain) === 4 && plain.startsWith('127.')) || plain === '::1';
};

const refuse = (why: string) => new MediaError('host-not-allowed', `media host not allowed: ${why}`);

/** Parses `raw` (relative to `base`) and refuses it unless the rules above allow it. */
export async function checkMediaUrl(
  raw: string,
  base: string | undefined,
  allowedHosts: readonly string[],
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new MediaError('host-not-allowed', 'media URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(`${url.protocol} URL`);
  const host = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const literal = isIP(host) !== 0;
  const stand = literal && isLoopbackLiteral(host);
  const entry = allowedHosts
    .map(parseAllowedHost)
    .find((e) => (literal ? isIP(e.host) !== 0 && unmapped(e.host) === unmapped(host) : hostMatches(host, e.host)));
  if (!entry) throw refuse(`${host} is not in MEDIA_ALLOWED_HOSTS`);
  const portAllowed = entry.port !== undefined ? entry.port === port : stand || port === 443;
  if (!portAllowed) throw refuse(`${host} port ${port} (https on 443 unless the entry names a port)`);
  if (url.protocol === 'http:' && !stand) throw refuse(`plain http to ${host}`);
  // An address the operator listed is meant; a name must not lead into a private network.
  if (!literal) await checkResolvesPublic(host);
  return url;
}

async function checkResolvesPublic(host: string): Promise<void> {
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    throw new MediaError('download-failed', `media host ${host} did not resolve`, true, { cause: error });
  }
  const inside = addresses.find((a) => isNonPublicAddress(a.address));
  if (inside) throw refuse(`${host} resolves to a non-public address (${inside.address})`);
}
