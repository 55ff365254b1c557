// The smaller tables on PostgreSQL, with the contracts of their SQLite repositories: log (and the
// hourly counters written with it), settings, auth bans, sender rights, allow/block lists, greylist
// triplets and the quarantine rows.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Async } from '../index.js';
import { hourOf } from '../../mail-activity.js';
import { LEVELS, MAX_LOG_QUERY, activityCounts, toLogRow, type ActivityCounter, type LogQuery, type LogRepo, type Row as LogDbRow } from '../log.js';
import type { SettingsRepo } from '../settings.js';
import type { AuthBanRepo, StoredBan } from '../auth-bans.js';
import { toGrant, type GrantRow, type SenderRightsRepo } from '../sender-rights.js';
import { toEntry as toListEntry, type Row as ListRow, type SenderListRepo } from '../sender-lists.js';
import type { GreylistRepo } from '../greylist.js';
import { toMessage as toQuarantined, type QuarantineRepo, type Row as QuarantineRow } from '../quarantine.js';
import type { BlobRepo } from '../blobs.js';
import type { Sql } from './sql.js';

export function createLogRepo(sql: Sql): Async<LogRepo> {
  return {
    async insertMany(records) {
      if (records.length === 0) return [];
      for (const c of activityCounts(records)) {
        await sql.run('INSERT INTO stats_hourly (hour, kind, count) VALUES (?, ?, ?) ON CONFLICT (hour, kind) DO UPDATE SET count = stats_hourly.count + excluded.count', [
          c.hour,
          c.kind,
          c.count,
        ]);
      }
      const ids = await sql.all<{ id: number }>(
        `INSERT INTO log (ts, level, component, session_id, queue_id, message_id, event, fields)
         SELECT ts, level, component, session_id, queue_id, message_id, event, fields
         FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
           WITH ORDINALITY AS r(ts, level, component, session_id, queue_id, message_id, event, fields, n)
         ORDER BY n RETURNING id`,
        [
          records.map((r) => r.ts),
          records.map((r) => r.level),
          records.map((r) => r.component),
          records.map((r) => r.sessionId),
          records.map((r) => r.queueId),
          records.map((r) => r.messageId),
          records.map((r) => r.event),
          records.map((r) => JSON.stringify(r.fields)),
        ],
      );
      // Identity values are handed out in insertion order: the returned ids sorted match the records.
      const sorted = ids.map((r) => r.id).sort((a, b) => a - b);
      return records.map((r, i) => ({ ...r, id: sorted[i] }));
    },
    activity: (since) => sql.all<ActivityCounter>('SELECT hour, kind, count FROM stats_hourly WHERE hour >= ? ORDER BY hour', [hourOf(since)]),
    async query(q: LogQuery) {
      const where: string[] = [];
      const args: unknown[] = [];
      const add = (clause: string, value: unknown) => {
        where.push(clause);
        args.push(value);
      };
      if (q.afterId !== undefined) add('id > ?', q.afterId);
      if (q.beforeId !== undefined) add('id < ?', q.beforeId);
      if (q.since !== undefined) add('ts >= ?', q.since);
      if (q.until !== undefined) add('ts <= ?', q.until);
      if (q.level !== undefined) add('level = ANY(?::text[])', LEVELS.slice(LEVELS.indexOf(q.level)));
      if (q.component !== undefined) add('component = ?', q.component);
      if (q.event !== undefined) add('event = ?', q.event);
      if (q.sessionId !== undefined) add('session_id = ?', q.sessionId);
      if (q.queueId !== undefined) add('queue_id = ?', q.queueId);
      if (q.messageId !== undefined) add('message_id = ?', q.messageId);
      if (q.text) {
        where.push('(strpos(lower(event), lower(?)) > 0 OR strpos(lower(fields), lower(?)) > 0)');
        args.push(q.text, q.text);
      }
      const limit = Math.min(Math.max(1, q.limit ?? 500), MAX_LOG_QUERY);
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      // Following reads forward from afterId; otherwise show the newest rows, still oldest first.
      const text =
        q.afterId !== undefined
          ? `SELECT * FROM log ${filter} ORDER BY id LIMIT ${limit}`
          : `SELECT * FROM (SELECT * FROM log ${filter} ORDER BY id DESC LIMIT ${limit}) newest ORDER BY id`;
      return (await sql.all<LogDbRow>(text, args)).map(toLogRow);
    },
    pruneBefore: (ts) => sql.run('DELETE FROM log WHERE ts < ?', [ts]),
  };
}

const SET_SETTING = 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

export function createSettingsRepo(sql: Sql): Async<SettingsRepo> {
  return {
    all: async () => Object.fromEntries((await sql.all<{ key: string; value: string }>('SELECT key, value FROM settings')).map((r) => [r.key, JSON.parse(r.value) as unknown])),
    async get(key) {
      const value = await sql.value<string>('SELECT value FROM settings WHERE key = ?', [key]);
      return value === undefined ? undefined : (JSON.parse(value) as unknown);
    },
    async set(key, value) {
      await sql.run(SET_SETTING, [key, JSON.stringify(value)]);
    },
    async setMany(entries) {
      for (const [key, value] of Object.entries(entries)) await sql.run(SET_SETTING, [key, JSON.stringify(value)]);
    },
    async remove(key) {
      await sql.run('DELETE FROM settings WHERE key = ?', [key]);
    },
  };
}

export function createAuthBanRepo(sql: Sql): Async<AuthBanRepo> {
  return {
    async load(now) {
      await sql.run('DELETE FROM auth_bans WHERE until <= ?', [now]);
      return sql.all<StoredBan>('SELECT subject, since, until, failures FROM auth_bans WHERE until > ? ORDER BY until', [now]);
    },
    async save(ban) {
      await sql.run(
        'INSERT INTO auth_bans (subject, since, until, failures) VALUES (?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET since = excluded.since, until = excluded.until, failures = excluded.failures',
        [ban.subject, ban.since, ban.until, ban.failures],
      );
    },
    remove: async (subject) => (await sql.run('DELETE FROM auth_bans WHERE subject = ?', [subject])) > 0,
  };
}

export function createSenderRightsRepo(sql: Sql, clock: Clock): Async<SenderRightsRepo> {
  return {
    grants: async (accountId) =>
      (accountId === undefined
        ? await sql.all<GrantRow>('SELECT * FROM send_as ORDER BY account_id, lower(address) COLLATE "C"')
        : await sql.all<GrantRow>('SELECT * FROM send_as WHERE account_id = ? ORDER BY lower(address) COLLATE "C"', [accountId])
      ).map(toGrant),
    async grant(accountId, address) {
      await sql.run('INSERT INTO send_as (account_id, address, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [accountId, address, clock.now()]);
      return toGrant((await sql.one<GrantRow>('SELECT * FROM send_as WHERE account_id = ? AND address = ?', [accountId, address]))!);
    },
    revoke: async (accountId, address) => (await sql.run('DELETE FROM send_as WHERE account_id = ? AND address = ?', [accountId, address])) > 0,
    allows: async (accountId, local, domain) =>
      (await sql.value<number>('SELECT count(*) FROM send_as WHERE account_id = ? AND address IN (?, ?)', [accountId, `${local}@${domain}`, `*@${domain}`]))! > 0,
    isMaster: async (accountId) => (await sql.value<number>('SELECT count(*) FROM master_users WHERE account_id = ?', [accountId]))! > 0,
    async setMaster(accountId, on) {
      if (on) await sql.run('INSERT INTO master_users (account_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING', [accountId, clock.now()]);
      else await sql.run('DELETE FROM master_users WHERE account_id = ?', [accountId]);
    },
    masters: async () => (await sql.all<{ account_id: number }>('SELECT account_id FROM master_users ORDER BY account_id')).map((r) => r.account_id),
  };
}

export function createSenderListRepo(sql: Sql, clock: Clock): Async<SenderListRepo> {
  const find = (list: string, scope: { domainId: number | null; accountId: number | null }, pattern: string) =>
    sql.one<ListRow>('SELECT * FROM sender_lists WHERE list = ? AND coalesce(domain_id, 0) = ? AND coalesce(account_id, 0) = ? AND pattern = ?', [
      list,
      scope.domainId ?? 0,
      scope.accountId ?? 0,
      pattern,
    ]);
  return {
    async add(e) {
      await sql.run('INSERT INTO sender_lists (list, domain_id, account_id, kind, pattern, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
        e.list,
        e.domainId,
        e.accountId,
        e.kind,
        e.pattern,
        e.source,
        clock.now(),
      ]);
      return toListEntry((await find(e.list, e, e.pattern))!);
    },
    remove: async (id) => (await sql.run('DELETE FROM sender_lists WHERE id = ?', [id])) > 0,
    list: async (scope) =>
      (scope === undefined
        ? await sql.all<ListRow>('SELECT * FROM sender_lists ORDER BY list, domain_id NULLS FIRST, account_id NULLS FIRST, pattern COLLATE "C"')
        : await sql.all<ListRow>('SELECT * FROM sender_lists WHERE coalesce(domain_id, 0) = ? AND coalesce(account_id, 0) = ? ORDER BY list, pattern COLLATE "C"', [
            scope.domainId ?? 0,
            scope.accountId ?? 0,
          ])
      ).map(toListEntry),
    async find(list, scope, pattern) {
      const row = await find(list, scope, pattern);
      return row && toListEntry(row);
    },
    candidates: async (address, domain, domainIds, accountIds) =>
      (
        await sql.all<ListRow>(
          `SELECT * FROM sender_lists
            WHERE (kind = 'network' OR (kind = 'address' AND pattern = ?) OR (kind = 'domain' AND pattern = ?))
              AND ((domain_id IS NULL AND account_id IS NULL) OR domain_id = ANY(?::bigint[]) OR account_id = ANY(?::bigint[]))
            ORDER BY id`,
          [address.toLowerCase(), `@${domain.toLowerCase()}`, [...domainIds], [...accountIds]],
        )
      ).map(toListEntry),
  };
}

export function createGreylistRepo(sql: Sql): Async<GreylistRepo> {
  return {
    async get(client, sender, recipient) {
      const r = await sql.one<{ client: string; sender: string; recipient: string; first_seen: number; last_seen: number; passed_at: number | null }>(
        'SELECT * FROM greylist WHERE client = ? AND sender = ? AND recipient = ?',
        [client, sender, recipient],
      );
      return r && { client: r.client, sender: r.sender, recipient: r.recipient, firstSeen: r.first_seen, lastSeen: r.last_seen, passedAt: r.passed_at };
    },
    async start(client, sender, recipient, now) {
      await sql.run(
        `INSERT INTO greylist (client, sender, recipient, first_seen, last_seen, passed_at) VALUES (?, ?, ?, ?, ?, NULL)
         ON CONFLICT (client, sender, recipient) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, passed_at = NULL`,
        [client, sender, recipient, now, now],
      );
    },
    async pass(client, sender, recipient, now) {
      await sql.run('UPDATE greylist SET last_seen = ?, passed_at = coalesce(passed_at, ?) WHERE client = ? AND sender = ? AND recipient = ?', [now, now, client, sender, recipient]);
    },
    prune: (unpassedBefore, passedBefore) =>
      sql.run('DELETE FROM greylist WHERE (passed_at IS NULL AND first_seen < ?) OR (passed_at IS NOT NULL AND last_seen < ?)', [unpassedBefore, passedBefore]),
  };
}

export function createQuarantineRepo(sql: Sql, clock: Clock, blobs: Async<BlobRepo>): Async<QuarantineRepo> {
  const one = (quarantineId: string) => sql.one<QuarantineRow>('SELECT * FROM quarantine WHERE quarantine_id = ?', [quarantineId]);
  return {
    async hold(m) {
      const blobId = await blobs.acquire(m.bytes, 1);
      const id = `Q${randomBytes(6).toString('hex').toUpperCase()}`;
      const row = await sql.one<QuarantineRow>(
        `INSERT INTO quarantine (quarantine_id, blob_id, sender, recipients, info, milter, reason, message_id, size, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [id, blobId, m.sender, JSON.stringify(m.recipients), JSON.stringify(m.info), m.milter, m.reason, m.messageId, m.bytes.length, clock.now()],
      );
      return toQuarantined(row!);
    },
    list: async () => (await sql.all<QuarantineRow>('SELECT * FROM quarantine ORDER BY created_at, id')).map(toQuarantined),
    async get(quarantineId) {
      const row = await one(quarantineId);
      return row && toQuarantined(row);
    },
    async remove(quarantineId) {
      const blobId = await sql.value<number>('DELETE FROM quarantine WHERE quarantine_id = ? RETURNING blob_id', [quarantineId]);
      if (blobId === undefined) return false;
      await blobs.release(blobId);
      return true;
    },
  };
}
