// Server-side paging on both stores (issue 18): the same statements page, sort, search (LIKE
// wildcards taken literally) and count accounts, aliases, queue rows and older log rows.
import assert from 'node:assert/strict';
import { storeTest } from '../../helpers/store-backends.js';
import type { PageRequest } from '../../../server/store/paging.js';
import type { AccountSort } from '../../../server/store/list-sorts.js';

const page: PageRequest<AccountSort> = { sort: 'address', order: 'asc', query: '', offset: 0, limit: 50 };

storeTest('accounts, aliases and queue rows page, sort, search and count alike', async (t, backend) => {
  const store = await backend.open(t);
  const a = await store.domains.add('a.test', 0);
  const b = await store.domains.add('b.test', 0);
  for (const [domain, local, name, quota] of [[a, 'Carol', 'C_x', 3], [a, 'alice', 'Al', 1], [b, 'bob', 'Bobby 100%', 2], [b, 'dave', 'D', 4]] as const) {
    await store.accounts.add({ domainId: domain.id, localPart: local, displayName: name, passwordHash: 'x', scramSecret: null, quotaBytes: quota });
  }
  const addresses = async (request: Partial<PageRequest<AccountSort>>, domain?: string) =>
    (await store.accounts.page({ ...page, ...request }, domain)).rows.map((x) => x.address);
  assert.deepEqual(await addresses({}), ['alice@a.test', 'bob@b.test', 'Carol@a.test', 'dave@b.test'], 'case-insensitive order');
  assert.deepEqual(await addresses({ sort: 'quota', order: 'desc', limit: 2 }), ['dave@b.test', 'Carol@a.test']);
  assert.deepEqual(await addresses({ offset: 3 }), ['dave@b.test']);
  assert.deepEqual(await addresses({}, 'b.test'), ['bob@b.test', 'dave@b.test']);
  assert.deepEqual(await addresses({ query: 'CAROL@' }), ['Carol@a.test']);
  assert.deepEqual(await addresses({ query: '100%' }), ['bob@b.test'], '% is a character');
  assert.deepEqual(await addresses({ query: 'c_' }), ['Carol@a.test'], '_ is a character');
  assert.equal((await store.accounts.page({ ...page, limit: 1 })).total, 4);

  await store.aliases.add(a.id, 'team', ['alice@a.test', 'Carol@a.test']);
  await store.aliases.add(b.id, 'info', ['bob@b.test']);
  const aliases = await store.aliases.page({ sort: 'destinations', order: 'asc', query: 'carol', offset: 0, limit: 10 });
  assert.deepEqual([aliases.total, aliases.rows.map((x) => x.address)], [1, ['team@a.test']]);
  assert.deepEqual(aliases.rows[0]?.destinations, ['alice@a.test', 'Carol@a.test']);

  for (const to of ['z@far.test', 'y@far.test', 'x@near.test']) {
    await store.deliver({ bytes: Buffer.from('Subject: q\r\n\r\nx\r\n'), local: [], remote: { sender: 'alice@a.test', recipients: [to], messageId: null } });
  }
  const queue = await store.queue.page({ sort: 'recipient', order: 'asc', query: 'far', offset: 0, limit: 10 }, 'queued');
  assert.deepEqual([queue.total, queue.rows.map((r) => r.recipient)], [2, ['y@far.test', 'z@far.test']]);
  assert.equal((await store.queue.page({ sort: 'created', order: 'asc', query: '', offset: 0, limit: 10 }, 'deferred')).total, 0);
});

storeTest('log rows before an id, newest of them first in the page, oldest first in the answer', async (t, backend) => {
  const store = await backend.open(t);
  const rows = await store.log.insertMany(Array.from({ length: 10 }, (_, i) => ({ ts: i, level: 'info' as const, component: 'x', sessionId: null, queueId: null, messageId: null, event: 'e', fields: { i } })));
  const older = await store.log.query({ beforeId: rows[6]!.id, limit: 3 });
  assert.deepEqual(older.map((r) => r.fields.i), [3, 4, 5]);
});
