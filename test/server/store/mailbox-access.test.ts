// store.access (mailbox-access.ts) on both backends: a hidden mailbox is missing for every operation,
// a visible one refuses what its rights do not allow, flags follow s/w/t, quota goes to the owner.
import assert from 'node:assert/strict';
import { storeTest } from '../../helpers/store-backends.js';
import { AccessDeniedError, NotFoundError } from '../../../server/store/errors.js';
import { OverQuotaError } from '../../../server/store/mailbox-access.js';
import type { Delivery, Store } from '../../../server/store/index.js';

async function office(store: Store) {
  const domain = await store.domains.add('example.com', 0);
  const add = (localPart: string, quotaBytes = 0) => store.createAccount({ domainId: domain.id, localPart, displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes });
  return { alice: await add('alice', 1000), bob: await add('bob') };
}

function delivery(mailboxId: number, text: string, flags = 0): Delivery {
  const bytes = Buffer.from(`Subject: ${text}\r\n\r\n${text}\r\n`);
  return {
    bytes,
    local: [{ mailboxId, prefix: Buffer.alloc(0), flags, keywords: ['$Work'], internalDate: 0, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' }],
  };
}

const NAME = 'Other Users/alice@example.com/INBOX';

storeTest('store.access: hidden is missing for open, status, append target, delete and rename', async (t, backend) => {
  const store = await backend.open(t);
  const { alice, bob } = await office(store);
  const inbox = await store.mailboxes.require(alice.id, 'INBOX');
  await store.deliver(delivery(inbox.id, 'secret'));
  assert.equal(await store.access.open(bob.id, NAME, { readOnly: false, changedSince: null }), null);
  assert.equal(await store.access.status(bob.id, NAME, true), null);
  await assert.rejects(store.access.target(bob.id, NAME), NotFoundError);
  await assert.rejects(store.access.delete(bob.id, NAME), NotFoundError);
  await assert.rejects(store.access.rename(bob.id, NAME, 'Other Users/alice@example.com/X'), NotFoundError);
  await assert.rejects(store.access.create(bob.id, `${NAME}/Sub`), AccessDeniedError);

  await store.acl.grant(inbox.id, 'bob@example.com', 'l');
  await assert.rejects(store.access.open(bob.id, NAME, { readOnly: true, changedSince: null }), AccessDeniedError);
  await assert.rejects(store.access.status(bob.id, NAME, true), AccessDeniedError);
  await assert.rejects(store.access.target(bob.id, NAME), AccessDeniedError);
});

storeTest('store.access: flags by right, expunge needs e, append keeps permitted flags and charges the owner', async (t, backend) => {
  const store = await backend.open(t);
  const { alice, bob } = await office(store);
  const inbox = await store.mailboxes.require(alice.id, 'INBOX');
  const uid = (await store.deliver(delivery(inbox.id, 'one'))).result.uids[0].uid;
  await store.acl.grant(inbox.id, 'bob@example.com', 'lrs');
  const opened = await store.access.open(bob.id, NAME, { readOnly: false, changedSince: null });
  assert.ok(opened && !opened.readOnly);
  const grant = opened.grant;
  const done = await store.access.updateFlags(grant, [uid], { action: 'add', flags: 1 | 4, keywords: ['$X'] }, null);
  assert.deepEqual(done.result.messages.map((m) => [m.flags, m.keywords]), [[1, ['$Work']]], 'only \\Seen');
  await assert.rejects(store.access.updateFlags(grant, [uid], { action: 'add', flags: 8, keywords: [] }, null), AccessDeniedError);
  await assert.rejects(store.access.expunge(grant, [uid]), AccessDeniedError);

  await store.acl.grant(inbox.id, 'bob@example.com', 'lri');
  const target = await store.access.target(bob.id, NAME);
  const appended = await store.access.append(target, [delivery(inbox.id, 'two', 1 | 4)]);
  const [row] = await store.messages.meta(inbox.id, [appended.result[0].uids[0].uid]);
  assert.deepEqual([row.flags, row.keywords], [0, []], 'no flag bob may not set');
  assert.ok((await store.accounts.get(alice.id))!.usedBytes > 0, "charged to alice's usage");
  await assert.rejects(store.access.append(target, [delivery(inbox.id, 'x'.repeat(2000))]), OverQuotaError, "alice's quota");
});
