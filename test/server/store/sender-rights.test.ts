import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminFixture } from '../../helpers/admin.js';

test('send-as grants cover one address or a whole domain, case-insensitively, and go with their account', async (t) => {
  const { api, store } = await adminFixture(t);
  await api.addDomain({ name: 'local.example' });
  await api.addAccount({ address: 'alice@local.example', password: 'alice-password' });
  const alice = (await store.accounts.find('alice', 'local.example'))!;
  const grant = await store.senderRights.grant(alice.id, 'Info@local.example');
  assert.deepEqual(await store.senderRights.grant(alice.id, 'info@local.example'), grant, 'granting twice keeps the first grant');
  await store.senderRights.grant(alice.id, '*@bank.example');
  assert.equal(await store.senderRights.allows(alice.id, 'INFO', 'local.example'), true);
  assert.equal(await store.senderRights.allows(alice.id, 'anyone', 'bank.example'), true);
  assert.equal(await store.senderRights.allows(alice.id, 'sales', 'local.example'), false);
  assert.deepEqual((await store.senderRights.grants(alice.id)).map((g) => g.address), ['*@bank.example', 'Info@local.example']);

  await store.senderRights.setMaster(alice.id, true);
  await store.senderRights.setMaster(alice.id, true);
  assert.deepEqual(await store.senderRights.masters(), [alice.id]);
  await api.removeAccount({ address: 'alice@local.example' });
  assert.deepEqual(await store.senderRights.grants(), []);
  assert.deepEqual(await store.senderRights.masters(), []);
});

test('the admin methods check their addresses and name the field', async (t) => {
  const { api } = await adminFixture(t);
  await api.addDomain({ name: 'local.example' });
  await api.addAccount({ address: 'alice@local.example', password: 'alice-password' });
  await assert.rejects(api.grantSendAs({ user: 'nobody@local.example', address: 'x@y.example' }), { code: 'not-found', field: 'user' });
  await assert.rejects(api.grantSendAs({ user: 'alice@local.example', address: 'not an address' }), { code: 'invalid', field: 'address' });
  await assert.rejects(api.setMasterUser({ address: 'alice@local.example', master: 'yes' as unknown as boolean }), { code: 'invalid', field: 'master' });
  const granted = await api.grantSendAs({ user: 'ALICE@local.example', address: '*@Bank.Example' });
  assert.deepEqual({ ...granted, createdAt: 0 }, { user: 'alice@local.example', address: '*@bank.example', createdAt: 0 });
  assert.deepEqual(await api.revokeSendAs({ user: 'alice@local.example', address: '*@bank.example' }), { removed: true });
  assert.deepEqual(await api.revokeSendAs({ user: 'alice@local.example', address: '*@bank.example' }), { removed: false });
  assert.deepEqual(await api.setMasterUser({ address: 'alice@local.example', master: true }), { address: 'alice@local.example', master: true });
  assert.deepEqual(await api.listMasterUsers(), ['alice@local.example']);
});
