// What the composition root (server/index.ts) hands the protocols: the ServerContext of shared
// services, the Listener shape every protocol's listeners have, and the narrow slice of the context
// each protocol uses, so a protocol's dependencies are read off its type and tests can build one
// with only those parts. Types only: this module has no code, so it can be imported from anywhere
// without making an import cycle.
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { Logger } from './log.js';
import type { Store } from './store/index.js';
import type { PortName, Settings } from './settings.js';
import type { SettingsCache } from './settings-cache.js';
import type { TlsIdentity } from './tls/certificate.js';
import type { PasswordHasher } from './auth/password-hash.js';
import type { Authenticator } from './auth/authenticator.js';
import type { Throttle } from './auth/throttle.js';
import type { DnsResolver } from './dns/resolver.js';
import type { CredentialMaker } from './admin/services/accounts.js';

export type { PortName };

/** The SMTP listeners among the ports. */
export type SmtpListenerName = Extract<PortName, 'smtp' | 'submission' | 'submissions'>;

/** What every protocol module is handed (each takes the slice it uses, below). */
export interface ServerContext {
  dataDir: string;
  store: Store;
  bus: EventBus;
  log: Logger;
  clock: Clock;
  hasher: PasswordHasher;
  credentials: CredentialMaker;
  /** The one credential check for SMTP, IMAP, POP3, ManageSieve and the admin login. */
  auth: Authenticator;
  throttle: Throttle;
  /** Follows the dnsServers setting at every lookup (system servers when empty). */
  resolver: DnsResolver;
  settings(): Settings;
  /** The stored settings rows in memory; writes go through it (settings-cache.ts). */
  settingsCache: SettingsCache;
  /** The certificate for a new connection: follows the data folder's tls/ files without a restart (tls/live-identity.ts). */
  readonly tls: TlsIdentity;
  /** Reads tls/ now (after an import); true when a new pair was taken. */
  reloadTls(): boolean;
}

/** A network listener plugged into `serve`. */
export interface Listener {
  name: PortName;
  start(host: string, port: number): Promise<number>;
  stop(): Promise<void>;
}

/** Connection admission (per-address count and the network rows' access): IMAP, POP3, ManageSieve. */
export type AdmissionContext = Pick<ServerContext, 'store' | 'clock' | 'settings'>;
export type SmtpContext = Pick<ServerContext, 'dataDir' | 'store' | 'bus' | 'log' | 'clock' | 'resolver' | 'settings' | 'settingsCache' | 'tls'>;
export type ImapContext = Pick<ServerContext, 'store' | 'bus' | 'log' | 'clock' | 'auth' | 'settings' | 'tls'>;
export type Pop3Context = Pick<ServerContext, 'store' | 'bus' | 'log' | 'clock' | 'settings' | 'tls'>;
export type ManageSieveContext = Pick<ServerContext, 'store' | 'log' | 'clock' | 'auth' | 'settings' | 'tls'>;
