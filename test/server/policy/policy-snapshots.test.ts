// The policy generation (migration 0018, PostgreSQL 0003) and the SMTP listeners' kept policy
// snapshot: the counter moves with every change to rules, trusted networks and domains, on both
// stores, and the kept snapshot is taken again exactly when it moved or a trusted network expired.
import assert from 'node:assert/strict';
import { storeTest } from '../../helpers/store-backends.js';
import { createPolicySnapshots } from '../../../server/policy/index.js';

const permissions = { allowSmtp: true, allowImap: true, allowPop3: true, relay: false, requireTlsForAuth: true, expiresAt: null };
const rule = { stage: 'connect' as const, match: { ip: ['198.51.100.0/24'] }, action: 'reject' as const, replyCode: null, replyText: null, description: 'r', enabled: true };

storeTest('the policy generation moves with rules, networks and domains, not with accounts or mail', async (t, backend) => {
  const store = await backend.open(t);
  const moves = async (what: string, change: () => Promise<unknown>) => {
    const before = await store.rules.policyGeneration();
    await change();
    assert.ok((await store.rules.policyGeneration()) > before, `${what} moves the generation`);
  };
  const stays = async (what: string, change: () => Promise<unknown>) => {
    const before = await store.rules.policyGeneration();
    await change();
    assert.equal(await store.rules.policyGeneration(), before, `${what} leaves the generation`);
  };
  let domainId = 0;
  await moves('domain added', async () => (domainId = (await store.domains.add('a.test', 0)).id));
  await moves('domain changed', () => store.domains.update('a.test', { active: false }));
  let ruleId = 0;
  await moves('rule added', async () => (ruleId = (await store.rules.add(rule)).id));
  await moves('rule changed', () => store.rules.update(ruleId, { ...rule, enabled: false }));
  await store.rules.add(rule);
  await moves('rule moved', () => store.rules.move(ruleId, 1));
  await moves('rule removed', () => store.rules.remove(ruleId));
  await moves('network added', () => store.networks.add('203.0.113.0/24', 'n', permissions));
  await moves('network changed', () => store.networks.update('203.0.113.0/24', { relay: true }));
  await moves('network removed', () => store.networks.remove('203.0.113.0/24'));
  await stays('an account added', () => store.createAccount({ domainId, localPart: 'al', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 }));
  const account = await store.accounts.find('al', 'a.test');
  const mailboxId = (await store.mailboxes.require(account!.id, 'INBOX')).id;
  const copy = { mailboxId, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' };
  await stays('a delivery', () => store.deliver({ bytes: Buffer.from('Subject: x\r\n\r\nx\r\n'), local: [copy] }));
  await moves('domain deleted', () => store.deleteDomain(domainId));
});

storeTest('the kept policy snapshot is taken again when its tables change or a trusted network expires', async (t, backend) => {
  const store = await backend.open(t);
  const snapshot = createPolicySnapshots(store);
  const now = Date.UTC(2026, 0, 1);
  const first = await snapshot(now);
  assert.equal(await snapshot(now + 1000), first, 'nothing changed: the same snapshot');
  await store.networks.add('203.0.113.0/24', 'n', { ...permissions, expiresAt: now + 60_000 });
  const second = await snapshot(now + 2000);
  assert.notEqual(second, first);
  assert.equal(second.networks.lookup('203.0.113.7')?.cidr, '203.0.113.0/24');
  assert.equal(await snapshot(now + 59_999), second, 'kept until the network expires');
  const third = await snapshot(now + 60_000);
  assert.equal(third.networks.lookup('203.0.113.7'), null, 'the expired network is gone');
  assert.equal(await snapshot(now + 70_000), third);
  await store.domains.add('b.test', 0);
  assert.ok((await snapshot(now + 80_000)).isLocalDomain('b.test'), 'a new domain is seen by the next session');
  await store.rules.add(rule);
  assert.equal((await snapshot(now + 90_000)).rules.connect.length, 1, 'a new rule is seen by the next session');
});
