// Which IP ranges are private to a site (RFC 1918, loopback, link-local, carrier-grade NAT, IPv6 ULA)
// and so safe to let relay without a password. Browser-safe (no node:net), so the admin contract's
// schemas and the renderer's forms refuse an open relay the same way the server does.
import { z } from 'zod';

/** Ranges whose addresses cannot reach us from the internet at large. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '100.64.0.0/10', '::1/128', 'fc00::/7', 'fe80::/10'];

const IPV4 = z.ipv4();
const IPV6 = z.ipv6();

interface Range {
  bytes: number[];
  prefix: number;
}

/** True when every address of `cidr` is private; undefined when `cidr` is not a range at all. */
export function isPrivateRange(cidr: string): boolean | undefined {
  const range = parseRange(cidr);
  if (!range) return undefined;
  return PRIVATE_RANGES.some((text) => {
    const outer = parseRange(text)!;
    return outer.bytes.length === range.bytes.length && range.prefix >= outer.prefix && samePrefix(outer.bytes, range.bytes, outer.prefix);
  });
}

function parseRange(cidr: string): Range | undefined {
  const [addr, prefixText, extra] = cidr.trim().split('/');
  if (extra !== undefined) return undefined;
  const family = IPV4.safeParse(addr).success ? 4 : IPV6.safeParse(addr).success ? 6 : 0;
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) return undefined;
  return { bytes: ipBytes(addr, family), prefix };
}

function samePrefix(a: number[], b: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const mask = 0x80 >> (bit & 7);
    if ((a[bit >> 3] & mask) !== (b[bit >> 3] & mask)) return false;
  }
  return true;
}

/** The 4 or 16 bytes of a valid IPv4 or IPv6 address (IPv6 may end in dotted IPv4). */
export function ipBytes(addr: string, family: 4 | 6): number[] {
  if (family === 4) return addr.split('.').map(Number);
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, null];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const expand = (ws: string[]) =>
    ws.flatMap((w) => {
      if (!w.includes('.')) return [w];
      const [a, b, c, d] = w.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const words = expand(groups(head));
  const tailWords = tail === null ? [] : expand(groups(tail));
  const fill = tail === null ? [] : Array(8 - words.length - tailWords.length).fill('0');
  return [...words, ...fill, ...tailWords].flatMap((w) => {
    const n = parseInt(w, 16);
    return [n >> 8, n & 0xff];
  });
}
