// The admin service (DESIGN §9): the only way configuration changes. Every method validates its input
// with the contract's zod schema, turns low-level failures into AdminError with a sentence a person
// can act on, and returns plain JSON-able views. Writes are store transactions; changes that affect
// mailboxes are broadcast on the bus after commit.
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { Throttle } from '../auth/throttle.js';
import type { Account } from '../store/accounts.js';
import type { Alias } from '../store/aliases.js';
import type { Network } from '../store/networks.js';
import type { TransportRoute } from '../store/transports.js';
import { CATCH_ALL } from '../store/aliases.js';
import { ConflictError, NotFoundError } from '../store/errors.js';
import { AddressError, displayDomain, normalizeDomain, parseAddress, validateLocalPart } from '../mime/addr-spec.js';
import { CidrError, parseCidr } from '../policy/cidr.js';
import { expandRecipient, AliasLoopError, AliasDepthError, type RecipientDirectory } from '../delivery/expand.js';
import { createRuleAdmin } from '../policy/rules-admin.js';
import type { Settings } from '../settings.js';
import type { SettingsCache } from '../settings-cache.js';
import { dmarcActionFor } from '../auth-checks/index.js';
import { DEFAULT_SELECTOR, dkimRecord, generateDkimKey, type DkimKey } from '../delivery/outbound/dkim.js';
import type { DnsResolver } from '../dns/resolver.js';
import { createDoctor } from './services/doctor.js';
import { createBanAdmin } from './services/auth-bans.js';
import { createSenderRightsAdmin } from './services/sender-rights.js';
// --- TLS and ports (issue 7) ---
import { createServer } from 'node:net';
import { createSelfSigned, loadOrCreateCertificate, saveCertificate, type TlsIdentity } from '../tls/certificate.js';
import { CertificateError, checkCertificatePair, describeCertificate, namesHost } from '../tls/inspect.js';
// --- end of TLS and ports ---
import {
  AdminError,
  AdminSchemas,
  type AccountView,
  type AdminApi,
  type AdminMethod,
  type AliasView,
  type DkimKeyView,
  type DomainView,
  type NetworkView,
  type StatusView,
  type TransportView,
  type ListenerName,
  type PortTestResult,
  type TlsInfo,
} from './contract.js';

/** Turns a password into what the accounts table keeps: the strong hash and the SCRAM secret. */
export interface CredentialMaker {
  make(password: string): Promise<{ passwordHash: string; scramSecret: string }>;
}

export interface AdminDeps {
  store: Store;
  credentials: CredentialMaker;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  status: () => Pick<StatusView, 'version' | 'startedAt' | 'listeners' | 'failedListeners'>;
  /** The settings rows in memory; settings changes are written through it. */
  settingsCache: SettingsCache;
  /** For the doctor's DNS check (the server's own resolver, which follows the dnsServers setting). */
  resolver?: DnsResolver;
  /** The auth throttle whose bans listBannedSources/unbanSource show and lift. */
  throttle?: Pick<Throttle, 'blocked' | 'unblock'>;
  /** The running queue runner, told to look at the queue now after a flush (absent in the CLI). */
  queue?: { kick(): void };
  // --- TLS and ports (issue 7) ---
  /** The data folder (its tls/ holds the certificate); without it the TLS methods answer not-found. */
  dataDir?: string;
  /** The identity the running listeners loaded at start, to tell whether a restart would change it. */
  tls?: TlsIdentity;
  // --- end of TLS and ports ---
}

export function createAdminApi(deps: AdminDeps): AdminApi {
  const { store, bus, log } = deps;

  const broadcast = (changes: { changes: Parameters<typeof bus.emit<'change'>>[1][] }) => {
    for (const change of changes.changes) bus.emit('change', change);
  };

  const domainOf = async (name: string) => {
    const normalized = guard(() => normalizeDomain(name), 'name');
    const domain = await store.domains.get(normalized);
    if (!domain) throw new AdminError('not-found', `There is no domain ${name.trim()}. Add it first.`, 'domain');
    return domain;
  };

  const accountOf = async (address: string): Promise<Account> => {
    const parsed = guard(() => parseAddress(address), 'address');
    const account = await store.accounts.find(parsed.local, parsed.domain);
    if (!account) throw new AdminError('not-found', `There is no account ${address.trim()}.`, 'address');
    return account;
  };

  const directory: RecipientDirectory = {
    isLocalDomain: async (domain) => (await store.domains.get(domain)) !== undefined,
    account: (local, domain) => store.accounts.find(local, domain),
    alias: (local, domain) => store.aliases.find(local, domain),
  };

  /** Validates alias destinations: syntax, known local targets, and no loop through `self`. */
  const checkDestinations = async (self: { local: string; domain: string }, destinations: string[]): Promise<string[]> => {
    const cleaned = [...new Set(destinations.map((d) => d.trim()).filter((d) => d !== ''))];
    if (cleaned.length === 0) throw new AdminError('invalid', 'An alias needs at least one destination.', 'destinations');
    const normalized = cleaned.map((d) => {
      const a = guard(() => parseAddress(d), 'destinations');
      if (a.local === CATCH_ALL) throw new AdminError('invalid', `A destination cannot be a catch-all (${d}).`, 'destinations');
      return `${a.local}@${a.domain}`;
    });
    // Expand as if the alias already had these destinations, to find unknown targets and loops.
    const selfKey = `${self.local}@${self.domain}`.toLowerCase();
    const trial: RecipientDirectory = {
      ...directory,
      alias: (local, domain) =>
        `${local}@${domain}`.toLowerCase() === selfKey ? Promise.resolve({ address: selfKey, destinations: normalized, active: true }) : directory.alias(local, domain),
    };
    for (const destination of normalized) {
      const a = parseAddress(destination);
      if (!(await directory.isLocalDomain(a.domain))) continue;
      if (!(await directory.account(a.local, a.domain)) && !(await directory.alias(a.local, a.domain)) && `${a.local}@${a.domain}`.toLowerCase() !== selfKey) {
        throw new AdminError('invalid', `${destination} is on a local domain but is neither an account nor an alias. Create it first.`, 'destinations');
      }
    }
    try {
      if (self.local === CATCH_ALL) for (const d of normalized) await expandRecipient(d, trial);
      else await expandRecipient(`${self.local}@${self.domain}`, trial);
    } catch (error) {
      if (error instanceof AliasLoopError || error instanceof AliasDepthError) throw new AdminError('invalid', error.message, 'destinations');
      throw error;
    }
    return normalized;
  };

  const settings = (): Settings => deps.settingsCache.current();
  const rules = createRuleAdmin({ store, clock: deps.clock, log, settings });

  const impl: AdminApi = {
    ...createBanAdmin({ throttle: deps.throttle, log }),
    ...createSenderRightsAdmin({ store, log }),
    listRules: (input) => rules.listRules(input),
    addRule: (input) => rules.addRule(input),
    updateRule: (input) => rules.updateRule(input),
    moveRule: (input) => rules.moveRule(input),
    removeRule: (input) => rules.removeRule(input),
    testRules: (input) => rules.testRules(input),

    async getStatus() {
      const s = deps.status();
      return {
        ...s,
        hostname: settings().hostname,
        domains: (await store.domains.list()).length,
        accounts: (await store.accounts.list()).length,
        queue: await store.queue.count(),
      };
    },

    async listDomains() {
      return (await store.domains.list()).map((d) => ({ ...domainView(d), accounts: d.accounts, aliases: d.aliases, usedBytes: d.usedBytes }));
    },
    async addDomain(input) {
      const { name, defaultQuota } = AdminSchemas.addDomain.parse(input);
      const normalized = guard(() => normalizeDomain(name), 'name');
      const domain = await guarded(() => store.domains.add(normalized, defaultQuota ?? 0), 'name');
      log.info('admin.domain.add', { domain: normalized });
      return { ...domainView(domain), accounts: 0, aliases: 0, usedBytes: 0 };
    },
    async updateDomain(input) {
      const { name, active, defaultQuota } = AdminSchemas.updateDomain.parse(input);
      const domain = await domainOf(name);
      await store.domains.update(domain.name, { active, defaultQuota });
      log.info('admin.domain.update', { domain: domain.name, active, defaultQuota });
      return (await impl.listDomains()).find((d) => d.name === domain.name)!;
    },
    async removeDomain(input) {
      const { name, cascade } = AdminSchemas.removeDomain.parse(input);
      const domain = await domainOf(name);
      const accounts = await store.accounts.countInDomain(domain.id);
      const aliases = (await store.aliases.list(domain.name)).length;
      if ((accounts > 0 || aliases > 0) && !cascade) {
        throw new AdminError(
          'conflict',
          `The domain ${domain.name} still has ${accounts} account(s) and ${aliases} alias(es). Remove them first, or remove the domain with everything in it.`,
          'name',
        );
      }
      broadcast(await store.deleteDomain(domain.id));
      log.info('admin.domain.remove', { domain: domain.name, accounts, aliases });
      return { removedAccounts: accounts, removedAliases: aliases };
    },

    async listAccounts(input = {}) {
      const { domain } = AdminSchemas.listAccounts.parse(input);
      const filter = domain === undefined ? undefined : (await domainOf(domain)).name;
      return (await store.accounts.list(filter)).map(accountView);
    },
    async addAccount(input) {
      const { address, password, displayName, quota } = AdminSchemas.addAccount.parse(input);
      const parsed = guard(() => parseAddress(address), 'address');
      const domain = await domainOf(parsed.domain);
      if (await store.aliases.find(parsed.local, domain.name)) {
        throw new AdminError('conflict', `${parsed.local}@${domain.name} is already an alias. Remove the alias first or pick another name.`, 'address');
      }
      if (await store.accounts.find(parsed.local, domain.name)) {
        throw new AdminError('conflict', `The account ${parsed.local}@${domain.name} already exists.`, 'address');
      }
      const secrets = await deps.credentials.make(password);
      const account = await guarded(
        () => store.createAccount({ domainId: domain.id, localPart: parsed.local, displayName, ...secrets, quotaBytes: quota ?? domain.defaultQuota }),
        'address',
      );
      log.info('admin.account.add', { address: account.address });
      return accountView(account);
    },
    async setPassword(input) {
      const { address, password } = AdminSchemas.setPassword.parse(input);
      const account = await accountOf(address);
      const secrets = await deps.credentials.make(password);
      const updated = await store.accounts.update(account.id, secrets);
      log.info('admin.account.password', { address: account.address });
      return accountView(updated);
    },
    async updateAccount(input) {
      const { address, displayName, quota, active } = AdminSchemas.updateAccount.parse(input);
      const account = await accountOf(address);
      const updated = await store.accounts.update(account.id, { displayName, quotaBytes: quota, active });
      log.info('admin.account.update', { address: account.address, quota, active });
      return accountView(updated);
    },
    async removeAccount(input) {
      const { address } = AdminSchemas.removeAccount.parse(input);
      const account = await accountOf(address);
      const referencing = await store.aliases.referencing(account.address);
      if (referencing.length > 0) {
        throw new AdminError(
          'conflict',
          `${account.address} is a destination of ${referencing.map((a) => a.address).join(', ')}. Change those aliases first.`,
          'address',
        );
      }
      const removed = await store.deleteAccount(account.id);
      broadcast(removed);
      // Counted from what the deletion did, not from a read before it.
      const removedMessages = removed.changes.reduce((n, c) => n + (c.kind === 'messages-expunged' ? c.uids.length : 0), 0);
      log.info('admin.account.remove', { address: account.address, removedMessages });
      return { removedMessages };
    },

    async listAliases(input = {}) {
      const { domain } = AdminSchemas.listAliases.parse(input);
      const filter = domain === undefined ? undefined : (await domainOf(domain)).name;
      return (await store.aliases.list(filter)).map(aliasView);
    },
    async addAlias(input) {
      const { address, destinations } = AdminSchemas.addAlias.parse(input);
      const self = parseAliasAddress(address);
      const domain = await domainOf(self.domain);
      if (self.local !== CATCH_ALL && await store.accounts.find(self.local, domain.name)) {
        throw new AdminError('conflict', `${self.local}@${domain.name} is an account; an alias cannot have the same address.`, 'address');
      }
      if (await store.aliases.find(self.local, domain.name)) {
        throw new AdminError('conflict', `The alias ${self.local}@${domain.name} already exists; edit it instead.`, 'address');
      }
      const checked = await checkDestinations(self, destinations);
      const alias = await guarded(() => store.aliases.add(domain.id, self.local, checked), 'address');
      log.info('admin.alias.add', { alias: alias.address, destinations: checked });
      return aliasView(alias);
    },
    async updateAlias(input) {
      const { address, destinations } = AdminSchemas.updateAlias.parse(input);
      const self = parseAliasAddress(address);
      const alias = await store.aliases.find(self.local, self.domain);
      if (!alias) throw new AdminError('not-found', `There is no alias ${address.trim()}.`, 'address');
      const checked = await checkDestinations(self, destinations);
      await store.aliases.setDestinations(alias.id, checked);
      log.info('admin.alias.update', { alias: alias.address, destinations: checked });
      return aliasView((await store.aliases.find(self.local, self.domain))!);
    },
    async removeAlias(input) {
      const { address } = AdminSchemas.removeAlias.parse(input);
      const self = parseAliasAddress(address);
      const alias = await store.aliases.find(self.local, self.domain);
      if (!alias) throw new AdminError('not-found', `There is no alias ${address.trim()}.`, 'address');
      const referencing = (await store.aliases.referencing(alias.address)).filter((a) => a.id !== alias.id);
      if (referencing.length > 0) {
        throw new AdminError('conflict', `${alias.address} is a destination of ${referencing.map((a) => a.address).join(', ')}. Change those aliases first.`, 'address');
      }
      await store.aliases.deleteRow(alias.id);
      log.info('admin.alias.remove', { alias: alias.address });
    },

    async listTransports() {
      return (await store.transports.list()).map((t) => ({ domain: t.domain, route: formatRoute(t.route) }));
    },
    async setTransport(input) {
      const { domain, route } = AdminSchemas.setTransport.parse(input);
      const name = guard(() => normalizeDomain(domain), 'domain');
      const parsed = parseRoute(route);
      const t = await store.transports.set(name, parsed);
      log.info('admin.transport.set', { domain: name, route: formatRoute(parsed) });
      return { domain: t.domain, route: formatRoute(t.route) } satisfies TransportView;
    },
    async removeTransport(input) {
      const { domain } = AdminSchemas.removeTransport.parse(input);
      const name = guard(() => normalizeDomain(domain), 'domain');
      if (!await store.transports.remove(name)) throw new AdminError('not-found', `There is no transport entry for ${name}.`, 'domain');
      log.info('admin.transport.remove', { domain: name });
    },

    async listNetworks() {
      return (await store.networks.list()).map((n) => networkView(n, deps.clock.now()));
    },
    async addNetwork(input) {
      const { cidr, description, confirmOpenRelay: _confirmed, ...permissions } = AdminSchemas.addNetwork.parse(input);
      const canonical = cidrText(cidr);
      const network = await guarded(() => store.networks.add(canonical, description, permissions), 'cidr');
      log.info('admin.network.add', { cidr: canonical, relay: permissions.relay });
      return networkView(network, deps.clock.now());
    },
    async updateNetwork(input) {
      const { cidr, confirmOpenRelay: _confirmed, ...changes } = AdminSchemas.updateNetwork.parse(input);
      const canonical = cidrText(cidr);
      const network = await guarded(() => store.networks.update(canonical, changes), 'cidr');
      log.info('admin.network.update', { cidr: canonical, ...changes });
      return networkView(network, deps.clock.now());
    },
    async removeNetwork(input) {
      const { cidr } = AdminSchemas.removeNetwork.parse(input);
      const canonical = cidrText(cidr);
      if (!await store.networks.remove(canonical)) throw new AdminError('not-found', `The network ${canonical} is not listed.`, 'cidr');
      log.info('admin.network.remove', { cidr: canonical });
    },

    async getSettings() {
      return settings();
    },
    async updateSettings(input) {
      const patch = { ...AdminSchemas.updateSettings.parse(input) };
      if (patch.hostname !== undefined) patch.hostname = guard(() => normalizeDomain(patch.hostname!), 'hostname');
      const next = await deps.settingsCache.patch(patch);
      log.info('admin.settings.update', { keys: Object.keys(patch) });
      return next;
    },

    async queryLog(input = {}) {
      return await store.log.query(AdminSchemas.queryLog.parse(input));
    },

    async listQueue() {
      return (await store.queue.list()).map((q) => ({
        id: q.id,
        queueId: q.queueId,
        sender: q.sender,
        recipient: q.recipient,
        state: q.state,
        attempts: q.attempts,
        nextAttemptAt: q.nextAttemptAt,
        lastError: q.lastError,
        size: q.size,
        createdAt: q.createdAt,
      }));
    },
    async retryQueue(input = {}) {
      const { queueId } = AdminSchemas.retryQueue.parse(input);
      if (queueId !== undefined && (await store.queue.byQueueId(queueId)).length === 0) {
        throw new AdminError('not-found', `Nothing is queued under ${queueId}.`, 'queueId');
      }
      const retried = await store.queue.retryNow(queueId);
      log.info('admin.queue.retry', { queueId: queueId ?? 'all', retried });
      return { retried };
    },
    async deleteQueued(input) {
      const { queueId } = AdminSchemas.deleteQueued.parse(input);
      const rows = await store.queue.byQueueId(queueId);
      if (rows.length === 0) throw new AdminError('not-found', `Nothing is queued under ${queueId}.`, 'queueId');
      for (const row of rows) await store.queue.remove(row.id);
      log.info('admin.queue.delete', { queueId, removed: rows.length });
      return { removed: rows.length };
    },

    // Outbound delivery (issue 6): queue details and flush, DKIM keys.
    async showQueued(input) {
      const { queueId } = AdminSchemas.showQueued.parse(input);
      const rows = await store.queue.byQueueId(queueId.trim().toUpperCase());
      if (rows.length === 0) throw new AdminError('not-found', `Nothing is queued under ${queueId}.`, 'queueId');
      const head = await store.blobs.readRange(rows[0].blobId, 0, MAX_SHOWN_HEADER);
      const end = head.indexOf('\r\n\r\n');
      return {
        queueId: rows[0].queueId,
        sender: rows[0].sender,
        messageId: rows[0].messageId,
        size: rows[0].size,
        createdAt: rows[0].createdAt,
        recipients: rows.map((r) => ({ id: r.id, recipient: r.recipient, state: r.state, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt, lastError: r.lastError })),
        headers: head.toString('utf8', 0, end === -1 ? head.length : end + 2),
      };
    },
    async flushQueue() {
      const retried = await store.queue.retryNow();
      deps.queue?.kick();
      log.info('admin.queue.flush', { retried });
      return { retried };
    },
    async generateDkimKey(input) {
      const { domain, selector, algorithm } = AdminSchemas.generateDkimKey.parse(input);
      const d = await domainOf(domain);
      const key = await generateDkimKey(d.name, selector?.toLowerCase() ?? DEFAULT_SELECTOR, algorithm, deps.clock.now());
      await guarded(() => store.domains.setDkimKey(d.name, key), 'domain');
      log.info('admin.dkim.generate', { domain: d.name, selector: key.selector, algorithm });
      return dkimView(key);
    },
    async getDkimKey(input) {
      const { domain } = AdminSchemas.getDkimKey.parse(input);
      const key = await store.domains.dkimKey((await domainOf(domain)).name);
      return key ? dkimView(key) : null;
    },
    async removeDkimKey(input) {
      const { domain } = AdminSchemas.removeDkimKey.parse(input);
      const d = await domainOf(domain);
      if (!(await store.domains.dkimKey(d.name))) throw new AdminError('not-found', `The domain ${d.name} has no DKIM key.`, 'domain');
      await guarded(() => store.domains.setDkimKey(d.name, null), 'domain');
      log.info('admin.dkim.remove', { domain: d.name });
    },
    async getDmarcEnforcement(input) {
      const { domain } = AdminSchemas.getDmarcEnforcement.parse(input);
      const d = await domainOf(domain);
      return { domain: d.name, onReject: await dmarcActionFor(store.domains, [d.name]) };
    },
    async setDmarcEnforcement(input) {
      const { domain, onReject } = AdminSchemas.setDmarcEnforcement.parse(input);
      const d = await domainOf(domain);
      await guarded(() => store.domains.update(d.name, { dmarcOnReject: onReject }), 'domain');
      log.info('admin.dmarc.set', { domain: d.name, onReject });
      return { domain: d.name, onReject };
    },

    // --- TLS and ports (issue 7) ---
    async getTlsInfo() {
      return tlsInfo(loadOrCreateCertificate(dataDirOf(), settings().hostname, deps.clock.now()).cert);
    },
    async importCertificate(input) {
      const { certPem, keyPem } = AdminSchemas.importCertificate.parse(input);
      const dataDir = dataDirOf();
      let checked: ReturnType<typeof checkCertificatePair>;
      try {
        checked = checkCertificatePair({ certPem, keyPem }, deps.clock.now());
      } catch (error) {
        if (error instanceof CertificateError) throw new AdminError('invalid', error.message, error.field);
        throw error;
      }
      saveCertificate(dataDir, checked);
      const info = tlsInfo(checked.cert);
      log.info('admin.tls.import', { subject: info.certificate.subject, fingerprint: info.certificate.fingerprint256, validTo: info.certificate.validTo });
      const naming = info.namesHostname ? '' : ` Note: it does not name ${info.hostname}, so mail clients connecting by that name will warn.`;
      const message = info.restartNeeded
        ? `Certificate for ${info.certificate.commonName ?? info.certificate.subject} imported. The mail listeners use it after Mailroom restarts.${naming}`
        : `Certificate for ${info.certificate.commonName ?? info.certificate.subject} imported; it is the one in use.${naming}`;
      return { ...info, message };
    },
    async renewSelfSigned() {
      const dataDir = dataDirOf();
      const hostname = settings().hostname;
      const identity = createSelfSigned(hostname, deps.clock.now());
      saveCertificate(dataDir, identity);
      const info = tlsInfo(identity.cert);
      log.info('admin.tls.renew-self-signed', { hostname, fingerprint: info.certificate.fingerprint256 });
      return { ...info, message: `A new self-signed certificate for ${hostname} was made. The mail listeners use it after Mailroom restarts.` };
    },
    async testPorts(input) {
      const { host, ports } = AdminSchemas.testPorts.parse(input);
      const s = settings();
      const held = deps.status().listeners;
      const results = await testPortSet(
        Object.entries(ports).map(([name, port]) => ({ name: name as ListenerName, port: port!, host: host ?? (name === 'admin' ? s.adminHost : s.listenHost) })),
        held,
      );
      log.info('admin.ports.test', { results: results.map((r) => `${r.name}:${r.port}:${r.status}`).join(' ') });
      return { results, allOk: results.every((r) => r.ok), note: 'Mailroom reads its ports when it starts: changed ports take effect at the next start.' };
    },
    // --- end of TLS and ports ---

    runDoctor: (input) => doctor.runDoctor(input),
  };

  const doctor = createDoctor({
    api: impl,
    clock: deps.clock,
    dataDir: deps.dataDir,
    resolver: deps.resolver,
    storedSettings: () => store.settings.all(),
    integrityCheck: () => store.integrityCheck(),
  });

  // --- TLS and ports (issue 7) ---
  function dataDirOf(): string {
    if (deps.dataDir === undefined) throw new AdminError('not-found', 'This admin service has no data folder, so it has no certificate to show or replace.');
    return deps.dataDir;
  }

  function tlsInfo(certPem: string): TlsInfo {
    const hostname = settings().hostname;
    const running = deps.tls?.cert;
    return {
      certificate: describeCertificate(certPem),
      hostname,
      namesHostname: namesHost(certPem, hostname),
      restartNeeded: running !== undefined && running.trim() !== certPem.trim(),
    };
  }
  // --- end of TLS and ports ---

  return withValidationErrors(impl);
}

// --- TLS and ports (issue 7) ---
/**
 * The usual unprivileged stand-ins for the mail ports (2525 is the common SMTP alternative; the
 * others put 1 before the standard number).
 */
export const ALTERNATIVE_PORTS: Readonly<Record<number, number>> = { 25: 2525, 587: 1587, 465: 1465, 143: 1143, 993: 1993, 110: 1110, 995: 1995 };
/** How many ports above a failing one the search for a free alternative tries. */
const ALTERNATIVE_SEARCH = 50;

/** Binds `host:port` exclusively and lets go at once: undefined when that worked, else the error. */
export function tryBind(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * The bind test of the ports step: each port is tried in turn on its host. A port that this running
 * Mailroom holds is fine (it is ours); one named twice in the set is refused; every failure carries
 * an explanation and, where one binds, an alternative that no other listener in the set uses.
 */
export async function testPortSet(wanted: Array<{ name: ListenerName; port: number; host: string }>, held: Record<string, number>): Promise<PortTestResult[]> {
  const results: PortTestResult[] = [];
  const taken = new Set(wanted.map((w) => w.port));
  for (const held_port of Object.values(held)) taken.add(held_port);
  const alternativeFor = async (host: string, port: number): Promise<number | undefined> => {
    const candidates = [ALTERNATIVE_PORTS[port], ...Array.from({ length: ALTERNATIVE_SEARCH }, (_, i) => (port < 1024 ? 10_000 + port : port + 1) + i)];
    for (const candidate of candidates) {
      if (candidate === undefined || candidate > 65535 || taken.has(candidate)) continue;
      if ((await tryBind(host, candidate)) === undefined) {
        taken.add(candidate);
        return candidate;
      }
    }
    return undefined;
  };
  const useInstead = (n: number | undefined) => (n === undefined ? '' : `; or use the alternative port ${n}`);

  for (const { name, port, host } of wanted) {
    const base = { name, port, host };
    const owner = Object.entries(held).find(([, p]) => p === port)?.[0];
    const twin = wanted.find((w) => w.port === port && w.name !== name && port !== 0);
    if (twin && wanted.indexOf(twin) < wanted.findIndex((w) => w.name === name)) {
      const alternative = await alternativeFor(host, port);
      results.push({ ...base, ok: false, status: 'duplicate', alternative, explanation: `Port ${port} is also chosen for ${twin.name}; two listeners cannot share a port${useInstead(alternative)}.` });
      continue;
    }
    if (owner !== undefined && port !== 0) {
      results.push({ ...base, ok: true, status: 'mailroom', explanation: `In use by this Mailroom (its ${owner} listener).` });
      continue;
    }
    const error = await tryBind(host, port);
    if (error === undefined) {
      results.push({ ...base, ok: true, status: 'free', explanation: `Port ${port} on ${host} is free.` });
      continue;
    }
    const code = error.code ?? 'unknown';
    if (code === 'EACCES') {
      const alternative = await alternativeFor(host, port);
      results.push({
        ...base,
        ok: false,
        status: 'privileged',
        code,
        alternative,
        explanation:
          `Ports below 1024 need privileges: on Linux grant them with \`sudo setcap cap_net_bind_service=+ep ${process.execPath}\` ` +
          `(the deb package does this)${useInstead(alternative)}.`,
      });
    } else if (code === 'EADDRINUSE') {
      const alternative = await alternativeFor(host, port);
      results.push({ ...base, ok: false, status: 'in-use', code, alternative, explanation: `Another program (maybe another mail server) uses port ${port}${useInstead(alternative)}.` });
    } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      results.push({ ...base, ok: false, status: 'unavailable', code, explanation: `${host} is not an address of this machine; pick one of its addresses, or 0.0.0.0 for all.` });
    } else {
      results.push({ ...base, ok: false, status: 'unavailable', code, explanation: `Port ${port} on ${host} cannot be opened: ${error.message}.` });
    }
  }
  return results;
}
// --- end of TLS and ports ---

/** How much of a queued message `showQueued` reads to find its header section. */
const MAX_SHOWN_HEADER = 256 * 1024;

function dkimView(key: DkimKey): DkimKeyView {
  const record = dkimRecord(key);
  return { domain: key.domain, selector: key.selector, algorithm: key.algorithm, dnsName: record.name, dnsValue: record.value, createdAt: key.createdAt };
}

/** `user@dom`, `*@dom` → parts; the catch-all local part `*` is allowed only here. */
function parseAliasAddress(address: string): { local: string; domain: string } {
  const trimmed = address.trim();
  if (trimmed.startsWith('*@')) return { local: CATCH_ALL, domain: guard(() => normalizeDomain(trimmed.slice(2)), 'address') };
  const parsed = guard(() => parseAddress(trimmed), 'address');
  return { local: guard(() => validateLocalPart(parsed.local), 'address'), domain: parsed.domain };
}

/** `local`, `reject`, `smtp:[host]:port`, `smtp:host:port`, `smtp:[host]`, `smtp:host` (Postfix transport(5) syntax). */
export function parseRoute(route: string): TransportRoute {
  const r = route.trim();
  if (r === 'local') return { kind: 'local' };
  if (r === 'reject' || r === 'error') return { kind: 'reject' };
  const m = /^smtp:(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(r);
  if (!m) throw new AdminError('invalid', `"${r}" is not a route. Use local, reject, smtp:[host]:port (fixed host) or smtp:host:port (MX lookup).`, 'route');
  const port = m[3] === undefined ? 25 : Number(m[3]);
  if (port < 1 || port > 65535) throw new AdminError('invalid', `Port ${m[3]} is out of range (1 to 65535).`, 'route');
  const host = (m[1] ?? m[2]).trim().toLowerCase();
  if (host === '') throw new AdminError('invalid', 'The route names no host.', 'route');
  return { kind: 'smtp', host, port, mxLookup: m[1] === undefined };
}

export function formatRoute(route: TransportRoute): string {
  if (route.kind !== 'smtp') return route.kind;
  return route.mxLookup ? `smtp:${route.host}:${route.port}` : `smtp:[${route.host}]:${route.port}`;
}

function cidrText(input: string): string {
  return guard(() => parseCidr(input).text, 'cidr');
}

function domainView(d: { name: string; active: boolean; defaultQuota: number; createdAt: number }): Omit<DomainView, 'accounts' | 'aliases' | 'usedBytes'> {
  return { name: d.name, displayName: displayDomain(d.name), active: d.active, defaultQuota: d.defaultQuota, createdAt: d.createdAt };
}

function accountView(a: Account): AccountView {
  return {
    address: a.address,
    displayAddress: `${a.localPart}@${displayDomain(a.domain)}`,
    displayName: a.displayName,
    quota: a.quotaBytes,
    usedBytes: a.usedBytes,
    active: a.active,
    createdAt: a.createdAt,
    lastLoginAt: a.lastLoginAt,
  };
}

function aliasView(a: Alias): AliasView {
  return {
    address: a.address,
    displayAddress: `${a.localPart}@${displayDomain(a.domain)}`,
    catchAll: a.localPart === CATCH_ALL,
    destinations: a.destinations,
    active: a.active,
  };
}

function networkView(n: Network, now: number): NetworkView {
  const { id: _id, createdAt: _c, ...rest } = n;
  return { ...rest, expired: n.expiresAt !== null && n.expiresAt <= now };
}

/** Runs `fn`, turning address/CIDR syntax errors and store conflicts/absences into AdminError on `field`. */
function guard<T>(fn: () => T, field: string): T {
  try {
    return fn();
  } catch (error) {
    throw adminErrorOf(error, field);
  }
}

/** guard() for a store operation. */
async function guarded<T>(fn: () => Promise<T>, field: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw adminErrorOf(error, field);
  }
}

/** The AdminError for address/CIDR syntax errors and store conflicts/absences on `field`; anything else as it is. */
function adminErrorOf(error: unknown, field: string): unknown {
  if (error instanceof AddressError || error instanceof CidrError) return new AdminError('invalid', error.message, field);
  if (error instanceof ConflictError) return new AdminError('conflict', error.message, field);
  if (error instanceof NotFoundError) return new AdminError('not-found', error.message, field);
  return error;
}

/** Wraps every method so a zod failure becomes AdminError('invalid') naming the first bad field, and the
 * store's NotFoundError/ConflictError become 'not-found'/'conflict'. */
function withValidationErrors(api: AdminApi): AdminApi {
  const wrapped = {} as Record<AdminMethod, (input: unknown) => Promise<unknown>>;
  for (const method of Object.keys(AdminSchemas) as AdminMethod[]) {
    const fn = (api[method] as (input: unknown) => Promise<unknown>).bind(api);
    wrapped[method] = async (input: unknown) => {
      try {
        return await fn(input ?? {});
      } catch (error) {
        if (error instanceof z.ZodError) {
          const issue = error.issues[0];
          const field = issue.path.join('.');
          throw new AdminError('invalid', issue.message, field || undefined);
        }
        if (error instanceof NotFoundError) throw new AdminError('not-found', error.message);
        if (error instanceof ConflictError) throw new AdminError('conflict', error.message);
        throw error;
      }
    };
  }
  return wrapped as unknown as AdminApi;
}
