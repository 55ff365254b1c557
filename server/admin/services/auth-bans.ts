// The admin side of the auth throttle's bans (issue 11 §2): list the sources (an IPv4 address or an
// IPv6 /64) banned for repeated failed logins, and lift a ban. For the admin service, and through it
// the GUI's dashboard card and the CLI. The throttle keeps its bans in the store (auth_bans), so a
// CLI process on the same data folder sees the server's bans, and a lift there ends the ban in the
// running server within about a second (its throttle reloads the bans at most once a second).
import type { Throttle } from '../../auth/throttle.js';
import type { Logger } from '../../log.js';
import { AdminSchemas, type AdminApi } from '../contract.js';

export type BanAdmin = Pick<AdminApi, 'listBannedSources' | 'unbanSource'>;

export function createBanAdmin(deps: { throttle?: Pick<Throttle, 'blocked' | 'unblock'>; log: Logger }): BanAdmin {
  return {
    async listBannedSources() {
      return (deps.throttle?.blocked() ?? []).map((b) => ({ source: b.subject, since: b.since, until: b.until, failures: b.failures }));
    },
    async unbanSource(input) {
      const { source } = AdminSchemas.unbanSource.parse(input);
      const unbanned = (await deps.throttle?.unblock(source)) ?? false;
      deps.log.info('admin.auth.unban', { source, unbanned });
      return { unbanned };
    },
  };
}
