// Trusted networks: IP ranges with their own permissions, as hMailServer's IP ranges do it — which
// protocols may connect, whether the range may relay without a password (the office scanner),
// whether AUTH from it needs TLS, and an optional expiry. CIDRs are stored in canonical form.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import { ConflictError, NotFoundError, isUniqueViolation } from './errors.js';

export interface NetworkPermissions {
  allowSmtp: boolean;
  allowImap: boolean;
  allowPop3: boolean;
  relay: boolean;
  requireTlsForAuth: boolean;
  expiresAt: number | null;
}

export interface Network extends NetworkPermissions {
  id: number;
  cidr: string;
  description: string;
  createdAt: number;
}

export interface NetworkRow {
  id: number;
  cidr: string;
  description: string;
  allow_smtp: number;
  allow_imap: number;
  allow_pop3: number;
  relay: number;
  require_tls_auth: number;
  expires_at: number | null;
  created_at: number;
}

export const toNetwork = (r: NetworkRow): Network => ({
  id: r.id,
  cidr: r.cidr,
  description: r.description,
  allowSmtp: r.allow_smtp === 1,
  allowImap: r.allow_imap === 1,
  allowPop3: r.allow_pop3 === 1,
  relay: r.relay === 1,
  requireTlsForAuth: r.require_tls_auth === 1,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
});

export interface NetworkRepo {
  add(cidr: string, description: string, permissions: NetworkPermissions): Network;
  get(cidr: string): Network | undefined;
  list(): Network[];
  update(cidr: string, changes: Partial<NetworkPermissions> & { description?: string }): Network;
  remove(cidr: string): boolean;
}

export const bit = (b: boolean) => (b ? 1 : 0);

export function createNetworkRepo(db: Db, clock: Clock): NetworkRepo {
  const insert = db.prepare(`
    INSERT INTO networks (cidr, description, allow_smtp, allow_imap, allow_pop3, relay, require_tls_auth, expires_at, created_at)
    VALUES (@cidr, @description, @allowSmtp, @allowImap, @allowPop3, @relay, @requireTlsForAuth, @expiresAt, @createdAt)`);
  const replace = db.prepare(`
    UPDATE networks SET description = @description, allow_smtp = @allowSmtp, allow_imap = @allowImap, allow_pop3 = @allowPop3,
      relay = @relay, require_tls_auth = @requireTlsForAuth, expires_at = @expiresAt WHERE cidr = @cidr`);
  const get = db.prepare<[string], NetworkRow>('SELECT * FROM networks WHERE cidr = ?');
  const list = db.prepare<[], NetworkRow>('SELECT * FROM networks ORDER BY id');
  const remove = db.prepare<[string]>('DELETE FROM networks WHERE cidr = ?');

  const params = (cidr: string, description: string, p: NetworkPermissions) => ({
    cidr,
    description,
    allowSmtp: bit(p.allowSmtp),
    allowImap: bit(p.allowImap),
    allowPop3: bit(p.allowPop3),
    relay: bit(p.relay),
    requireTlsForAuth: bit(p.requireTlsForAuth),
    expiresAt: p.expiresAt,
  });

  const repo: NetworkRepo = {
    add(cidr, description, permissions) {
      try {
        insert.run({ ...params(cidr, description, permissions), createdAt: clock.now() });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`The network ${cidr} is already listed.`);
        throw error;
      }
      return repo.get(cidr)!;
    },
    get(cidr) {
      const row = get.get(cidr);
      return row && toNetwork(row);
    },
    list() {
      return list.all().map(toNetwork);
    },
    update(cidr, changes) {
      const current = repo.get(cidr);
      if (!current) throw new NotFoundError(`The network ${cidr} is not listed.`);
      const next = { ...current, ...changes };
      replace.run(params(cidr, next.description, next));
      return repo.get(cidr)!;
    },
    remove(cidr) {
      return remove.run(cidr).changes > 0;
    },
  };
  return repo;
}
