// The admin side of spam and content checks (issue 16): the milter chain (kept in the `milters`
// setting, so a change reaches the running server like any setting), a connection test, the allow
// and block lists (global, per hosted domain, per user), and the quarantine (release or delete).
import type { Clock } from '../../clock.js';
import type { EventBus } from '../../events.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import type { SettingsCache } from '../../settings-cache.js';
import type { SenderListEntry } from '../../store/sender-lists.js';
import { createMilterChain } from '../../milter/index.js';
import { decodedHeaderValues, parseMessage } from '../../mime/index.js';
import { parseSenderPattern, SenderPatternError } from '../../policy/sender-lists.js';
import { releaseMessage } from '../../delivery/quarantine.js';
import { createRecipientResolver } from '../../delivery/recipients.js';
import { AdminError, AdminSchemas, type AdminApi, type AdminInput, type QuarantineView, type SenderListEntryView } from '../contract.js';
import { accountOf, domainOf } from './lookups.js';

export type SpamAdmin = Pick<
  AdminApi,
  | 'listMilters'
  | 'addMilter'
  | 'removeMilter'
  | 'testMilter'
  | 'listSenderLists'
  | 'addSenderListEntry'
  | 'removeSenderListEntry'
  | 'listQuarantine'
  | 'releaseQuarantined'
  | 'deleteQuarantined'
>;

export function createSpamAdmin(deps: { store: Store; settingsCache: SettingsCache; clock: Clock; bus: EventBus; log: Logger }): SpamAdmin {
  const { store, settingsCache, log } = deps;
  const milters = () => settingsCache.current().milters;

  /** The scope an input names: a user, a hosted domain, or neither (global). */
  const scopeOf = async (input: { user?: string; domain?: string }) => {
    if (input.user && input.domain) throw new AdminError('invalid', 'Give a user or a domain, not both.', 'user');
    if (input.user) return { domainId: null, accountId: (await accountOf(store, input.user, 'user')).id };
    if (input.domain) return { domainId: (await domainOf(store, input.domain)).id, accountId: null };
    return { domainId: null, accountId: null };
  };
  const patternOf = (text: string) => {
    try {
      return parseSenderPattern(text);
    } catch (error) {
      if (error instanceof SenderPatternError) throw new AdminError('invalid', error.message, 'pattern');
      throw error;
    }
  };
  const entryView = async (e: SenderListEntry): Promise<SenderListEntryView> => ({
    list: e.list,
    pattern: e.pattern,
    kind: e.kind,
    user: e.accountId === null ? null : ((await store.accounts.get(e.accountId))?.address ?? null),
    domain: e.domainId === null ? null : ((await store.domains.list()).find((d) => d.id === e.domainId)?.name ?? null),
    source: e.source,
    createdAt: e.createdAt,
  });

  return {
    async listMilters() {
      return milters();
    },
    async addMilter(input) {
      const milter = AdminSchemas.addMilter.parse(input);
      if (milters().some((m) => m.name.toLowerCase() === milter.name.toLowerCase())) {
        throw new AdminError('conflict', `There is already a milter named ${milter.name}.`, 'name');
      }
      await settingsCache.patch({ milters: [...milters(), milter] });
      log.info('admin.milter.add', { name: milter.name, endpoint: milter.endpoint, listeners: milter.listeners });
      return milter;
    },
    async removeMilter(input) {
      const { name } = AdminSchemas.removeMilter.parse(input);
      const kept = milters().filter((m) => m.name.toLowerCase() !== name.toLowerCase());
      if (kept.length === milters().length) throw new AdminError('not-found', `There is no milter named ${name}.`, 'name');
      await settingsCache.patch({ milters: kept });
      log.info('admin.milter.remove', { name });
      return { removed: true };
    },
    async testMilter(input) {
      const { name, endpoint, timeoutMs } = AdminSchemas.testMilter.parse(input);
      const configured = name ? milters().find((m) => m.name.toLowerCase() === name.toLowerCase()) : undefined;
      if (name && !configured) throw new AdminError('not-found', `There is no milter named ${name}.`, 'name');
      return testMilter(configured?.endpoint ?? endpoint!, timeoutMs, settingsCache.current().hostname, deps.clock);
    },

    async listSenderLists(input) {
      const parsed = AdminSchemas.listSenderLists.parse(input ?? {});
      const entries = parsed.all ? await store.senderLists.list() : await store.senderLists.list(await scopeOf(parsed));
      return Promise.all(entries.filter((e) => parsed.list === undefined || e.list === parsed.list).map(entryView));
    },
    async addSenderListEntry(input) {
      const parsed = AdminSchemas.addSenderListEntry.parse(input);
      const scope = await scopeOf(parsed);
      const { kind, pattern } = patternOf(parsed.pattern);
      const entry = await store.senderLists.add({ list: parsed.list, ...scope, kind, pattern, source: 'admin' });
      log.info('admin.sender-list.add', { list: parsed.list, pattern, user: parsed.user, domain: parsed.domain });
      return entryView(entry);
    },
    async removeSenderListEntry(input) {
      const parsed = AdminSchemas.removeSenderListEntry.parse(input);
      const scope = await scopeOf(parsed);
      const { pattern } = patternOf(parsed.pattern);
      const entry = await store.senderLists.find(parsed.list, scope, pattern);
      if (!entry) throw new AdminError('not-found', `${pattern} is not on that ${parsed.list} list.`, 'pattern');
      await store.senderLists.remove(entry.id);
      log.info('admin.sender-list.remove', { list: parsed.list, pattern, user: parsed.user, domain: parsed.domain });
      return { removed: true };
    },

    async listQuarantine() {
      const held = await store.quarantine.list();
      return Promise.all(
        held.map(async (q): Promise<QuarantineView> => {
          const bytes = await store.blobs.read(q.blobId);
          const [subject] = decodedHeaderValues(bytes, parseMessage(bytes), 'subject');
          const { quarantineId, sender, recipients, messageId, milter, reason, size, createdAt } = q;
          return { quarantineId, sender, recipients, subject: subject?.trim() ?? null, messageId, milter, reason, size, createdAt };
        }),
      );
    },
    async releaseQuarantined(input) {
      const { quarantineId } = AdminSchemas.releaseQuarantined.parse(input);
      const resolver = createRecipientResolver(store);
      const done = await releaseMessage({ store, resolver, bus: deps.bus, log, now: deps.clock.now() }, quarantineId);
      if (!done.released) throw new AdminError('not-found', `There is no quarantined message ${quarantineId}.`, 'quarantineId');
      return { delivered: done.delivered, unresolved: done.unresolved };
    },
    async deleteQuarantined(input: AdminInput<'deleteQuarantined'>) {
      const { quarantineId } = AdminSchemas.deleteQuarantined.parse(input);
      if (!(await store.deleteQuarantined(quarantineId))) throw new AdminError('not-found', `There is no quarantined message ${quarantineId}.`, 'quarantineId');
      log.info('admin.quarantine.delete', { quarantineId });
      return { removed: true };
    },
  };
}

/** Connects as Postfix would (negotiation, then CONNECT from 127.0.0.1) and reports what happened. */
async function testMilter(endpoint: string, timeoutMs: number, hostname: string, clock: Clock) {
  const started = clock.now();
  let failure: string | null = null;
  const capture = {
    debug() {},
    info() {},
    warn(event: string, fields?: Record<string, unknown>) {
      if (event === 'milter.failed') failure = String(fields?.error ?? 'failed');
    },
    error() {},
    child() {
      return capture;
    },
  };
  let chain;
  try {
    chain = createMilterChain({ hostname, milters: [{ name: 'test', endpoint, connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs }] }, { log: capture });
  } catch (error) {
    throw new AdminError('invalid', (error as Error).message, 'endpoint');
  }
  const session = chain.open();
  const verdict = await session.connect({ hostname: 'localhost', address: '127.0.0.1', port: 0 });
  session.quit();
  const elapsedMs = clock.now() - started;
  if (failure !== null) return { ok: false, detail: `Could not talk to the milter at ${endpoint}: ${failure}`, elapsedMs };
  if (verdict.action === 'reject' || verdict.action === 'tempfail') {
    return { ok: true, detail: `Connected to ${endpoint}; it refused the test client 127.0.0.1 with ${verdict.reply.code} ${verdict.reply.text}.`, elapsedMs };
  }
  return { ok: true, detail: `Connected to ${endpoint} and negotiated the milter protocol.`, elapsedMs };
}
