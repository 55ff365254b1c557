// URLAUTH access keys (migration 0019, PostgreSQL 0007): made once per mailbox on first use and kept,
// forgotten by reset(), gone with the mailbox.
import assert from 'node:assert/strict';
import { storeTest } from '../../helpers/store-backends.js';

storeTest('a mailbox key is made once, reset forgets it, deleting the mailbox drops it', async (t, backend) => {
  const store = await backend.open(t);
  const domain = await store.domains.add('example.com', 0);
  const alice = await store.createAccount({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  const inbox = (await store.mailboxes.require(alice.id, 'INBOX')).id;
  const other = (await store.mailboxes.create(alice.id, 'Other', null)).id;
  assert.equal(await store.urlauthKeys.get(inbox), undefined);
  const key = await store.urlauthKeys.key(inbox);
  assert.equal(key.length, 32);
  assert.deepEqual(await store.urlauthKeys.key(inbox), key, 'kept');
  assert.deepEqual(await store.urlauthKeys.get(inbox), key);
  const otherKey = await store.urlauthKeys.key(other);
  assert.notDeepEqual(otherKey, key);
  await store.urlauthKeys.reset([inbox]);
  assert.equal(await store.urlauthKeys.get(inbox), undefined);
  assert.notDeepEqual(await store.urlauthKeys.key(inbox), key, 'a new key after reset');
  assert.deepEqual(await store.urlauthKeys.get(other), otherKey, 'other mailboxes keep theirs');
  await store.deleteMailbox(other);
  assert.deepEqual(await backend.rows(store, `SELECT mailbox_id FROM urlauth_keys WHERE mailbox_id = ${other}`), []);
});
