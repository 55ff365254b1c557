// The ManageSieve listener as `mailroom serve` runs it: scripts in the store, the shared
// authenticator and its throttling, and the same admission as IMAP (a network row that forbids IMAP
// forbids ManageSieve too, the per-IP connection limit, plaintext login only from trusted ranges that
// allow it), since it is the same mail client on the same account.
import type { Listener, ServerContext } from '../../index.js';
import { ConnectionCounter } from '../../net/connection-counter.js';
import { unmapIpv4 } from '../../policy/cidr.js';
import { mailboxAccess } from '../../policy/networks.js';
import { createManageSieveListener, type Admission } from './server.js';
import { storeScriptRepository } from './store-repository.js';

export function createManageSieveService(ctx: ServerContext): Listener {
  const perIp = new ConnectionCounter();
  const admit = async (remoteIp: string): Promise<Admission> => {
    const ip = unmapIpv4(remoteIp);
    const settings = ctx.settings();
    const access = mailboxAccess('imap', {
      remoteIp: ip,
      networks: await ctx.store.networks.list(),
      now: ctx.clock.now(),
      allowPlaintextFromTrusted: settings.allowPlaintextAuthFromTrusted,
    });
    if (!access.allowed) return { refusal: 'ManageSieve is not allowed from your network' };
    if (perIp.enter(ip) > settings.limits.maxConnectionsPerIp) {
      perIp.leave(ip);
      return { refusal: 'Too many connections from your address' };
    }
    return { plaintextLogin: access.plaintextLogin, done: () => perIp.leave(ip) };
  };
  return createManageSieveListener({
    name: 'managesieve',
    identity: () => ({ key: ctx.tls.key, cert: ctx.tls.cert }),
    auth: ctx.auth,
    scripts: storeScriptRepository(ctx.store),
    log: ctx.log,
    admit,
    maxConnections: () => ctx.settings().limits.maxImapConnections,
    minBytesPerSecond: () => ctx.settings().limits.minDataBytesPerSecond,
  });
}
