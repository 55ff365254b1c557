// Shared mailboxes (issue 17) end to end: the admin makes Shared/sales receiving sales@, grants a user
// rights (service and `mailroom shared` CLI), mail to the address over SMTP lands in the shared
// mailbox, and removing it takes its mail and grants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rcpt, smtpFixture, standardDomains, message } from './harness.js';
import { runCliOn } from '../../helpers/cli.js';
import { INBOX } from '../../../server/store/mailbox-names.js';

test('a shared mailbox: made by the admin and the CLI, delivered to by its address, rights granted and revoked', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const cli = (...args: string[]) => runCliOn(f.admin, ['shared', ...args]);
  assert.deepEqual(await f.admin.listSharedMailboxes({}), []);

  const made = await f.admin.addSharedMailbox({ name: 'sales', address: 'sales@local.example' });
  assert.deepEqual([made.name, made.imapName, made.address, made.grants], ['sales', 'Shared/sales', 'sales@local.example', []]);
  await assert.rejects(f.admin.addSharedMailbox({ name: 'Sales', address: 'other@local.example' }), /already a shared mailbox/);
  await assert.rejects(f.admin.addSharedMailbox({ name: 'support', address: 'alice@local.example' }), /already an account/);
  await assert.rejects(f.admin.addSharedMailbox({ name: 'a/b', address: 'ab@local.example' }), /no \//);
  await assert.rejects(f.admin.grantSharedMailbox({ name: 'sales', user: 'nobody@local.example', rights: 'lr' }), /no user/);
  await assert.rejects(f.admin.grantSharedMailbox({ name: 'sales', user: 'alice@local.example', rights: 'lz' }), /Rights are letters/);

  assert.deepEqual((await cli('add', 'support', 'support@local.example')).lines, ['added shared mailbox Shared/support receiving support@local.example']);
  assert.deepEqual((await cli('grant', 'sales', 'alice@local.example')).lines, ['alice@local.example holds lrswite on Shared/sales']);
  assert.deepEqual((await cli('grant', 'sales', 'anyone', 'lr')).lines, ['anyone holds lr on Shared/sales']);
  const list = (await cli('list')).lines;
  assert.match(list[0], /^name\s+address\s+messages\s+usedBytes\s+grants$/);
  assert.match(list[1], /^sales\s+sales@local\.example\s+0\s+0\s+alice@local\.example=lrswited,anyone=lr$/);
  assert.match(list[2], /^support\s+support@local\.example\s+0\s+0\s*$/);
  const unknown = await cli('grant', 'nosuch', 'alice@local.example');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /There is no shared mailbox nosuch/);

  // Mail to the address lands in the shared mailbox, which alice sees as Shared/sales.
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'customer@outside.example', 'sales@local.example')).code, 250);
  assert.equal((await client.data(message('an order'))).code, 250);
  assert.equal((await f.inbox('sales@local.example')).length, 1);
  const alice = (await f.ctx.store.accounts.find('alice', 'local.example'))!;
  const status = await f.ctx.store.access.status(alice.id, 'Shared/sales', true);
  assert.equal(status?.counts.messages, 1);
  assert.equal((await f.admin.listSharedMailboxes({}))[0].messages, 1);

  assert.deepEqual((await cli('revoke', 'sales', 'anyone')).lines, ['anyone holds no rights on Shared/sales']);
  const sales = (await f.ctx.store.accounts.find('sales', 'local.example'))!;
  assert.deepEqual(await f.ctx.store.acl.entriesOf((await f.ctx.store.mailboxes.require(sales.id, INBOX)).id), [{ identifier: 'alice@local.example', rights: 'lrswite' }]);
  assert.deepEqual((await cli('remove', 'sales')).lines, ['removed shared mailbox Shared/sales (1 messages)']);
  assert.equal(await f.ctx.store.access.status(alice.id, 'Shared/sales', true), null);
  assert.deepEqual((await f.admin.listSharedMailboxes({})).map((s) => s.name), ['support']);
});
