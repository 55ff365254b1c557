// Starts the POP3 listeners on ephemeral 127.0.0.1 ports over a real store in a temp folder, with one
// account (alice@example.com, password PASSWORD) created through the admin service and, unless the
// test brings its own, a fake Pop3Auth that accepts PASSWORD. Mail is put into INBOX with the store's
// deliver, as SMTP would. Everything stops when the test ends.
import type { TestContext } from 'node:test';
import { createAdminApi } from '../../../server/admin/api.js';
import type { AdminApi } from '../../../server/admin/contract.js';
import { startMechanism, type Credentials, type SaslStep } from '../../../server/auth/sasl.js';
import type { AuthContext, AuthResult, SaslExchangeStep } from '../../../server/auth/authenticator.js';
import { openContext } from '../../../server/index.js';
import type { Listener, ServerContext } from '../../../server/context.js';
import { createPop3Listeners, type Pop3Auth } from '../../../server/pop3/server.js';
import { INBOX } from '../../../server/store/mailboxes.js';
import type { StoreChange } from '../../../server/store/changes.js';
import type { LogRow } from '../../../server/store/log.js';
import { plainCredentials } from '../../helpers/admin.js';
import { tempDir } from '../../helpers/temp.js';
import { fixtureDatabase } from '../../helpers/fixture-database.js';
import { Pop3TestClient } from './client.js';

export const ADDRESS = 'alice@example.com';
export const PASSWORD = 'correct horse';

/**
 * Accepts PASSWORD for any account in the store, never with an authzid; usernames starting with
 * `blocked` are refused as the throttle would. SASL decoding is the real server/auth mechanism; only the password check is fake.
 */
export function fakeAuth(ctx: ServerContext): Pop3Auth {
  const verify = async (credentials: Credentials): Promise<AuthResult> => {
    if (credentials.username.startsWith('blocked')) return { ok: false, reason: 'blocked', retryAfterMs: 90_000 };
    const at = credentials.username.lastIndexOf('@');
    const account = await ctx.store.accounts.find(credentials.username.slice(0, at), credentials.username.slice(at + 1));
    if (!account || credentials.password !== PASSWORD) return { ok: false, reason: 'invalid' };
    if (!account.active) return { ok: false, reason: 'disabled' };
    if (credentials.authzid) return { ok: false, reason: 'not-authorized' }; // no master users here
    return { ok: true, accountId: account.id, address: account.address };
  };
  return {
    verify,
    startSasl(mechanism) {
      const machine = startMechanism(mechanism, { lookupScram: async () => undefined, unknownUserKey: Buffer.alloc(32, 7) });
      const conclude = async (step: SaslStep): Promise<SaslExchangeStep> => {
        if (step.type === 'challenge') return step;
        if (step.type === 'credentials') return { type: 'done', result: await verify(step.credentials) };
        return { type: 'done', result: { ok: false, reason: 'invalid' } };
      };
      return {
        mechanism: machine.name,
        start: async (initialResponse) => conclude(await machine.start(initialResponse)),
        step: async (response) => conclude(await machine.step(response)),
        cancel: () => machine.cancel(),
      };
    },
  };
}

export interface Pop3Fixture {
  ctx: ServerContext;
  admin: AdminApi;
  auth: Pop3Auth;
  /** The context of every verify or startSasl call, in order. */
  authContexts: AuthContext[];
  ports: { pop3: number; pop3s: number };
  accountId: number;
  inboxId: number;
  /** Every change broadcast on the bus. */
  changes: StoreChange[];
  /** Every pop3 log row written so far (rows are written in batches). */
  logs: LogRow[];
  /** Resolves once a pop3 log row with this event has been written. */
  logged(event: string): Promise<LogRow>;
  /** Stores a message in the account's INBOX; returns its UID. */
  deliver(raw: string | Buffer, accountId?: number): Promise<number>;
  /** Connects to the plain port (or the TLS one) and reads the greeting. */
  connect(options?: { tls?: boolean; localAddress?: string }): Promise<Pop3TestClient>;
  /** Stops both listeners (the test's end does it too). */
  stop(): Promise<void>;
  /** Connects, logs in as alice with USER/PASS and checks the +OK. */
  login(options?: { tls?: boolean; localAddress?: string }): Promise<Pop3TestClient>;
}

export async function startPop3(
  t: TestContext,
  options: { plaintextFromTrusted?: boolean; auth?: (ctx: ServerContext) => Pop3Auth } = {},
): Promise<Pop3Fixture> {
  // The folder goes last, after the listeners stopped and the store closed.
  const removals: Array<() => void> = [];
  const drops: Array<() => Promise<void>> = [];
  const ctx = await openContext(tempDir({ after: (fn: () => void) => removals.push(fn) }, 'mailroom-pop3-'), { databaseUrl: await fixtureDatabase((drop) => drops.push(drop)) });
  const admin = createAdminApi({
    store: ctx.store,
    settingsCache: ctx.settingsCache,
    credentials: plainCredentials,
    clock: ctx.clock,
    bus: ctx.bus,
    log: ctx.log.child({ component: 'admin' }),
    status: () => ({ version: 'test', startedAt: 0, listeners: {} }),
  });
  await admin.addDomain({ name: 'example.com' });
  await admin.addAccount({ address: ADDRESS, password: PASSWORD });
  if (options.plaintextFromTrusted ?? true) await admin.updateSettings({ allowPlaintextAuthFromTrusted: true });
  const accountId = (await ctx.store.accounts.find('alice', 'example.com'))!.id;
  const changes: StoreChange[] = [];
  ctx.bus.on('change', (c) => changes.push(c));
  const logs: LogRow[] = [];
  const logWaiters: Array<() => void> = [];
  ctx.bus.on('log', (row) => {
    if (row.component !== 'pop3') return;
    logs.push(row);
    for (const wake of logWaiters.splice(0)) wake();
  });

  const chosen = (options.auth ?? fakeAuth)(ctx);
  const authContexts: AuthContext[] = [];
  const auth: Pop3Auth = {
    verify(credentials, context) {
      authContexts.push(context);
      return chosen.verify(credentials, context);
    },
    startSasl(mechanism, context) {
      authContexts.push(context);
      return chosen.startSasl(mechanism, context);
    },
  };
  const listeners: Listener[] = createPop3Listeners(ctx, auth);
  const stop = async () => {
    for (const l of listeners) await l.stop();
  };
  t.after(async () => {
    await stop();
    await ctx.close();
    for (const drop of drops) await drop();
    for (const remove of removals) remove();
  });
  const [pop3, pop3s] = [await listeners[0].start('127.0.0.1', 0), await listeners[1].start('127.0.0.1', 0)];

  const fixture: Pop3Fixture = {
    ctx,
    admin,
    auth,
    authContexts,
    ports: { pop3, pop3s },
    accountId,
    inboxId: (await ctx.store.mailboxes.require(accountId, INBOX)).id,
    changes,
    logs,
    async logged(event) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const row = logs.find((r) => r.event === event);
        if (row) return row;
        if (Date.now() > deadline) throw new Error(`no ${event} log row; got ${logs.map((r) => r.event).join(', ')}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          logWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async deliver(raw, account = accountId) {
      const { result, changes: delivered } = await ctx.store.deliver({
        bytes: Buffer.from(raw),
        local: [
          {
            mailboxId: (await ctx.store.mailboxes.require(account, INBOX)).id,
            prefix: Buffer.alloc(0),
            flags: 0,
            keywords: [],
            internalDate: ctx.clock.now(),
            sentDate: null,
            envelope: '[]',
            bodystructure: '{}',
            parts: '[]',
          },
        ],
      });
      for (const c of delivered) ctx.bus.emit('change', c);
      return result.uids[0].uid;
    },
    stop,
    connect: (o = {}) => Pop3TestClient.connect(o.tls ? pop3s : pop3, o),
    async login(o = {}) {
      const client = await fixture.connect(o);
      const user = await client.command(`USER ${ADDRESS}`);
      if (!user.startsWith('+OK')) throw new Error(`USER refused: ${user}`);
      const pass = await client.command(`PASS ${PASSWORD}`);
      if (!pass.startsWith('+OK')) throw new Error(`PASS refused: ${pass}`);
      return client;
    },
  };
  return fixture;
}

/** A small message with CRLF lines. */
export function message(subject: string, body: string): string {
  return `From: bob@example.net\r\nTo: ${ADDRESS}\r\nSubject: ${subject}\r\n\r\n${body}`;
}
