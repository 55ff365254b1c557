// The mail-rules admin methods and the `mailroom user vacation|forward` and `mailroom sieve global`
// commands over them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp.js';
import { adminFixture } from '../../helpers/admin.js';
import { runCliOn } from '../../helpers/cli.js';
import { AdminError } from '../../../server/admin/contract.js';

async function fixture(t: Parameters<typeof adminFixture>[0]) {
  const f = await adminFixture(t);
  await f.api.addDomain({ name: 'local.example' });
  await f.api.addAccount({ address: 'alice@local.example', password: 'alice-password' });
  return f;
}

test('vacation and forwarding write one managed script; turning both off removes it; the user script is listed, untouched', async (t) => {
  const { api, store } = await fixture(t);
  const alice = (await store.accounts.find('alice', 'local.example'))!;
  await store.sieve.put(alice.id, 'mine', 'keep;', 10);
  await store.sieve.setActive(alice.id, 'mine');
  const set = await api.setVacation({ address: 'Alice@local.example', vacation: { subject: 'Away', text: 'Back soon.', start: '2026-12-01', end: '2026-12-31' } });
  assert.deepEqual(set.vacation, { subject: 'Away', text: 'Back soon.', html: null, start: '2026-12-01', end: '2026-12-31', days: 7, addresses: [] });
  assert.match(set.managedScript!, /vacation :days 7 :subject "Away"/);
  const both = await api.setForwarding({ address: 'alice@local.example', forward: { to: ['Me@Phone.Example'], keepCopy: false } });
  assert.deepEqual(both.forward, { to: ['Me@phone.example'], keepCopy: false });
  assert.ok(both.vacation !== null, 'forwarding keeps the out-of-office');
  assert.match(both.managedScript!, /^redirect "Me@phone\.example";$/m);
  assert.deepEqual(both.userScripts, [{ name: 'mine', active: true, size: 5 }]);
  assert.equal((await store.sieve.forDelivery(alice.id)).managed?.content, both.managedScript);
  await api.setVacation({ address: 'alice@local.example', vacation: null });
  const off = await api.setForwarding({ address: 'alice@local.example', forward: null });
  assert.deepEqual([off.vacation, off.forward, off.managedScript], [null, null, null]);
  assert.equal(await store.sieve.managed(alice.id), null);
  assert.equal(await store.sieve.get(alice.id, 'mine'), 'keep;');
});

test('bad input is refused with the field named', async (t) => {
  const { api } = await fixture(t);
  const refused = async (p: Promise<unknown>, field: string, message: RegExp) =>
    assert.rejects(p, (e: unknown) => e instanceof AdminError && e.code === 'invalid' && e.field === field && message.test(e.message));
  await refused(api.setVacation({ address: 'alice@local.example', vacation: { subject: 'x', text: 'y', start: '2026-12-10', end: '2026-12-01' } }), 'vacation.end', /before the start/);
  await refused(api.setVacation({ address: 'alice@local.example', vacation: { subject: 'x', text: 'y', start: '1 Dec' } }), 'vacation.start', /date like/);
  await refused(api.setVacation({ address: 'alice@local.example', vacation: { subject: '', text: 'y' } }), 'vacation.subject', /subject/);
  await refused(api.setForwarding({ address: 'alice@local.example', forward: { to: ['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example', 'e@x.example'] } }), 'forward.to', /at most 4/);
  await refused(api.setForwarding({ address: 'alice@local.example', forward: { to: ['not an address'] } }), 'to', /./);
  await refused(api.setForwarding({ address: 'alice@local.example', forward: { to: ['ALICE@local.example'] } }), 'to', /itself/);
  await assert.rejects(api.getMailRules({ address: 'nobody@local.example' }), (e: unknown) => e instanceof AdminError && e.code === 'not-found');
});

test('mailroom user vacation and forward set, show and turn off', async (t) => {
  const { api } = await fixture(t);
  const set = await runCliOn(api, ['user', 'vacation', 'alice@local.example', '--subject', 'Away', '--text', 'Back on Monday.', '--start', '2026-12-01', '--days', '3']);
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /out-of-office: "Away" from 2026-12-01, once per 3 day\(s\) per sender/);
  const fwd = await runCliOn(api, ['user', 'forward', 'alice@local.example', 'a@phone.example, b@else.example', '--keep']);
  assert.equal(fwd.code, 0, fwd.stderr);
  assert.match(fwd.stdout, /forwarding: to a@phone\.example, b@else\.example, keeping a copy/);
  assert.match(fwd.stdout, /^redirect :copy "b@else\.example";$/m);
  const json = await runCliOn(api, ['user', 'forward', 'alice@local.example', '--json']);
  assert.deepEqual(JSON.parse(json.stdout).forward, { to: ['a@phone.example', 'b@else.example'], keepCopy: true });
  assert.equal((await runCliOn(api, ['user', 'vacation', 'alice@local.example', '--off'])).code, 0);
  assert.equal((await runCliOn(api, ['user', 'forward', 'alice@local.example', '--off'])).code, 0);
  const shown = await runCliOn(api, ['user', 'vacation', 'alice@local.example']);
  assert.match(shown.stdout, /out-of-office: off\n {2}forwarding: off/);
  const usage = await runCliOn(api, ['user', 'vacation', 'alice@local.example', '--subject', 'x']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /both --subject and --text/);
});

test('global scripts: stored only when they compile, one per phase, listed and removed (admin and CLI)', async (t) => {
  const { api, store } = await fixture(t);
  await assert.rejects(api.setGlobalSieveScript({ name: 'broken', content: 'require "fileinto";\nfileinto "x"\n' }), (e: unknown) => e instanceof AdminError && e.field === 'content' && /line 3, column 1/.test(e.message));
  await assert.rejects(api.setGlobalSieveScript({ name: 'bad\nname', content: 'keep;' }), (e: unknown) => e instanceof AdminError && e.field === 'name');
  await api.setGlobalSieveScript({ name: 'spam', content: 'keep;', phase: 'before' });
  const dir = tempDir(t);
  writeFileSync(join(dir, 'tail.siv'), 'require ["fileinto", "copy"];\nfileinto :copy "Archive";\n');
  const set = await runCliOn(api, ['sieve', 'global', 'set', 'tail', join(dir, 'tail.siv'), '--phase', 'after']);
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /global script tail stored, run after every user's script/);
  const listed = await runCliOn(api, ['sieve', 'global', 'list', '--json']);
  assert.deepEqual(JSON.parse(listed.stdout).map((g: { name: string; phase: string }) => [g.name, g.phase]), [['spam', 'before'], ['tail', 'after']]);
  const alice = (await store.accounts.find('alice', 'local.example'))!;
  assert.deepEqual((await store.sieve.forDelivery(alice.id)).after?.name, 'tail');
  assert.match((await runCliOn(api, ['sieve', 'global', 'show', 'tail'])).stdout, /fileinto :copy "Archive";/);
  assert.equal((await runCliOn(api, ['sieve', 'global', 'remove', 'tail'])).code, 0);
  assert.deepEqual(await api.removeGlobalSieveScript({ name: 'tail' }), { removed: false });
});
