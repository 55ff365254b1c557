// Open connections per client address, shared by a protocol's plain and implicit-TLS listeners so
// settings.limits.maxConnectionsPerIp counts a client's connections on both ports.
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  /** Counts a new connection from `ip`; returns how many are open from it, this one included. */
  enter(ip: string): number {
    const count = (this.open.get(ip) ?? 0) + 1;
    this.open.set(ip, count);
    return count;
  }

  leave(ip: string): void {
    const left = (this.open.get(ip) ?? 1) - 1;
    if (left === 0) this.open.delete(ip);
    else this.open.set(ip, left);
  }
}
