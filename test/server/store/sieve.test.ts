// The Sieve store (migration 0007): personal scripts as ManageSieve sees them, the managed part,
// global scripts with their phases, the delivery read and the vacation reply log.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../../server/store/index.js';
import { tempDir } from '../../helpers/temp.js';
import { storeTest, type Backend } from '../../helpers/store-backends.js';

async function fixture(t: TestContext, backend: Backend) {
  let now = Date.UTC(2026, 0, 1);
  const clock = { now: () => now };
  const store = await backend.open(t, clock);
  const domain = await store.domains.add('example.com', 0);
  const make = (localPart: string) => store.createAccount({ domainId: domain.id, localPart, displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  return { store, alice: await make('alice'), bob: await make('bob'), advance: (ms: number) => (now += ms), clock };
}

storeTest('scripts are per account, one active at a time, and the active one cannot be deleted', async (t, backend) => {
  const { store, alice, bob } = await fixture(t, backend);
  assert.equal(await store.sieve.put(alice.id, 'rules', 'keep;', 10), 'ok');
  assert.equal(await store.sieve.put(alice.id, 'other', 'discard;', 10), 'ok');
  assert.deepEqual(await store.sieve.list(bob.id), []);
  assert.equal(await store.sieve.setActive(alice.id, 'nope'), 'missing');
  assert.equal(await store.sieve.setActive(alice.id, 'rules'), 'ok');
  assert.equal(await store.sieve.setActive(alice.id, 'other'), 'ok');
  assert.deepEqual(await store.sieve.list(alice.id), [
    { name: 'other', active: true, size: 8 },
    { name: 'rules', active: false, size: 5 },
  ]);
  assert.equal(await store.sieve.put(alice.id, 'other', 'keep;', 10), 'ok');
  assert.deepEqual((await store.sieve.forDelivery(alice.id)).active, { name: 'other', content: 'keep;' }, 'replacing keeps it active');
  assert.equal(await store.sieve.remove(alice.id, 'other'), 'active');
  assert.equal(await store.sieve.remove(alice.id, 'rules'), 'ok');
  assert.equal(await store.sieve.remove(alice.id, 'rules'), 'missing');
  assert.equal(await store.sieve.setActive(alice.id, null), 'ok');
  assert.equal(await store.sieve.remove(alice.id, 'other'), 'ok');
  assert.deepEqual(await store.sieve.list(alice.id), []);
});

storeTest('the script count is checked when a script is created, not when it is replaced', async (t, backend) => {
  const { store, alice } = await fixture(t, backend);
  assert.equal(await store.sieve.put(alice.id, 'a', 'keep;', 2), 'ok');
  assert.equal(await store.sieve.put(alice.id, 'b', 'keep;', 2), 'ok');
  assert.equal(await store.sieve.put(alice.id, 'c', 'keep;', 2), 'too-many');
  assert.equal(await store.sieve.put(alice.id, 'b', 'discard;', 2), 'ok');
  assert.equal(await store.sieve.get(alice.id, 'b'), 'discard;');
  assert.equal(await store.sieve.get(alice.id, 'c'), null);
});

storeTest('rename keeps the active flag and refuses an existing target', async (t, backend) => {
  const { store, alice } = await fixture(t, backend);
  await store.sieve.put(alice.id, 'a', 'keep;', 10);
  await store.sieve.put(alice.id, 'b', 'keep;', 10);
  await store.sieve.setActive(alice.id, 'a');
  assert.equal(await store.sieve.rename(alice.id, 'a', 'b'), 'exists');
  assert.equal(await store.sieve.rename(alice.id, 'x', 'y'), 'missing');
  assert.equal(await store.sieve.rename(alice.id, 'a', 'c'), 'ok');
  assert.deepEqual(await store.sieve.list(alice.id), [
    { name: 'b', active: false, size: 5 },
    { name: 'c', active: true, size: 5 },
  ]);
});

storeTest('global scripts: one per phase, the delivery read gathers before, managed, active and after', async (t, backend) => {
  const { store, alice, bob } = await fixture(t, backend);
  await store.sieve.putGlobal('spam', 'keep;', 'before');
  await store.sieve.putGlobal('spam2', 'discard;', 'before');
  await store.sieve.putGlobal('tail', 'keep;', 'after');
  await store.sieve.putGlobal('lib', 'keep;', null);
  assert.deepEqual((await store.sieve.globals()).map((g) => [g.name, g.phase]), [['lib', null], ['spam', null], ['spam2', 'before'], ['tail', 'after']]);
  assert.equal(await store.sieve.getGlobal('lib'), 'keep;');
  await store.sieve.setManaged(alice.id, { settings: '{"vacation":null}', content: 'require "copy";' });
  await store.sieve.put(alice.id, 'mine', 'stop;', 10);
  await store.sieve.setActive(alice.id, 'mine');
  assert.deepEqual(await store.sieve.forDelivery(alice.id), {
    before: { name: 'spam2', content: 'discard;' },
    managed: { name: 'managed', content: 'require "copy";' },
    active: { name: 'mine', content: 'stop;' },
    after: { name: 'tail', content: 'keep;' },
  });
  assert.deepEqual(await store.sieve.forDelivery(bob.id), { before: { name: 'spam2', content: 'discard;' }, managed: null, active: null, after: { name: 'tail', content: 'keep;' } });
  assert.equal(await store.sieve.removeGlobal('tail'), true);
  assert.equal(await store.sieve.removeGlobal('tail'), false);
  await store.sieve.setManaged(alice.id, null);
  assert.equal(await store.sieve.managed(alice.id), null);
});

storeTest('the vacation log answers per sender (case-insensitively) and handle, and prunes old rows', async (t, backend) => {
  const { store, alice, bob, advance, clock } = await fixture(t, backend);
  const start = clock.now();
  await store.sieve.recordReply(alice.id, 'Carol@Example.org', 'h1', start);
  assert.equal(await store.sieve.repliedSince(alice.id, 'carol@example.org', 'h1', start - 1000), true);
  assert.equal(await store.sieve.repliedSince(alice.id, 'carol@example.org', 'h2', start - 1000), false);
  assert.equal(await store.sieve.repliedSince(bob.id, 'carol@example.org', 'h1', start - 1000), false);
  assert.equal(await store.sieve.repliedSince(alice.id, 'carol@example.org', 'h1', start + 1), false);
  advance(5000);
  await store.sieve.recordReply(alice.id, 'carol@example.org', 'h1', clock.now());
  assert.equal(await store.sieve.repliedSince(alice.id, 'carol@example.org', 'h1', start + 1), true, 'a new reply moves the time');
  await store.sieve.recordReply(alice.id, 'dave@example.org', 'h1', start);
  assert.equal(await store.sieve.pruneReplies(start + 1), 1);
});

storeTest('an account\'s scripts, managed part and log go with it', async (t, backend) => {
  const { store, alice } = await fixture(t, backend);
  await store.sieve.put(alice.id, 'a', 'keep;', 10);
  await store.sieve.setManaged(alice.id, { settings: '{}', content: 'keep;' });
  await store.sieve.recordReply(alice.id, 'x@example.org', 'h', 1);
  await store.deleteAccount(alice.id);
  assert.deepEqual(await store.sieve.list(alice.id), []);
  assert.equal(await store.sieve.managed(alice.id), null);
  assert.equal(await store.sieve.repliedSince(alice.id, 'x@example.org', 'h', 0), false);
});

test('the Sieve generation (0015) moves with every script change, from this store or another on the same file, and not with the vacation log', async (t) => {
  const dir = tempDir(t);
  const clock = { now: () => Date.UTC(2026, 0, 1) };
  const store = openStore(join(dir, 's.sqlite'), clock);
  const other = openStore(join(dir, 's.sqlite'), clock);
  t.after(async () => {
    await other.close();
    await store.close();
  });
  const domain = await store.domains.add('example.com', 0);
  const alice = await store.createAccount({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  const moves = async (what: string, change: () => Promise<unknown>) => {
    const before = await store.sieve.generation();
    await change();
    assert.ok((await store.sieve.generation()) > before, `${what} moves the generation`);
  };
  await moves('put', () => store.sieve.put(alice.id, 'a', 'keep;', 10));
  await moves('setActive', () => store.sieve.setActive(alice.id, 'a'));
  await moves('rename', () => store.sieve.rename(alice.id, 'a', 'b'));
  await moves('managed', () => store.sieve.setManaged(alice.id, { settings: '{}', content: 'keep;' }));
  await moves('global', () => store.sieve.putGlobal('g', 'keep;', 'after'));
  await moves('another process', () => other.sieve.putGlobal('g', 'discard;', 'after'));
  await moves('removeGlobal', () => store.sieve.removeGlobal('g'));
  const still = await store.sieve.generation();
  await store.sieve.recordReply(alice.id, 'x@example.org', 'h', 1);
  assert.equal(await store.sieve.generation(), still, 'the vacation log is no script');
  await moves('account deleted', () => store.deleteAccount(alice.id));
});
