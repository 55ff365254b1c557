// Open connections per client source, shared by a protocol's listeners so
// settings.limits.maxConnectionsPerIp counts a client's connections on every port of that protocol.
// A source is an IPv4 address (IPv4-mapped IPv6 counts as IPv4) or an IPv6 /64: one customer's
// network gets a whole /64, so counting single IPv6 addresses would put no limit on it at all.
import { isIPv6 } from 'node:net';
import { parseCidr, unmapIpv4 } from '../policy/cidr.js';

/** `192.0.2.7` → itself; `2001:db8:1:2:a:b:c:d` → `2001:db8:1:2::/64`. */
export function connectionSource(ip: string): string {
  const address = unmapIpv4(ip);
  return isIPv6(address) ? parseCidr(`${address}/64`).text : address;
}

export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  /** Counts a new connection from `ip`; returns how many are open from its source, this one included. */
  enter(ip: string): number {
    const source = connectionSource(ip);
    const count = (this.open.get(source) ?? 0) + 1;
    this.open.set(source, count);
    return count;
  }

  leave(ip: string): void {
    const source = connectionSource(ip);
    const left = (this.open.get(source) ?? 1) - 1;
    if (left === 0) this.open.delete(source);
    else this.open.set(source, left);
  }
}
