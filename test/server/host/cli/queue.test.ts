// `mailroom queue ...` (server/host/cli/queue.ts) run in-process over an admin service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminFixture } from '../../../helpers/admin.js';
import { runCliOn } from '../../../helpers/cli.js';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

test('queue list, show, hold, release, retry, delete and flush', async (t) => {
  const { api, store } = await adminFixture(t);
  const run = async (...args: string[]) => (await runCliOn(api, ['queue', ...args])).lines;
  assert.deepEqual(await run('list'), ['Mail queue is empty']);
  const queued = async (to: string[]) =>
    (await store.deliver({ bytes: crlf(`From: a@example.com\nSubject: Hi ${to[0]}\n\nbody\n`), local: [], remote: { sender: 'a@example.com', recipients: to, messageId: null } })).result.queueId!;
  const one = await queued(['x@far.test', 'y@far.test']);
  const two = await queued(['z@far.test']);

  const list = await run('list');
  assert.match(list[0], /^QUEUE ID\s+SIZE\s+ARRIVED\s+SENDER$/);
  assert.match(list[1], new RegExp(`^${one}\\s+\\d+B\\s+2026-01-01T00:00:00.000Z\\s+a@example.com$`));
  assert.match(list[2], /^ {4}x@far\.test {2}queued, 0 attempt\(s\) next /);
  assert.equal(list.at(-1), `-- ${list.at(-1)!.slice(3, list.at(-1)!.indexOf(' in'))} in 2 message(s), 3 recipient(s).`);
  assert.equal(JSON.parse((await run('list', '--json'))[0]).length, 3);

  const shown = await run('show', one);
  assert.equal(shown[0], `queue id:   ${one}`);
  assert.match(shown.join('\n'), /\nFrom: a@example.com\nSubject: Hi x@far.test$/);

  assert.deepEqual(await run('hold', one), [`held ${one} (2 recipient(s))`]);
  assert.match((await run('list', '--state', 'held')).join('\n'), /x@far\.test\s+held[\s\S]*rows 1-2 of 2/);
  assert.deepEqual(await run('release', one), [`released ${one} (2 recipient(s))`]);
  assert.deepEqual(await run('retry', two), ['1 recipient(s) scheduled for delivery now']);
  assert.deepEqual(await run('flush'), ['3 recipient(s) scheduled for delivery now']);
  assert.deepEqual(await run('delete', two), [`deleted ${two} (1 recipient(s))`]);
  assert.deepEqual(await run('delete', 'ALL', '--json'), ['{"removed":2}']);
  assert.equal(await store.queue.count(), 0);

  assert.equal((await runCliOn(api, ['queue', 'show'])).code, 2, 'a missing queue id is a usage error');
  assert.equal((await runCliOn(api, ['queue', 'frobnicate'])).code, 2);
  const missing = await runCliOn(api, ['queue', 'delete', 'NOPE']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Nothing is queued under NOPE/);
});
