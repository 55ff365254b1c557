// Mailbox access control in the store (acl.ts over migration 0020 / PostgreSQL 0008): names in the
// Other Users and Shared namespaces, rights from entries (negative ones too), hidden mailboxes
// answered as missing, SETACL/DELETEACL needing `a`, entries gone with the mailbox and the grantee.
import assert from 'node:assert/strict';
import { storeTest } from '../../helpers/store-backends.js';
import { AccessDeniedError, NotFoundError } from '../../../server/store/errors.js';
import { InvalidAclError } from '../../../server/store/acl-rules.js';
import type { Store } from '../../../server/store/index.js';

async function office(store: Store) {
  const domain = await store.domains.add('example.com', 0);
  const add = (localPart: string) => store.createAccount({ domainId: domain.id, localPart, displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  return { alice: await add('alice'), bob: await add('bob'), carol: await add('carol'), sales: await add('sales') };
}

storeTest('a grant makes another user\'s folder visible under Other Users; nothing before it', async (t, backend) => {
  const store = await backend.open(t);
  const { alice, bob } = await office(store);
  const name = 'Other Users/alice@example.com/Sent';
  assert.equal(await store.acl.resolve(bob.id, name), null, 'no entry: missing');
  assert.deepEqual(await store.acl.visible(bob.id), []);
  await assert.rejects(store.acl.setAcl(bob.id, name, 'bob@example.com', 'lr'), NotFoundError, 'cannot grant oneself rights on what one cannot see');

  assert.equal(await store.acl.setAcl(alice.id, 'Sent', 'Bob@Example.com', 'lr'), 'lr');
  const access = await store.acl.resolve(bob.id, 'Other Users/ALICE@example.com/Sent');
  assert.equal(access?.name, name);
  assert.equal(access?.rights, 'lr');
  assert.equal(access?.owned, false);
  assert.deepEqual((await store.acl.visible(bob.id)).map((a) => [a.name, a.rights]), [[name, 'lr']]);
  assert.equal((await store.acl.resolve(alice.id, 'Sent'))?.rights, 'lrswipkxtea', 'the owner holds every right');
  assert.equal(await store.acl.resolve(alice.id, 'Other Users/alice@example.com/Sent'), null, 'no second name for one\'s own');
  await assert.rejects(store.acl.require(bob.id, name, 'i'), AccessDeniedError);
  await assert.rejects(store.acl.getAcl(bob.id, name), AccessDeniedError, 'GETACL needs a');
  assert.equal((await store.acl.require(bob.id, name, 'ia', 'any').catch((e: Error) => e)).constructor, AccessDeniedError);
});

storeTest('l without r lists, r without l opens but does not list; negative rights subtract; anyone counts', async (t, backend) => {
  const store = await backend.open(t);
  const { alice, bob, carol } = await office(store);
  await store.acl.setAcl(alice.id, 'INBOX', 'bob@example.com', 'r');
  assert.equal((await store.acl.resolve(bob.id, 'Other Users/alice@example.com/INBOX'))?.rights, 'r');
  assert.deepEqual(await store.acl.visible(bob.id), [], 'not listed without l');
  await store.acl.setAcl(alice.id, 'INBOX', 'anyone', 'lrs');
  await store.acl.setAcl(alice.id, 'INBOX', '-carol@example.com', 'lrs');
  assert.equal((await store.acl.resolve(bob.id, 'Other Users/alice@example.com/INBOX'))?.rights, 'lrs');
  assert.equal(await store.acl.resolve(carol.id, 'Other Users/alice@example.com/INBOX'), null, 'a negative entry hides it again');
  assert.equal(await store.acl.setAcl(alice.id, 'INBOX', 'anyone', '+wc'), 'lrswkx', 'c is k and x');
  assert.equal(await store.acl.setAcl(alice.id, 'INBOX', 'anyone', '-xk'), 'lrsw');
  await assert.rejects(store.acl.setAcl(alice.id, 'INBOX', 'anyone', 'lz'), InvalidAclError);
  await assert.rejects(store.acl.setAcl(alice.id, 'INBOX', 'nobody', 'l'), InvalidAclError);
  await assert.rejects(store.acl.setAcl(alice.id, 'INBOX', 'alice@example.com', 'l'), InvalidAclError, "the owner's rights are fixed");
  assert.deepEqual(await store.acl.getAcl(alice.id, 'INBOX'), [
    { identifier: 'alice@example.com', rights: 'lrswipkxtea' },
    { identifier: '-carol@example.com', rights: 'lrs' },
    { identifier: 'anyone', rights: 'lrsw' },
    { identifier: 'bob@example.com', rights: 'r' },
  ]);
  await store.acl.deleteAcl(alice.id, 'INBOX', 'BOB@example.com');
  assert.equal((await store.acl.getAcl(alice.id, 'INBOX')).length, 3);
});

storeTest('a shared mailbox is its account\'s INBOX under Shared/, its folders below; entries go with mailbox and grantee', async (t, backend) => {
  const store = await backend.open(t);
  const { alice, bob, sales } = await office(store);
  await store.acl.addShared('sales', sales.id);
  const inbox = await store.mailboxes.require(sales.id, 'INBOX');
  const archive = await store.mailboxes.require(sales.id, 'Archive');
  assert.equal(await store.acl.resolve(alice.id, 'Shared/sales'), null);
  await store.acl.grant(inbox.id, 'alice@example.com', 'lrswi');
  await store.acl.grant(archive.id, 'anyone', 'lr');
  assert.deepEqual((await store.acl.visible(alice.id)).map((a) => [a.name, a.rights]), [
    ['Shared/sales', 'lrswi'],
    ['Shared/sales/Archive', 'lr'],
  ]);
  assert.equal((await store.acl.resolve(alice.id, 'Shared/sales'))?.mailbox.id, inbox.id);
  assert.deepEqual(await store.acl.sharedMailboxes(), [{ name: 'sales', accountId: sales.id }]);
  assert.deepEqual(await store.acl.getAcl(sales.id, 'INBOX'), [{ identifier: 'alice@example.com', rights: 'lrswi' }], 'no person owns a shared mailbox');

  await store.acl.setAcl(bob.id, 'Sent', 'alice@example.com', 'lr');
  await store.deleteAccount(alice.id);
  assert.deepEqual(await store.acl.entriesOf(inbox.id), [], "the grantee's entries go with its account");
  await store.deleteMailbox(archive.id);
  assert.deepEqual(await backend.rows(store, `SELECT identifier FROM acl WHERE mailbox_id = ${archive.id}`), []);
  await store.deleteAccount(sales.id);
  assert.deepEqual(await store.acl.sharedMailboxes(), []);
});
