// The transport table (Postfix transport(5)): per destination domain, deliver locally, relay over
// SMTP to a fixed next hop (`smtp:[host]:port`, no MX lookup) or via MX of a host (`smtp:host:port`),
// or reject.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';

export type TransportRoute =
  | { kind: 'local' }
  | { kind: 'reject' }
  | { kind: 'smtp'; host: string; port: number; mxLookup: boolean };

export interface Transport {
  domain: string;
  route: TransportRoute;
  createdAt: number;
}

export interface TransportRow {
  domain: string;
  kind: 'local' | 'smtp' | 'reject';
  host: string | null;
  port: number | null;
  mx_lookup: number;
  created_at: number;
}

export const toTransport = (r: TransportRow): Transport => ({
  domain: r.domain,
  route: r.kind === 'smtp' ? { kind: 'smtp', host: r.host!, port: r.port!, mxLookup: r.mx_lookup === 1 } : { kind: r.kind },
  createdAt: r.created_at,
});

export interface TransportRepo {
  set(domain: string, route: TransportRoute): Transport;
  get(domain: string): Transport | undefined;
  list(): Transport[];
  remove(domain: string): boolean;
}

export function createTransportRepo(db: Db, clock: Clock): TransportRepo {
  const upsert = db.prepare<[string, string, string | null, number | null, number, number]>(`
    INSERT INTO transports (domain, kind, host, port, mx_lookup, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (domain) DO UPDATE SET kind = excluded.kind, host = excluded.host, port = excluded.port, mx_lookup = excluded.mx_lookup`);
  const get = db.prepare<[string], TransportRow>('SELECT * FROM transports WHERE domain = ?');
  const list = db.prepare<[], TransportRow>('SELECT * FROM transports ORDER BY domain');
  const remove = db.prepare<[string]>('DELETE FROM transports WHERE domain = ?');
  return {
    set(domain, route) {
      const smtp = route.kind === 'smtp' ? route : null;
      upsert.run(domain, route.kind, smtp?.host ?? null, smtp?.port ?? null, smtp?.mxLookup ? 1 : 0, clock.now());
      return toTransport(get.get(domain)!);
    },
    get(domain) {
      const row = get.get(domain);
      return row && toTransport(row);
    },
    list() {
      return list.all().map(toTransport);
    },
    remove(domain) {
      return remove.run(domain).changes > 0;
    },
  };
}
