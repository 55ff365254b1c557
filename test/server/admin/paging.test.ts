// Lists that scale (issue 18): users, aliases, queue and log are paged, sorted and searched by the
// server; a cursor walks every row exactly once; the log pages backwards ("load older").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminFixture } from '../../helpers/admin.js';
import type { AdminApi, Page } from '../../../server/admin/contract.js';

async function walk<T>(next: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await next(cursor);
    assert.equal(page.from, seen.length, 'each page starts where the last ended');
    seen.push(...page.items);
    if (page.nextCursor === null) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('more than 100 pages');
}

async function usersIn(api: AdminApi) {
  await api.addDomain({ name: 'a.test' });
  await api.addDomain({ name: 'b.test' });
  for (let i = 0; i < 23; i++) {
    const domain = i % 2 === 0 ? 'a.test' : 'b.test';
    await api.addAccount({ address: `user${String(i).padStart(2, '0')}@${domain}`, password: 'long enough', displayName: i % 5 === 0 ? `Sales ${i}` : `Person ${i}`, quota: (23 - i) * 1000 });
  }
}

test('accounts: pages of 5 cover all 23 once, in order; total counts all pages', async (t) => {
  const { api } = await adminFixture(t);
  await usersIn(api);
  const first = await api.searchAccounts({ limit: 5 });
  assert.equal(first.total, 23);
  assert.equal(first.items.length, 5);
  assert.equal(first.nextCursor, '5');
  const all = await walk((cursor) => api.searchAccounts({ limit: 5, cursor }));
  assert.equal(all.length, 23);
  const addresses = all.map((a) => a.address);
  assert.deepEqual(addresses, [...addresses].sort(), 'sorted by address');
  assert.equal(new Set(addresses).size, 23);
});

test('accounts: search by name or address, domain filter, sort by quota descending', async (t) => {
  const { api } = await adminFixture(t);
  await usersIn(api);
  const sales = await api.searchAccounts({ query: 'SALES' });
  assert.deepEqual(sales.items.map((a) => a.displayName).sort(), ['Sales 0', 'Sales 10', 'Sales 15', 'Sales 20', 'Sales 5']);
  assert.equal(sales.total, 5);
  assert.equal(sales.nextCursor, null);
  const inB = await api.searchAccounts({ domain: 'b.test', query: 'user1' });
  assert.deepEqual(inB.items.map((a) => a.address), ['user11@b.test', 'user13@b.test', 'user15@b.test', 'user17@b.test', 'user19@b.test']);
  const byQuota = await api.searchAccounts({ sort: 'quota', order: 'desc', limit: 3 });
  assert.deepEqual(byQuota.items.map((a) => a.quota), [23000, 22000, 21000]);
  // LIKE wildcards are literal characters in a search.
  assert.equal((await api.searchAccounts({ query: '%' })).total, 0);
  assert.equal((await api.searchAccounts({ query: 'user_1' })).total, 0);
});

test('bad paging input is refused, not clamped', async (t) => {
  const { api } = await adminFixture(t);
  await assert.rejects(api.searchAccounts({ limit: 0 }), /1 to 500 rows/);
  await assert.rejects(api.searchAccounts({ limit: 501 }), /1 to 500 rows/);
  await assert.rejects(api.searchAccounts({ cursor: 'abc' }), /cursor/);
  await assert.rejects(api.searchAccounts({ sort: 'password' as never }), (e: Error) => e.name === 'AdminError');
  await assert.rejects(api.searchAccounts({ domain: 'nowhere.test' }), /nowhere\.test/);
});

test('aliases: searched by destination, paged, per domain', async (t) => {
  const { api } = await adminFixture(t);
  await usersIn(api);
  for (let i = 0; i < 12; i++) await api.addAlias({ address: `list${i}@a.test`, destinations: [i % 3 === 0 ? 'user00@a.test' : 'user02@a.test'] });
  await api.addAlias({ address: '*@b.test', destinations: ['user01@b.test'] });
  const toZero = await api.searchAliases({ query: 'user00@' });
  assert.equal(toZero.total, 4);
  assert.deepEqual(toZero.items.map((a) => a.address), ['list0@a.test', 'list3@a.test', 'list6@a.test', 'list9@a.test']);
  const all = await walk((cursor) => api.searchAliases({ limit: 4, cursor, domain: 'a.test' }));
  assert.equal(all.length, 12);
  assert.equal((await api.searchAliases({ domain: 'b.test' })).items[0]?.catchAll, true);
});

test('queue: paged, searched by recipient, filtered by state, sorted by recipient', async (t) => {
  const { api, store } = await adminFixture(t);
  for (let i = 0; i < 7; i++) {
    await store.deliver({ bytes: Buffer.from(`Subject: ${i}\r\n\r\nbody\r\n`), local: [], remote: { sender: 'a@example.org', recipients: [`r${i}@far.test`, `s${i}@near.test`], messageId: null } });
  }
  const page = await api.searchQueue({ limit: 5, sort: 'recipient', order: 'desc' });
  assert.equal(page.total, 14);
  assert.deepEqual(page.items.map((q) => q.recipient), ['s6@near.test', 's5@near.test', 's4@near.test', 's3@near.test', 's2@near.test']);
  assert.equal((await api.searchQueue({ query: 'far.test' })).total, 7);
  assert.equal((await api.searchQueue({ state: 'deferred' })).total, 0);
  assert.equal((await api.searchQueue({ state: 'queued' })).total, 14);
  assert.equal((await walk((cursor) => api.searchQueue({ limit: 3, cursor }))).length, 14);
});

test('log: beforeId pages backwards through the rows, newest last within a page', async (t) => {
  const { api, log, flushLog } = await adminFixture(t);
  for (let i = 0; i < 30; i++) log.info('test.row', { i });
  await flushLog();
  const newest = await api.queryLog({ event: 'test.row', limit: 10 });
  assert.deepEqual(newest.map((r) => r.fields.i), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
  const older = await api.queryLog({ event: 'test.row', limit: 10, beforeId: newest[0]!.id });
  assert.deepEqual(older.map((r) => r.fields.i), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  const oldest = await api.queryLog({ event: 'test.row', limit: 25, beforeId: older[0]!.id });
  assert.deepEqual(oldest.map((r) => r.fields.i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
