// `mailroom queue ...` command function (server/host/queue-command.ts) over an admin service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queueCommand } from '../../../server/host/queue-command.js';
import { adminFixture } from '../../helpers/admin.js';

class Usage extends Error {}

function run(api: Parameters<typeof queueCommand>[0], args: string[], json = false) {
  const lines: string[] = [];
  return queueCommand(api, args, { json, print: (l) => lines.push(l), usageError: (m) => new Usage(m) }).then(() => lines);
}

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

test('queue list, show, retry, delete and flush', async (t) => {
  const { api, store } = await adminFixture(t);
  assert.deepEqual(await run(api, ['list']), ['Mail queue is empty']);
  const queued = async (to: string[]) =>
    (await store.deliver({ bytes: crlf(`From: a@example.com\nSubject: Hi ${to[0]}\n\nbody\n`), local: [], remote: { sender: 'a@example.com', recipients: to, messageId: null } })).result.queueId!;
  const one = await queued(['x@far.test', 'y@far.test']);
  const two = await queued(['z@far.test']);

  const list = await run(api, ['list']);
  assert.match(list[0], /^QUEUE ID\s+SIZE\s+ARRIVED\s+SENDER$/);
  assert.match(list[1], new RegExp(`^${one}\\s+\\d+B\\s+2026-01-01T00:00:00.000Z\\s+a@example.com$`));
  assert.match(list[2], /^ {4}x@far\.test {2}queued, 0 attempt\(s\) next /);
  assert.equal(list.at(-1), `-- ${list.at(-1)!.slice(3, list.at(-1)!.indexOf(' in'))} in 2 message(s), 3 recipient(s).`);
  assert.equal(JSON.parse((await run(api, ['list'], true))[0]).length, 3);

  const shown = await run(api, ['show', one]);
  assert.equal(shown[0], `queue id:   ${one}`);
  assert.match(shown.join('\n'), /\nFrom: a@example.com\nSubject: Hi x@far.test$/);

  assert.deepEqual(await run(api, ['retry', two]), ['1 recipient(s) scheduled for delivery now']);
  assert.deepEqual(await run(api, ['flush']), ['3 recipient(s) scheduled for delivery now']);
  assert.deepEqual(await run(api, ['delete', two]), [`deleted ${two} (1 recipient(s))`]);
  assert.deepEqual(await run(api, ['delete', 'ALL'], true), ['{"removed":2}']);
  assert.equal(await store.queue.count(), 0);

  await assert.rejects(run(api, ['show']), Usage);
  await assert.rejects(run(api, ['frobnicate']), Usage);
  await assert.rejects(run(api, ['delete', 'NOPE']), /Nothing is queued under NOPE/);
});
