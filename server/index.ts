// The one composition root (DESIGN §1): createMailServer(config, deps) opens the store in the data
// folder, wires auth, the admin service and every listener, and returns { start, stop, admin, events }.
// Clock, password hasher, DNS resolver and dialer are injected so tests pass fakes; there are no
// module-level singletons. Listeners are plug-ins: each protocol adds itself to `listeners` below.
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { EventBus } from './events.js';
import { createLogSink, type Logger } from './log.js';
import { openStore, type Store } from './store/index.js';
import { resolveSettings, type Settings } from './settings.js';
import { loadOrCreateCertificate, type TlsIdentity } from './tls/certificate.js';
import { createAdminApi, type CredentialMaker } from './admin/api.js';
import type { AdminApi } from './admin/contract.js';
import { createAdminHttpServer } from './admin/http.js';
import { createPasswordHasher, type PasswordHasher } from './auth/password-hash.js';
import { deriveScramSecret, serializeScramSecret } from './auth/scram.js';
import { createAuthenticator, type AuthAccountStore, type Authenticator } from './auth/authenticator.js';
import { createThrottle, type Throttle } from './auth/throttle.js';
import { storedKey, UNKNOWN_USER_KEY } from './auth/stored-key.js';
import { DATABASE_FILE } from './host/data-dir.js';
import { secureDataFolder } from './host/data-permissions.js';
import { createPop3Listeners } from './pop3/server.js';
import { createSmtpListeners } from './smtp/index.js';
import { createDnsResolver, type DnsResolver } from './dns/resolver.js';
import { createQueueRunner, type Dialer } from './delivery/outbound/index.js';
import { createImapListeners } from './imap/server.js';
import { AddressError, normalizeDomain, parseAddress } from './mime/addr-spec.js';

export const VERSION = '0.1.0';

export const PORT_NAMES = ['smtp', 'submission', 'submissions', 'imap', 'imaps', 'pop3', 'pop3s', 'admin'] as const;
export type PortName = (typeof PORT_NAMES)[number];

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
}

/** What every protocol module is handed. */
export interface ServerContext {
  dataDir: string;
  store: Store;
  bus: EventBus;
  log: Logger;
  clock: Clock;
  hasher: PasswordHasher;
  credentials: CredentialMaker;
  /** The one credential check for SMTP, IMAP, POP3 and the admin login. */
  auth: Authenticator;
  throttle: Throttle;
  /** Follows the dnsServers setting at every lookup (system servers when empty). */
  resolver: DnsResolver;
  settings(): Settings;
  tls: TlsIdentity;
}

/** A network listener plugged into `serve`. */
export interface Listener {
  name: PortName;
  start(host: string, port: number): Promise<number>;
  stop(): Promise<void>;
}

export interface MailServer {
  /** `setupUrl`: the one-time first-run link of the admin GUI, while no admin password is set. */
  start(): Promise<{ ports: Partial<Record<PortName, number>>; setupUrl?: string }>;
  stop(): Promise<void>;
  admin: AdminApi;
  events: EventBus;
  context: ServerContext;
}

export function createCredentialMaker(hasher: PasswordHasher): CredentialMaker {
  return {
    async make(password) {
      const [passwordHash, scram] = await Promise.all([hasher.hash(password), deriveScramSecret(password)]);
      return { passwordHash, scramSecret: serializeScramSecret(scram) };
    },
  };
}

/** The accounts table as the authenticator sees it. */
export function authAccountStore(store: Store): AuthAccountStore {
  return {
    findLoginAccount(address) {
      try {
        const { local, domain } = parseAddress(address);
        return store.accounts.secrets(local, domain);
      } catch (error) {
        if (error instanceof AddressError) return undefined;
        throw error;
      }
    },
    updatePasswordHash(id, passwordHash, scramSecret) {
      store.accounts.update(id, { passwordHash, scramSecret });
    },
    recordLogin(id, at) {
      store.accounts.recordLogin(id, at);
    },
  };
}

/** Opens the data folder's store with what the admin service needs (the CLI uses this without listeners). */
export function openContext(dataDir: string, deps: ServerDeps = {}, logEcho?: (line: string) => void): ServerContext & { close(): void } {
  const databaseFile = join(dataDir, DATABASE_FILE);
  // Before and after opening: the second pass catches a backup the migrations just wrote.
  const modeFixes = secureDataFolder(databaseFile);
  const clock = deps.clock ?? systemClock;
  const store = openStore(databaseFile, clock);
  modeFixes.push(...secureDataFolder(databaseFile));
  const bus = new EventBus();
  const sink = createLogSink({ repo: store.log, clock, bus, echo: logEcho });
  for (const fix of modeFixes) sink.root.child({ component: 'server' }).warn('server.permissions-fixed', { ...fix });
  const hasher = deps.hasher ?? createPasswordHasher();
  let tls: TlsIdentity | undefined;
  const settings = () => resolveSettings(store.settings.all());
  const throttle = createThrottle({ clock, ledger: store.authBans });
  const authLog = sink.root.child({ component: 'auth' });
  const auth = createAuthenticator({
    store: authAccountStore(store),
    hasher,
    throttle,
    clock,
    unknownUserKey: storedKey(store.settings, UNKNOWN_USER_KEY),
    sleep: deps.sleep,
    log: (event, fields) => authLog.info(event, fields),
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
    get tls() {
      return (tls ??= loadOrCreateCertificate(dataDir, settings().hostname, clock.now()));
    },
    close() {
      sink.close();
      store.close();
    },
  };
}

export function createMailServer(config: ServerConfig, deps: ServerDeps = {}): MailServer {
  const ctx = openContext(config.dataDir, deps, config.logEcho);
  // Before anything reads ctx.tls, so a first start's certificate names the adopted hostname.
  adoptHostname(ctx);
  const startedAt = ctx.clock.now();
  const bound: Partial<Record<PortName, number>> = {};
  const listeners: Listener[] = [];

  const queue = createQueueRunner(ctx, { resolver: ctx.resolver, dialer: deps.dialer });
  const admin = createAdminApi({ ...ctx, queue, log: ctx.log.child({ component: 'admin' }), status: () => ({ version: VERSION, startedAt, listeners: { ...bound } }) });

  const adminHttp = createAdminHttpServer({
    api: admin,
    bus: ctx.bus,
    log: ctx.log.child({ component: 'admin-http' }),
    clock: ctx.clock,
    hasher: ctx.hasher,
    settings: ctx.store.settings,
    throttle: ctx.throttle,
    sleep: deps.sleep,
    // The names people type for this machine: the mail hostname, the admin bind name, its own name and mDNS name.
    hostNames: () => [ctx.settings().hostname, ctx.settings().adminHost, config.adminHost ?? '', osHostname(), `${osHostname()}.local`],
  });
  listeners.push({ name: 'admin', start: adminHttp.start, stop: adminHttp.stop });
  listeners.push(...createSmtpListeners(ctx, ctx.auth));
  listeners.push(...createPop3Listeners(ctx, ctx.auth));
  listeners.push(...createImapListeners(ctx));

  const hostFor = (name: PortName, s: Settings) => (name === 'admin' ? config.adminHost ?? s.adminHost : config.listenHost ?? s.listenHost);

  return {
    admin,
    events: ctx.bus,
    context: ctx,
    async start() {
      void ctx.tls; // generate the certificate now rather than on the first TLS handshake
      const requeued = ctx.store.queue.requeueInterrupted();
      const s = ctx.settings();
      try {
        for (const listener of listeners) {
          const port = config.ports?.[listener.name] ?? s.ports[listener.name];
          bound[listener.name] = await listener.start(hostFor(listener.name, s), port);
          ctx.bus.emit('listener', { name: listener.name, state: 'listening', port: bound[listener.name] });
        }
      } catch (error) {
        const failed = listeners.find((l) => bound[l.name] === undefined)?.name ?? 'unknown';
        ctx.log.error('server.listen-failed', { listener: failed, error });
        ctx.bus.emit('listener', { name: failed, state: 'failed', error: (error as Error).message });
        await this.stop();
        throw error;
      }
      queue.start();
      ctx.log.info('server.start', { version: VERSION, ports: bound, requeued });
      return { ports: { ...bound }, setupUrl: adminHttp.setupUrl() };
    },
    async stop() {
      await queue.stop();
      for (const listener of [...listeners].reverse()) {
        if (bound[listener.name] === undefined) continue;
        await listener.stop();
        delete bound[listener.name];
        ctx.bus.emit('listener', { name: listener.name, state: 'stopped' });
      }
      ctx.log.info('server.stop', {});
      ctx.close();
    },
  };
}

/** On a fresh data folder, take the machine's name as the mail hostname when it is a usable FQDN. */
function adoptHostname(ctx: ServerContext) {
  if (ctx.store.settings.get('hostname') !== undefined) return;
  try {
    ctx.store.settings.set('hostname', normalizeDomain(osHostname()));
  } catch {
    // Not a FQDN (e.g. "laptop"): keep the default until the first-run wizard asks.
  }
}
