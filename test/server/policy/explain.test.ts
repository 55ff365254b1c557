import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain } from '../../../server/policy/explain.js';
import { snapshotPolicy } from '../../../server/policy/index.js';
import { RuleInputSchema } from '../../../server/policy/rule-schema.js';
import { adminFixture } from '../../helpers/admin.js';

test('explain says which rule decides at which stage, and why', async (t) => {
  const { api, store, clock } = await adminFixture(t);
  await api.addDomain({ name: 'local.example' });
  await api.addNetwork({ cidr: '192.168.1.0/24', description: 'office', relay: true });
  const blockSpam = await store.rules.add(RuleInputSchema.parse({ stage: 'mail-from', match: { sender: ['spam.example'] }, action: 'reject', description: 'no spam' }));
  const policy = await snapshotPolicy(store, clock.now());

  const spam = explain(policy, { ip: '192.0.2.7', from: 'a@spam.example', to: ['b@local.example'] });
  assert.equal(spam.refusal?.stage, 'mail-from');
  assert.equal(spam.refusal?.verdict.rule?.id, blockSpam.id);
  assert.deepEqual(spam.accepted, []);
  assert.ok(spam.lines.some((l) => /^mail-from: sender <a@spam\.example> matches spam\.example → reject \(rule #\d+ "no spam"\): 554 5\.7\.1 /.test(l)), spam.lines.join('\n'));
  assert.match(spam.lines.at(-1)!, /Result: refused at mail-from by rule #\d+/);

  const relay = explain(policy, { ip: '192.0.2.7', from: 'a@x.example', to: ['b@local.example', 'c@remote.example'] });
  assert.deepEqual(relay.accepted, ['b@local.example']);
  const refused = relay.stages.find((s) => s.recipient === 'c@remote.example')!;
  assert.equal(refused.verdict.rule?.id, null);
  assert.equal(refused.reply?.code, 554);
  assert.ok(relay.lines.some((l) => l.includes('built-in rule, cannot be removed')));

  const office = explain(policy, { ip: '192.168.1.20', from: 'scanner@local.example', to: ['c@remote.example'] });
  assert.equal(office.network?.cidr, '192.168.1.0/24');
  assert.equal(office.mayRelay, true);
  assert.deepEqual(office.accepted, ['c@remote.example']);
  assert.match(office.lines[0], /trusted network 192\.168\.1\.0\/24 \(office\); relay without password: yes/);

  const authed = explain(policy, { ip: '192.0.2.7', from: 'a@x.example', to: ['c@Remote.Example'], authenticated: true });
  assert.deepEqual(authed.accepted, ['c@remote.example']);
});
