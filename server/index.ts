// The one composition root (DESIGN §1): createMailServer(config, deps) opens the store in the data
// folder, wires auth, the admin service and every listener, and returns { start, stop, admin, events }.
// Clock, password hasher, DNS resolver and dialer are injected so tests pass fakes; there are no
// module-level singletons. Listeners are plug-ins: each protocol adds itself to `listeners` below.
import { startLogRetention, type LogRetention } from './log-retention.js';
import { startGreylistExpiry } from './policy/greylist-expiry.js';
import type { Periodic } from './periodic.js';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { EventBus } from './events.js';
import { createLogSink } from './log.js';
import type { Store } from './store/index.js';
import { databaseUrlOf, openSelectedStore } from './store/select.js';
import { checkStoredSettings, defaultSettings, type PortName, type Settings } from './settings.js';
import type { Listener, ServerContext } from './context.js';
import { loadSettingsCache } from './settings-cache.js';
import { startListeners, type ListenerFailure } from './start-listeners.js';
import { createLiveTlsIdentity } from './tls/live-identity.js';
import { createAdminApi, type CredentialMaker } from './admin/api.js';
import type { AdminApi } from './admin/contract.js';
import { createAdminHttpServer } from './admin/http.js';
import { createPasswordHasher, type PasswordHasher } from './auth/password-hash.js';
import { deriveScramSecret, serializeScramSecret } from './auth/scram.js';
import { preparePassword } from './auth/saslprep.js';
import { createAuthenticator, type AuthAccountStore } from './auth/authenticator.js';
import { createThrottle } from './auth/throttle.js';
import { storedKey, UNKNOWN_USER_KEY } from './auth/stored-key.js';
import { DATABASE_FILE } from './host/data-dir.js';
import { createBackupService } from './backup/service.js';
import { clearRunning, markRunning } from './backup/running.js';
import { secureDataFolder } from './host/data-permissions.js';
import { createPop3Listeners } from './pop3/server.js';
import { createSmtpListeners } from './smtp/index.js';
import { createDnsResolver, type DnsResolver } from './dns/resolver.js';
import { createQueueRunner, type Dialer } from './delivery/outbound/index.js';
import { createImapListeners } from './imap/server.js';
import { createManageSieveService } from './sieve/managesieve/listener.js';
import { createAutoconfigListener } from './autoconfig/listener.js';
import { AddressError, normalizeDomain, parseAddress } from './mime/addr-spec.js';
import { startTextBackfill, type TextBackfill } from './store/text-backfill.js';

const AUTH_WARNINGS = new Set(['auth.fail', 'auth.block', 'auth.blocked']);

export const VERSION = '0.1.0';


export interface ServerConfig {
  dataDir: string;
  /** Overrides the listenHost setting for the mail listeners. */
  listenHost?: string;
  /** Overrides the adminHost setting. */
  adminHost?: string;
  /** Overrides per listener; 0 = an ephemeral port. */
  ports?: Partial<Record<PortName, number>>;
  /** Echo log lines to this function (the CLI passes stderr). */
  logEcho?: (line: string) => void;
}

export interface ServerDeps {
  clock?: Clock;
  hasher?: PasswordHasher;
  /** DNS for MX, SPF/DKIM/DMARC and DNSBL lookups (tests point it at a fake server). */
  resolver?: DnsResolver;
  /** Opens outbound SMTP connections (tests redirect them to loopback). */
  dialer?: Dialer;
  /** Waits out auth-throttle delays (tests record them instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
  /** Worker threads for the store's scanning reads (0: on the main thread; default: one per core, at most 4). */
  readWorkers?: number;
  /** A postgres:// URL: the store is that database (several nodes share it), not the data folder's SQLite file. Default: $MAILROOM_DATABASE_URL. */
  databaseUrl?: string;
}

export interface MailServer {
  /**
   * `setupUrl`: the one-time first-run link of the admin GUI, while no admin password is set.
   * `failed`: mail listeners that could not bind and are off (the admin listener never is: if it
   * cannot bind even on loopback, start rejects).
   */
  start(): Promise<{ ports: Partial<Record<PortName, number>>; setupUrl?: string; failed: Partial<Record<PortName, ListenerFailure>> }>;
  stop(): Promise<void>;
  admin: AdminApi;
  events: EventBus;
  context: ServerContext;
}

export function createCredentialMaker(hasher: PasswordHasher): CredentialMaker {
  return {
    async make(password) {
      // Both of the SASLprep-ed password (auth/saslprep.ts); a password it refuses is refused here.
      const [passwordHash, scram] = await Promise.all([hasher.hash(preparePassword(password)), deriveScramSecret(password)]);
      return { passwordHash, scramSecret: serializeScramSecret(scram) };
    },
  };
}

/** The accounts table as the authenticator sees it. */
export function authAccountStore(store: Store): AuthAccountStore {
  return {
    async findLoginAccount(address) {
      let parsed;
      try {
        parsed = parseAddress(address);
      } catch (error) {
        if (error instanceof AddressError) return undefined;
        throw error;
      }
      return store.accounts.secrets(parsed.local, parsed.domain);
    },
    async updatePasswordHash(id, passwordHash, scramSecret) {
      await store.accounts.update(id, { passwordHash, scramSecret });
    },
    recordLogin(id, at) {
      return store.accounts.recordLogin(id, at);
    },
    isMasterUser: (id) => store.senderRights.isMaster(id),
  };
}

/** Opens the data folder's store with what the admin service needs (the CLI uses this without listeners). */
export async function openContext(dataDir: string, deps: ServerDeps = {}, logEcho?: (line: string) => void): Promise<ServerContext & { close(): Promise<void> }> {
  const databaseFile = join(dataDir, DATABASE_FILE);
  // Before and after opening: the second pass catches a backup the migrations just wrote.
  const modeFixes = secureDataFolder(databaseFile);
  const clock = deps.clock ?? systemClock;
  const store = await openSelectedStore(databaseFile, databaseUrlOf(deps.databaseUrl), clock, { readWorkers: deps.readWorkers });
  modeFixes.push(...secureDataFolder(databaseFile));
  const bus = new EventBus();
  // Several nodes on one PostgreSQL: what the others commit reaches this node's IDLE sessions and GUI too.
  store.watchOtherNodes?.((changes) => {
    for (const change of changes) bus.emit('change', change);
  });
  const sink = createLogSink({ repo: store.log, clock, bus, echo: logEcho });
  for (const fix of modeFixes) sink.root.child({ component: 'server' }).warn('server.permissions-fixed', { ...fix });
  const hasher = deps.hasher ?? createPasswordHasher();
  const settingsCache = await loadSettingsCache(store.settings, clock);
  const settings = () => settingsCache.current();
  const authLog = sink.root.child({ component: 'auth' });
  // Made on first use, so a first start's certificate names the hostname adopted before it.
  const tls = createLiveTlsIdentity({ dataDir, hostname: () => settings().hostname, now: () => clock.now(), log: sink.root.child({ component: 'tls' }) });
  const throttle = createThrottle({ clock, ledger: store.authBans, onLedgerError: (error) => authLog.error('auth.ban-ledger-failed', { error: String(error) }) });
  await throttle.reload();
  const auth = createAuthenticator({
    store: authAccountStore(store),
    hasher,
    throttle,
    clock,
    unknownUserKey: await storedKey(settingsCache, UNKNOWN_USER_KEY),
    sleep: deps.sleep,
    // Failed logins and bans are warnings (issue 18: they show among the dashboard's warnings).
    log: (event, fields) => (AUTH_WARNINGS.has(event) ? authLog.warn(event, fields) : authLog.info(event, fields)),
  });
  return {
    dataDir,
    store,
    bus,
    log: sink.root,
    clock,
    hasher,
    credentials: createCredentialMaker(hasher),
    auth,
    throttle,
    resolver: deps.resolver ?? createDnsResolver({ servers: () => settings().dnsServers }),
    settings,
    settingsCache,
    get tls() {
      return tls.current();
    },
    reloadTls: () => tls.reload(),
    async close() {
      // The store closes even when the last log rows cannot be written (its database went away), so
      // nothing of it keeps the process alive.
      try {
        await sink.close();
      } finally {
        await store.close();
      }
    },
  };
}

export async function createMailServer(config: ServerConfig, deps: ServerDeps = {}): Promise<MailServer> {
  const ctx = await openContext(config.dataDir, deps, config.logEcho);
  // Before anything reads ctx.tls, so a first start's certificate names the adopted hostname.
  await adoptHostname(ctx);
  const startedAt = ctx.clock.now();
  const bound: Partial<Record<PortName, number>> = {};
  let failed: Partial<Record<PortName, ListenerFailure>> = {};
  const listeners: Listener[] = [];

  const queue = createQueueRunner(ctx, { resolver: ctx.resolver, dialer: deps.dialer });
  const backups = createBackupService({ ...ctx, settings: ctx.settingsCache, version: VERSION, hostname: ctx.settings().hostname, now: () => ctx.clock.now(), log: ctx.log.child({ component: 'backup' }) });
  const admin = createAdminApi({ ...ctx, runningTls: () => ctx.tls, queue, backups, log: ctx.log.child({ component: 'admin' }), status: () => ({ version: VERSION, startedAt, listeners: { ...bound }, failedListeners: Object.fromEntries(Object.entries(failed).map(([name, f]) => [name, f!.message])), ...(textBackfill && { searchIndex: textBackfill.status() }) }),
  });

  const adminHttp = createAdminHttpServer({
    api: admin,
    bus: ctx.bus,
    log: ctx.log.child({ component: 'admin-http' }),
    clock: ctx.clock,
    hasher: ctx.hasher,
    settings: ctx.settingsCache,
    throttle: ctx.throttle,
    sleep: deps.sleep,
    // The names people type for this machine: the mail hostname, the admin bind name, its own name and mDNS name.
    hostNames: () => [ctx.settings().hostname, ctx.settings().adminHost, config.adminHost ?? '', osHostname(), `${osHostname()}.local`],
  });
  listeners.push({ name: 'admin', start: adminHttp.start, stop: adminHttp.stop });
  listeners.push(...createSmtpListeners(ctx, ctx.auth));
  listeners.push(...createPop3Listeners(ctx, ctx.auth));
  listeners.push(...createImapListeners(ctx));
  listeners.push(createManageSieveService(ctx));
  listeners.push(createAutoconfigListener({ store: ctx.store, hostname: () => ctx.settings().hostname, ports: () => bound, log: ctx.log }));

  let retention: LogRetention | undefined;
  let textBackfill: TextBackfill | null = null;
  let greylistExpiry: Periodic | undefined;

  const hostFor = (name: PortName, s: Settings) => (name === 'admin' ? config.adminHost ?? s.adminHost : config.listenHost ?? s.listenHost);

  const server: MailServer = {
    admin,
    events: ctx.bus,
    context: ctx,
    async start() {
      void ctx.tls; // generate the certificate now rather than on the first TLS handshake
      const requeued = await ctx.store.queue.requeueInterrupted();
      const s = ctx.settings();
      for (const problem of checkStoredSettings(await ctx.store.settings.all()).problems) ctx.log.warn('server.setting-invalid', { ...problem });
      try {
        const started = await startListeners({
          // The autoconfig listener is optional (the autoconfigEnabled setting): off, it is not started at all.
          listeners: listeners.filter((l) => l.name !== 'autoconfig' || s.autoconfigEnabled),
          admin: 'admin',
          hostFor: (name) => hostFor(name, s),
          portFor: (name) => config.ports?.[name] ?? s.ports[name],
          adminFallbackHost: config.adminHost === undefined ? defaultSettings().adminHost : undefined,
          log: ctx.log,
          bus: ctx.bus,
        });
        Object.assign(bound, started.bound);
        failed = started.failed;
      } catch (error) {
        await server.stop();
        throw error;
      }
      queue.start();
      backups.start();
      markRunning(ctx.dataDir);
      retention = startLogRetention({ clock: ctx.clock, retentionDays: () => ctx.settings().logRetentionDays, pruneBefore: (ts) => ctx.store.log.pruneBefore(ts), log: ctx.log.child({ component: 'log' }) });
      textBackfill = startTextBackfill(ctx.store, ctx.log.child({ component: 'search-index' }), () => ctx.clock.now());
      greylistExpiry = startGreylistExpiry({ clock: ctx.clock, greylisting: () => ctx.settings().greylisting, store: ctx.store, log: ctx.log.child({ component: 'greylist' }) });
      ctx.log.info('server.start', { version: VERSION, ports: bound, failed, requeued });
      return { ports: { ...bound }, setupUrl: adminHttp.setupUrl(), failed: { ...failed } };
    },
    async stop() {
      retention?.stop();
      greylistExpiry?.stop();
      await textBackfill?.stop();
      await queue.stop();
      await backups.stop();
      clearRunning(ctx.dataDir);
      for (const listener of [...listeners].reverse()) {
        if (bound[listener.name] === undefined) continue;
        await listener.stop();
        delete bound[listener.name];
        ctx.bus.emit('listener', { name: listener.name, state: 'stopped' });
      }
      ctx.log.info('server.stop', {});
      await ctx.close();
    },
  };
  return server;
}

/** On a fresh data folder, take the machine's name as the mail hostname when it is a usable FQDN. */
async function adoptHostname(ctx: ServerContext) {
  if (ctx.settingsCache.get('hostname') !== undefined) return;
  let hostname;
  try {
    hostname = normalizeDomain(osHostname());
  } catch {
    return; // Not a FQDN (e.g. "laptop"): keep the default until the first-run wizard asks.
  }
  await ctx.settingsCache.set('hostname', hostname);
}
