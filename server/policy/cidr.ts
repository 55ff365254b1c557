// IPv4/IPv6 CIDR ranges: parse to a canonical form (host bits cleared, IPv6 compressed) and test
// membership. IPv4-mapped IPv6 client addresses (::ffff:192.0.2.1, as Node reports on dual-stack
// sockets) match IPv4 ranges.
import { BlockList, isIP } from 'node:net';
import { ipBytes } from './private-range.js';

export interface Cidr {
  family: 4 | 6;
  address: string;
  prefix: number;
  /** Canonical text, e.g. `192.168.1.0/24`, `2001:db8::/32`. */
  text: string;
}

export class CidrError extends Error {
  override name = 'CidrError';
}

export function parseCidr(input: string): Cidr {
  const trimmed = input.trim();
  const [addr, prefixText, extra] = trimmed.split('/');
  if (extra !== undefined) throw new CidrError(`"${trimmed}" has more than one "/".`);
  const version = isIP(addr);
  if (version === 0) throw new CidrError(`"${addr}" is not an IPv4 or IPv6 address.`);
  const family = version as 4 | 6;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) {
    throw new CidrError(`"/${prefixText}" is not a valid prefix length for IPv${family} (0 to ${max}).`);
  }
  const bytes = ipBytes(addr, family);
  for (let bit = prefix; bit < max; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  const address = fromBytes(bytes, family);
  return { family, address, prefix, text: `${address}/${prefix}` };
}

/** A matcher over many ranges (BlockList does the bit work). */
export function cidrMatcher(cidrs: Cidr[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family === 4 ? 'ipv4' : 'ipv6');
  return (ip) => {
    const v4 = unmapIpv4(ip);
    const family = isIP(v4);
    return family !== 0 && list.check(v4, family === 4 ? 'ipv4' : 'ipv6');
  };
}

export function unmapIpv4(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

function fromBytes(bytes: number[], family: 4 | 6): string {
  if (family === 4) return bytes.join('.');
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  // Compress the longest run of zero words (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
