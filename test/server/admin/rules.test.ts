import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminError } from '../../../server/admin/contract.js';
import { adminFixture } from '../../helpers/admin.js';

test('rules through the admin service: add, order, test a connection, refusals', async (t) => {
  const { api } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  const block = await api.addRule({ rule: { stage: 'connect', action: 'reject', match: { ip: ['192.0.2.77/24'] }, replyCode: 554, replyText: 'Go away' } });
  assert.deepEqual(block.match, { ip: ['192.0.2.0/24'] }, 'ranges are stored canonical');
  const allow = await api.addRule({ rule: { stage: 'connect', action: 'allow', match: { ip: ['192.0.2.10/32'] } }, position: 0 });
  assert.deepEqual((await api.listRules({ stage: 'connect' })).map((r) => r.id), [allow.id, block.id]);

  const refused = await api.testRules({ ip: '192.0.2.7', from: 'a@remote.test', to: ['b@example.com'] });
  assert.equal(refused.refusal?.stage, 'connect');
  assert.equal(refused.refusal?.reply?.code, 554);
  assert.ok(refused.lines.length > 0);
  const allowed = await api.testRules({ ip: '192.0.2.10', from: 'a@remote.test', to: ['b@example.com'] });
  assert.deepEqual(allowed.accepted, ['b@example.com']);
  const relay = await api.testRules({ ip: '198.51.100.1', from: 'a@remote.test', to: ['x@elsewhere.test'] });
  assert.deepEqual(relay.accepted, [], 'unauthenticated relay is refused by the built-in tail');

  await api.moveRule({ id: allow.id, position: 1 });
  assert.deepEqual((await api.listRules({ stage: 'connect' })).map((r) => r.id), [block.id, allow.id]);
  await api.removeRule({ id: block.id });
  await assert.rejects(api.removeRule({ id: block.id }), (e: unknown) => e instanceof AdminError && e.code === 'not-found');
  await assert.rejects(
    api.addRule({ rule: { stage: 'connect', action: 'reject', match: { sender: ['x@y.test'] } } }),
    (e: unknown) => e instanceof AdminError && e.code === 'invalid' && /connect stage cannot match on sender/.test(e.message),
  );
  await assert.rejects(
    api.addRule({ rule: { stage: 'rcpt-to', action: 'reject', match: { ip: ['10.0.0.0/33'] } } }),
    (e: unknown) => e instanceof AdminError && e.code === 'invalid',
  );
});
