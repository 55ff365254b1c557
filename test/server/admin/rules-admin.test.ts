import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createRuleAdmin } from '../../../server/admin/services/rules.js';
import { NotFoundError } from '../../../server/store/errors.js';
import { adminFixture } from '../../helpers/admin.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };

test('rules: add (canonical ranges), order, move, update, remove, and test a hypothetical connection', async (t) => {
  const { api, store, settingsCache, clock } = await adminFixture(t);
  await api.addDomain({ name: 'local.example' });
  const rules = createRuleAdmin({ store, clock, log: silent, settings: () => settingsCache.current() });
  const block = await rules.addRule({ rule: { stage: 'connect', match: { ip: ['192.0.2.77/24'] }, action: 'reject', description: 'bad net' } });
  assert.deepEqual(block.match, { ip: ['192.0.2.0/24'] });
  const first = await rules.addRule({ rule: { stage: 'connect', match: { ip: ['192.0.2.1'] }, action: 'allow' }, position: 0 });
  assert.deepEqual((await rules.listRules({ stage: 'connect' })).map((r) => [r.id, r.position]), [[first.id, 0], [block.id, 1]]);

  const friend = await rules.testRules({ ip: '192.0.2.1', to: ['a@local.example'] });
  assert.equal(friend.refusal, null);
  const stranger = await rules.testRules({ ip: '192.0.2.9', to: ['a@local.example'] });
  assert.equal(stranger.refusal?.stage, 'connect');
  assert.equal(stranger.refusal?.verdict.rule?.id, block.id);

  await rules.moveRule({ id: block.id, position: 0 });
  assert.equal((await rules.testRules({ ip: '192.0.2.1' })).refusal?.verdict.rule?.id, block.id, 'now the block comes first');
  await rules.updateRule({ id: block.id, rule: { stage: 'connect', match: { ip: ['198.51.100.0/24'] }, action: 'reject' } });
  assert.equal((await rules.testRules({ ip: '192.0.2.9' })).refusal, null);
  await rules.removeRule({ id: block.id });
  assert.deepEqual((await rules.listRules()).map((r) => r.id), [first.id]);
});

test('rules: bad input is a validation error naming the field; unknown ids are not found', async (t) => {
  const { store, settingsCache, clock } = await adminFixture(t);
  const rules = createRuleAdmin({ store, clock, log: silent, settings: () => settingsCache.current() });
  const fieldOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (error) {
      assert.ok(error instanceof z.ZodError, String(error));
      return error.issues[0].path.join('.');
    }
    assert.fail('expected a validation error');
  };
  assert.equal(await fieldOf(rules.addRule({ rule: { stage: 'connect', match: { ip: ['10.0.0.0/33'] }, action: 'reject' } })), 'rule.match.ip.0');
  assert.equal(await fieldOf(rules.addRule({ rule: { stage: 'connect', match: { sender: ['x.example'] }, action: 'reject' } })), 'rule.match.sender');
  assert.equal(await fieldOf(rules.testRules({ ip: 'nonsense' })), 'ip');
  await assert.rejects(rules.removeRule({ id: 42 }), NotFoundError);
  await assert.rejects(rules.moveRule({ id: 42, position: 0 }), NotFoundError);
});
