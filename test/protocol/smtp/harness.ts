// Starts the three SMTP listeners on ephemeral 127.0.0.1 ports over a fresh data folder, with the
// real admin service (to create domains, accounts, aliases, networks, rules, settings) and the real
// authenticator (test-cost hashing, throttle thresholds chosen by the test, no real sleeping). DNS
// (SPF/DKIM/DMARC at DATA) goes to a fake server on loopback whose zone the test gives (empty by
// default: every name NXDOMAIN), never to real DNS. Stops everything when the test ends.
import type { TestContext } from 'node:test';
import type { z } from 'zod';
import { RuleInputSchema } from '../../../server/policy/rule-schema.js';
import { authAccountStore, openContext } from '../../../server/index.js';
import type { Listener, ServerContext } from '../../../server/context.js';
import { createAdminApi } from '../../../server/admin/api.js';
import type { AdminApi } from '../../../server/admin/contract.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { createAuthenticator } from '../../../server/auth/authenticator.js';
import { createThrottle, type ThrottleOptions } from '../../../server/auth/throttle.js';
import { parseAddress } from '../../../server/mime/addr-spec.js';
import type { LogRow } from '../../../server/store/log.js';
import { createSmtpListeners, type SmtpListenerOptions } from '../../../server/smtp/index.js';
import type { SettingsPatch } from '../../../server/settings.js';
import { createDnsResolver } from '../../../server/dns/resolver.js';
import { startFakeDns, type FakeDns, type FakeZone } from '../../helpers/fake-dns.js';
import { fakeClock, tempDir } from '../../helpers/temp.js';
import { fixtureDatabase } from '../../helpers/fixture-database.js';
import { SmtpClient, type Reply } from './client.js';

export interface SmtpFixture {
  ctx: ServerContext;
  admin: AdminApi;
  clock: ReturnType<typeof fakeClock>;
  ports: { smtp: number; submission: number; submissions: number };
  dataDir: string;
  /** The fake DNS server the context's resolver asks. */
  dns: FakeDns;
  /** A scripted client from `from` (default 127.0.0.9, untrusted), closed when the test ends. */
  connect(port: number, options?: { from?: string; tls?: boolean; talkFirst?: string }): Promise<{ client: SmtpClient; greeting: Reply }>;
  /** Messages in an account's INBOX: their full stored bytes as text. */
  inbox(address: string): Promise<string[]>;
  /** Messages in one of an account's folders (Junk, ...), as inbox() gives them. */
  folder(address: string, name: string): Promise<string[]>;
  /** The first log row with `event` (and matching `pred`), once the log sink has written it. */
  logRow(event: string, pred?: (fields: Record<string, unknown>) => boolean): Promise<LogRow>;
}

export interface FixtureOptions {
  settings?: SettingsPatch;
  throttle?: Omit<ThrottleOptions, 'clock'>;
  listener?: SmtpListenerOptions;
  dataDir?: string;
  /** Records the fake DNS server serves (default: none). */
  dns?: FakeZone;
}

/** The adapter the composition root gives the authenticator (store accounts by address). */
export const authStoreOf = authAccountStore;

export async function smtpFixture(t: TestContext, options: FixtureOptions = {}): Promise<SmtpFixture> {
  const dataDir = options.dataDir ?? tempDir(t);
  const clock = fakeClock(Date.now());
  const dns = await startFakeDns(t, options.dns ?? {});
  const resolver = createDnsResolver({ servers: () => [dns.server], timeoutMs: 1000, tries: 1 });
  const drops: Array<() => Promise<void>> = [];
  const ctx = await openContext(dataDir, { clock, hasher: createPasswordHasher({ cost: 'test' }), resolver, databaseUrl: await fixtureDatabase((drop) => drops.push(drop)) });
  const admin = createAdminApi({
    store: ctx.store,
    settingsCache: ctx.settingsCache,
    credentials: ctx.credentials,
    clock,
    bus: ctx.bus,
    log: ctx.log.child({ component: 'admin' }),
    status: () => ({ version: 'test', startedAt: 0, listeners: {} }),
  });
  const rows: LogRow[] = [];
  ctx.bus.on('log', (r) => void rows.push(r));
  // No tarpit delay unless a test asks for one: delays are for people, not for the suite.
  await admin.updateSettings({ hostname: 'mx.local.example', ...options.settings, limits: { errorDelayMs: 0, ...options.settings?.limits } });
  const auth = createAuthenticator({
    store: authStoreOf(ctx.store),
    hasher: ctx.hasher,
    throttle: createThrottle({ clock, ...options.throttle }),
    unknownUserKey: Buffer.alloc(32, 7),
    clock,
    log: (event, fields) => ctx.log.child({ component: 'auth' }).info(event, fields),
    sleep: async () => {},
  });
  const listeners: Listener[] = createSmtpListeners(ctx, auth, { reverseLookup: false, dnsbl: async () => false, closeTimeoutMs: 1000, ...options.listener });
  const ports: Record<string, number> = {};
  for (const l of listeners) ports[l.name] = await l.start('127.0.0.1', 0);
  const clients: SmtpClient[] = [];
  t.after(async () => {
    for (const c of clients) c.close();
    for (const l of listeners) await l.stop();
    await ctx.close();
    for (const drop of drops) await drop();
  });
  const fixture: SmtpFixture = {
    ctx,
    admin,
    clock,
    dataDir,
    dns,
    ports: ports as SmtpFixture['ports'],
    async connect(port, connectOptions) {
      const opened = await SmtpClient.open(port, connectOptions);
      clients.push(opened.client);
      return opened;
    },
    inbox: (address) => fixture.folder(address, 'INBOX'),
    async folder(address, name) {
      const a = parseAddress(address);
      const account = await ctx.store.accounts.require(a.local, a.domain);
      const mailbox = await ctx.store.mailboxes.require(account.id, name);
      const ids = await ctx.store.messages.list(mailbox.id);
      const texts: string[] = [];
      for (const r of ids) texts.push((await ctx.store.messages.read(r.id))!.toString('utf8'));
      return texts;
    },
    logRow(event, pred = () => true) {
      const hit = (r: LogRow) => r.event === event && pred(r.fields as Record<string, unknown>);
      const seen = rows.find(hit);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (off(), reject(new Error(`no ${event} log row`))), 5000);
        const off = ctx.bus.on('log', (r) => {
          if (hit(r)) {
            clearTimeout(timer);
            off();
            resolve(r);
          }
        });
      });
    },
  };
  return fixture;
}

/** A small domain with three accounts, an alias to all three and a catch-all domain. */
export async function standardDomains(admin: AdminApi) {
  await admin.addDomain({ name: 'local.example' });
  await admin.addDomain({ name: 'catch.example' });
  for (const user of ['alice', 'bob', 'carol']) await admin.addAccount({ address: `${user}@local.example`, password: `${user}-password` });
  await admin.addAccount({ address: 'dave@catch.example', password: 'dave-password' });
  await admin.addAlias({ address: 'team@local.example', destinations: ['alice@local.example', 'bob@local.example', 'carol@local.example'] });
  await admin.addAlias({ address: 'alias-of-alice@local.example', destinations: ['alice@local.example'] });
  await admin.addAlias({ address: '*@catch.example', destinations: ['dave@catch.example'] });
}

export const message = (subject: string, body = 'Hello.') =>
  `From: <alice@local.example>\r\nTo: <bob@local.example>\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@test>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\n${body}\r\n`;

/** Adds an access rule the way the admin service will: validated by the shared schema. */
export async function addRule(f: SmtpFixture, input: z.input<typeof RuleInputSchema>) {
  return await f.ctx.store.rules.add(RuleInputSchema.parse(input));
}

/** EHLO, MAIL FROM and one RCPT; returns the RCPT reply. */
export async function rcpt(client: SmtpClient, from: string, to: string): Promise<Reply> {
  await client.ehlo();
  const mail = await client.send(`MAIL FROM:<${from}>`);
  if (mail.code !== 250) return mail;
  return client.send(`RCPT TO:<${to}>`);
}
