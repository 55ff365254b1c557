// The ManageSieve listener as `mailroom serve` runs it: scripts in the store, the shared
// authenticator and its throttling, and the same admission as IMAP (a network row that forbids IMAP
// forbids ManageSieve too, the per-IP connection limit, plaintext login only from trusted ranges that
// allow it), since it is the same mail client on the same account.
import type { Listener, ManageSieveContext } from '../../context.js';
import { createAdmission } from '../../policy/admission.js';
import { createManageSieveListener, type Admission } from './server.js';
import { storeScriptRepository } from './store-repository.js';

export function createManageSieveService(ctx: ManageSieveContext): Listener {
  // The same client on the same account as IMAP: IMAP's network rule, with its own per-address count.
  const admitMailbox = createAdmission(ctx, 'imap', 'ManageSieve');
  const admit = async (remoteIp: string): Promise<Admission> => {
    const admission = await admitMailbox(remoteIp);
    return admission.refusal !== null ? { refusal: admission.refusal.text } : { plaintextLogin: admission.access.plaintextLogin, done: admission.done };
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
