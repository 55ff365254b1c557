// The admin service (DESIGN §9): the only way configuration changes. It is merged here from one
// module per area (services/), each implementing its slice of AdminApi: every method validates its
// input with the contract's zod schema and returns plain JSON-able views; writes are store use cases
// whose changes are broadcast on the bus after commit. What escapes a method goes through the one
// error mapper (services/errors.ts), so every failure a person can act on is an AdminError.
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { Throttle } from '../auth/throttle.js';
import type { SettingsCache } from '../settings-cache.js';
import type { DnsResolver } from '../dns/resolver.js';
import type { TlsIdentity } from '../tls/certificate.js';
import type { BackupService } from '../backup/service.js';
import type { AdminApi } from './contract.js';
import { createAccountAdmin, type CredentialMaker } from './services/accounts.js';
import { createActivityAdmin } from './services/activity.js';
import { createAliasAdmin } from './services/aliases.js';
import { createBackupAdmin } from './services/backup.js';
import { createBanAdmin } from './services/auth-bans.js';
import { createDoctor } from './services/doctor.js';
import { createDomainAdmin } from './services/domains.js';
import { createDomainAuthAdmin } from './services/domain-auth.js';
import { createDnsCheckAdmin } from './services/dns-check.js';
import { withAdminErrors } from './services/errors.js';
import { createImportAdmin } from './services/import.js';
import { createLogAdmin } from './services/logs.js';
import { createNetworkAdmin } from './services/networks.js';
import { createQueueAdmin } from './services/queue.js';
import { createRuleAdmin } from './services/rules.js';
import { createSenderRightsAdmin } from './services/sender-rights.js';
import { createMailRulesAdmin } from './services/sieve.js';
import { createSpamAdmin } from './services/spam.js';
import { createSettingsAdmin } from './services/settings.js';
import { createSetupAdmin } from './services/setup.js';
import { createStatusAdmin, type ServerStatus } from './services/status.js';
import { createTlsAdmin } from './services/tls.js';
import { createTransportAdmin } from './services/transports.js';
import { createSharedAdmin } from './services/shared.js';

export type { CredentialMaker };

export interface AdminDeps {
  store: Store;
  credentials: CredentialMaker;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  status: ServerStatus;
  /** The settings rows in memory; settings changes are written through it. */
  settingsCache: SettingsCache;
  /** For the doctor's DNS check (the server's own resolver, which follows the dnsServers setting). */
  resolver?: DnsResolver;
  /** The auth throttle whose bans listBannedSources/unbanSource show and lift. */
  throttle?: Pick<Throttle, 'blocked' | 'unblock'>;
  /** The running queue runner, told to look at the queue now after a flush (absent in the CLI). */
  queue?: { kick(): void };
  /** The data folder (its tls/ holds the certificate); without it the TLS methods answer not-found. */
  dataDir?: string;
  /** The identity the running listeners use now (absent in the CLI, which runs none). */
  runningTls?: () => TlsIdentity;
  /** Makes the running listeners take the data folder's certificate now (after an import). */
  reloadTls?: () => boolean;
  /** The server's backup service (its schedule runs in serve); without it the backup methods answer not-found. */
  backups?: BackupService;
}

export function createAdminApi(deps: AdminDeps): AdminApi {
  const { store, bus, log, clock } = deps;
  const settings = () => deps.settingsCache.current();
  const parts: Omit<AdminApi, 'runDoctor'> = {
    ...createStatusAdmin({ store, status: deps.status, settings }),
    ...createRuleAdmin({ store, clock, log, settings }),
    ...createDomainAdmin({ store, bus, log }),
    ...createDomainAuthAdmin({ store, clock, log }),
    ...createDnsCheckAdmin({ store, clock, settings, resolver: deps.resolver, listeners: () => deps.status().listeners }),
    ...createAccountAdmin({ store, credentials: deps.credentials, bus, log }),
    ...createAliasAdmin({ store, log }),
    ...createTransportAdmin({ store, log }),
    ...createNetworkAdmin({ store, clock, log }),
    ...createSettingsAdmin({ settingsCache: deps.settingsCache, log }),
    ...createLogAdmin({ store }),
    ...createActivityAdmin({ store, clock }),
    ...createQueueAdmin({ store, log, queue: deps.queue }),
    ...createTlsAdmin({ clock, log, settings, dataDir: deps.dataDir, runningTls: deps.runningTls, reloadTls: deps.reloadTls }),
    ...createSetupAdmin({ log, settings, listeners: () => deps.status().listeners }),
    ...createBanAdmin({ throttle: deps.throttle, log }),
    ...createSenderRightsAdmin({ store, log }),
    ...createMailRulesAdmin({ store, log }),
    ...createSpamAdmin({ store, settingsCache: deps.settingsCache, clock, bus, log }),
    ...createBackupAdmin({ backups: deps.backups, dataDir: deps.dataDir, log }),
    ...createSharedAdmin({ store, bus, log }),
    ...createImportAdmin({ store, bus, log: log.child({ component: 'import' }), clock }),
  };
  const doctor = createDoctor({
    api: parts,
    clock,
    dataDir: deps.dataDir,
    resolver: deps.resolver,
    storedSettings: () => store.settings.all(),
    integrityCheck: () => store.integrityCheck(),
  });
  return withAdminErrors({ ...parts, ...doctor });
}
