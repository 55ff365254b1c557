// The mailbox operations IMAP needs (mailboxes.ts): CREATE with superiors, RENAME with inferiors and
// the INBOX special case, and \Recent claiming.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, NotFoundError } from '../../../server/store/errors.js';
import { storeTest, type Backend } from '../../helpers/store-backends.js';

async function setup(t: TestContext, backend: Backend) {
  const store = await backend.open(t);
  const domain = await store.domains.add('example.com', 0);
  const account = await store.accounts.add({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  await store.mailboxes.createDefaults(account.id);
  return { store, account };
}

storeTest('createPath creates missing superiors and reports each creation', async (t, backend) => {
  const { store, account } = await setup(t, backend);
  const { result, changes } = await store.mailboxes.createPath(account.id, 'a/b/c');
  assert.equal(result.name, 'a/b/c');
  assert.deepEqual(changes.map((c) => [c.kind, 'name' in c ? c.name : null]), [['mailbox-created', 'a'], ['mailbox-created', 'a/b'], ['mailbox-created', 'a/b/c']]);
  assert.deepEqual((await store.mailboxes.createPath(account.id, 'a/d')).changes.map((c) => ('name' in c ? c.name : null)), ['a/d']);
  await assert.rejects(store.mailboxes.createPath(account.id, 'a/b'), ConflictError);
});

storeTest('rename moves inferiors, creates superiors of the target, and refuses conflicts', async (t, backend) => {
  const { store, account } = await setup(t, backend);
  await store.mailboxes.createPath(account.id, 'p/q/r');
  const { result, changes } = await store.mailboxes.rename(account.id, 'p', 'x/y');
  assert.equal(result.name, 'x/y');
  assert.deepEqual(changes.map((c) => [c.kind, 'name' in c ? c.name : null]), [
    ['mailbox-created', 'x'],
    ['mailbox-renamed', 'x/y'],
    ['mailbox-renamed', 'x/y/q'],
    ['mailbox-renamed', 'x/y/q/r'],
  ]);
  assert.ok(!await store.mailboxes.get(account.id, 'p/q'));
  await assert.rejects(store.mailboxes.rename(account.id, 'x', 'Sent'), ConflictError);
  await assert.rejects(store.mailboxes.rename(account.id, 'x', 'x/inside'), ConflictError);
  await assert.rejects(store.mailboxes.rename(account.id, 'nothing', 'else'), NotFoundError);
});

storeTest('renaming INBOX moves its messages with their UIDs and leaves INBOX empty, UIDs not reused', async (t, backend) => {
  const { store, account } = await setup(t, backend);
  const inbox = await store.mailboxes.require(account.id, 'INBOX');
  const local = { mailboxId: inbox.id, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' };
  await store.deliver({ bytes: Buffer.from('Subject: 1\r\n\r\n.'), local: [local] });
  await store.deliver({ bytes: Buffer.from('Subject: 2\r\n\r\n.'), local: [local] });
  const { result, changes } = await store.mailboxes.rename(account.id, 'INBOX', 'Old');
  assert.deepEqual(await store.messages.uids(result.id), [1, 2]);
  assert.equal(result.uidNext, 3);
  assert.notEqual(result.uidValidity, inbox.uidValidity);
  assert.deepEqual(changes.map((c) => c.kind), ['mailbox-created', 'messages-expunged']);
  assert.deepEqual(await store.messages.uids(inbox.id), []);
  assert.equal((await store.mailboxes.byId(inbox.id))!.uidNext, 3);
  assert.equal((await store.deliver({ bytes: Buffer.from('Subject: 3\r\n\r\n.'), local: [local] })).result.uids[0].uid, 3);
});

storeTest('claimRecent hands each new message to one claimant only', async (t, backend) => {
  const { store, account } = await setup(t, backend);
  const inbox = await store.mailboxes.require(account.id, 'INBOX');
  const local = { mailboxId: inbox.id, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' };
  await store.deliver({ bytes: Buffer.from('Subject: 1\r\n\r\n.'), local: [local] });
  assert.deepEqual(await store.mailboxes.claimRecent(inbox.id), { first: 1, next: 2 });
  assert.deepEqual(await store.mailboxes.claimRecent(inbox.id), { first: 2, next: 2 }, 'nothing left for the second claimant');
  await store.deliver({ bytes: Buffer.from('Subject: 2\r\n\r\n.'), local: [local] });
  assert.deepEqual(await store.mailboxes.claimRecent(inbox.id), { first: 2, next: 3 });
});
