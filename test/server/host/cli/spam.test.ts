// `mailroom milter|allow|block|quarantine` and `config set spam.*` (issue 16), in-process over an admin
// service; `milter test` talks to a scripted milter on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminFixture } from '../../../helpers/admin.js';
import { runCliOn } from '../../../helpers/cli.js';
import { startFakeMilter } from '../../milter/fake-milter.js';

test('milter add, list, test and remove', async (t) => {
  const { api } = await adminFixture(t);
  const cli = (...args: string[]) => runCliOn(api, ['milter', ...args]);
  const milter = await startFakeMilter();
  t.after(() => milter.close());

  const added = await cli('add', 'rspamd', milter.endpoint, '--listeners', 'mx', '--default-action', 'accept', '--timeout', '5s');
  assert.equal(added.code, 0, added.stderr);
  assert.deepEqual(added.lines, [`added milter rspamd (${milter.endpoint}, mx, default action accept)`]);
  assert.equal((await cli('add', 'clamav', 'unix:/run/clamav/clamav-milter.ctl')).code, 0);
  assert.deepEqual((await api.listMilters()).map((m) => [m.name, m.listeners, m.timeoutMs, m.defaultAction]), [
    ['rspamd', ['mx'], 5000, 'accept'],
    ['clamav', ['mx', 'submission'], 30000, 'tempfail'],
  ]);
  const duplicate = await cli('add', 'RSPAMD', 'inet:127.0.0.1:1');
  assert.deepEqual([duplicate.code, duplicate.stderr], [1, 'mailroom: There is already a milter named RSPAMD.']);
  const bad = await cli('add', 'x', 'tcp:1.2.3.4:5');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /must start with inet: or unix:/);
  assert.match((await cli('list')).stdout, /rspamd.*mx.*accept/);

  const ok = await cli('test', 'rspamd');
  assert.deepEqual([ok.code, ok.lines], [0, [`Connected to ${milter.endpoint} and negotiated the milter protocol.`]]);
  assert.equal(milter.connections.length, 1);
  const down = await cli('test', 'clamav');
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^mailroom: Could not talk to the milter at unix:\/run\/clamav\/clamav-milter\.ctl: /);

  assert.equal((await cli('remove', 'clamav')).code, 0);
  assert.deepEqual((await api.listMilters()).map((m) => m.name), ['rspamd']);
  assert.equal((await cli('remove', 'clamav')).code, 1);
});

test('allow and block lists: global, per domain and per user; patterns are canonical', async (t) => {
  const { api } = await adminFixture(t);
  await api.addDomain({ name: 'local.example' });
  await api.addAccount({ address: 'bob@local.example', password: 'bob-password' });
  const cli = (...args: string[]) => runCliOn(api, args);

  assert.deepEqual((await cli('allow', 'add', 'Friend@Example.ORG', '--user', 'bob@local.example')).lines, ['allow: added friend@example.org for bob@local.example']);
  assert.deepEqual((await cli('block', 'add', '*@Spam.Example')).lines, ['block: added @spam.example (global)']);
  assert.deepEqual((await cli('block', 'add', '192.0.2.77/24', '--domain', 'local.example')).lines, ['block: added 192.0.2.0/24 for local.example']);
  assert.equal((await cli('block', 'add', '@spam.example')).code, 0, 'adding an entry twice keeps one');
  const bad = await cli('block', 'add', 'not a pattern@');
  assert.equal(bad.code, 1);
  assert.equal((await cli('allow', 'add', 'x@example.org', '--user', 'nobody@local.example')).stderr, 'mailroom: There is no account nobody@local.example.');

  assert.deepEqual((await api.listSenderLists({ all: true })).map((e) => [e.list, e.pattern, e.kind, e.user, e.domain]), [
    ['allow', 'friend@example.org', 'address', 'bob@local.example', null],
    ['block', '@spam.example', 'domain', null, null],
    ['block', '192.0.2.0/24', 'network', null, 'local.example'],
  ]);
  assert.match((await cli('allow', 'list', '--user', 'bob@local.example')).stdout, /friend@example\.org/);
  assert.doesNotMatch((await cli('block', 'list')).stdout, /192\.0\.2/, 'the global list only');
  assert.equal((await cli('allow', 'remove', 'friend@example.org', '--user', 'bob@local.example')).code, 0);
  assert.equal((await cli('allow', 'remove', 'friend@example.org', '--user', 'bob@local.example')).code, 1);
  assert.equal((await api.listSenderLists({ list: 'allow', user: 'bob@local.example' })).length, 0);
});

test('config set spam.junkThreshold and spam.blockAction; quarantine list and delete', async (t) => {
  const { api, store } = await adminFixture(t);
  assert.deepEqual((await runCliOn(api, ['config', 'set', 'spam.junkThreshold', '7.5'])).lines, ['spam.junkThreshold = 7.5']);
  assert.equal((await api.getSettings()).spam.junkThreshold, 7.5);
  assert.equal((await runCliOn(api, ['config', 'set', 'spam.blockAction', 'drop'])).code, 1);
  assert.equal((await runCliOn(api, ['config', 'set', 'greylisting.enabled', 'true'])).code, 0);

  const held = await store.quarantineMessage({
    bytes: Buffer.from('Subject: =?utf-8?q?caf=C3=A9?=\r\n\r\nbody\r\n'),
    sender: 'x@example.org',
    recipients: ['bob@local.example'],
    info: {},
    milter: 'clamav',
    reason: 'Eicar-Signature',
    messageId: null,
  });
  const [view] = await api.listQuarantine();
  assert.deepEqual([view.quarantineId, view.subject, view.reason], [held.quarantineId, 'café', 'Eicar-Signature']);
  assert.match((await runCliOn(api, ['quarantine', 'list'])).stdout, /Eicar-Signature/);
  assert.equal((await runCliOn(api, ['quarantine', 'delete', held.quarantineId])).code, 0);
  assert.deepEqual(await api.listQuarantine(), []);
  assert.equal((await runCliOn(api, ['quarantine', 'release', held.quarantineId])).code, 1);
});
