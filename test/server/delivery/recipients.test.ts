import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecipientResolver } from '../../../server/delivery/recipients.js';
import { ownsAddress } from '../../../server/delivery/ownership.js';
import { adminFixture } from '../../helpers/admin.js';

test('resolution: accounts, nested aliases, remote, transport routes, refusals; sender ownership', async (t) => {
  const { api, store } = await adminFixture(t);
  await api.addDomain({ name: 'local.example' });
  for (const u of ['alice', 'bob']) await api.addAccount({ address: `${u}@local.example`, password: 'password-123' });
  await api.addAlias({ address: 'sales@local.example', destinations: ['alice@local.example', 'ext@partner.example'] });
  await api.addAlias({ address: 'all@local.example', destinations: ['sales@local.example', 'bob@local.example'] });
  await api.setTransport({ domain: 'blocked.example', route: 'reject' });
  const r = createRecipientResolver(store);
  const route = async (local: string, domain: string, size = 0) => {
    const res = await r.resolve({ local, domain }, size);
    return res.ok ? { local: res.route.local.map((l) => l.address), remote: res.route.remote } : res.refusal;
  };
  assert.deepEqual(await route('ALICE', 'local.example'), { local: ['alice@local.example'], remote: [] });
  assert.deepEqual(await route('all', 'local.example'), { local: ['alice@local.example', 'bob@local.example'], remote: ['ext@partner.example'] });
  assert.deepEqual(await route('x', 'remote.example'), { local: [], remote: ['x@remote.example'] });
  assert.equal(await route('nobody', 'local.example'), 'unknown-user');
  assert.equal(await route('x', 'blocked.example'), 'domain-rejected');
  await api.updateAccount({ address: 'bob@local.example', quota: 1000 });
  assert.equal(await route('bob', 'local.example', 5000), 'over-quota');
  assert.equal(await route('all', 'local.example', 5000), 'over-quota');
  assert.deepEqual(await route('bob', 'local.example', 10), { local: ['bob@local.example'], remote: [] }, 'still fits');
  await api.updateAccount({ address: 'bob@local.example', active: false });
  assert.equal(await route('bob', 'local.example'), 'disabled');
  assert.deepEqual(await route('all', 'local.example'), { local: ['alice@local.example'], remote: ['ext@partner.example'] });
  assert.equal(await r.isHosted('local.example'), true);
  assert.equal(await r.isHosted('remote.example'), false);

  const alice = (await store.accounts.find('alice', 'local.example'))!;
  assert.equal(await ownsAddress(store, alice.id, { local: 'Alice', domain: 'local.example' }), true);
  assert.equal(await ownsAddress(store, alice.id, { local: 'sales', domain: 'local.example' }), true);
  assert.equal(await ownsAddress(store, alice.id, { local: 'all', domain: 'local.example' }), true);
  assert.equal(await ownsAddress(store, alice.id, { local: 'bob', domain: 'local.example' }), false);
  assert.equal(await ownsAddress(store, alice.id, { local: 'alice', domain: 'remote.example' }), false);
});
