import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startImap } from './harness.js';

test('connections beyond the listener cap get * BYE and are closed; a freed slot is reused', async (t) => {
  const f = await startImap(t);
  await f.admin.updateSettings({ limits: { maxImapConnections: 2 } });
  const a = await f.connect();
  await f.connect({ localAddress: '127.0.0.9' });
  const c = await f.connect({ localAddress: '127.0.0.10' });
  assert.deepEqual([c.greeting.status, c.greeting.text], ['BYE', 'Too many connections, try again later']);
  await c.closed();
  await a.logout();
  // the slot is free once the listener has seen the session end; retry a bounded number of times
  let d = await f.connect({ localAddress: '127.0.0.10' });
  for (let i = 0; i < 50 && d.greeting.status === 'BYE'; i++) {
    await sleep(20);
    d = await f.connect({ localAddress: '127.0.0.10' });
  }
  assert.equal(d.greeting.status, 'OK');
});

test('a literal that arrives slower than the minimum data rate ends the session with * BYE', async (t) => {
  const f = await startImap(t);
  await f.admin.updateSettings({ limits: { minDataBytesPerSecond: 100 } });
  const client = await f.login();
  // The rate is judged per 30 s window by an interval timer: mocked, so the test does not wait.
  t.mock.timers.enable({ apis: ['setInterval'] });
  client.send('A1 APPEND INBOX {1000}\r\n');
  const go = await client.read();
  assert.equal(go.tag, '+');
  client.send('Subject: s');
  const closed = client.closed();
  let done = false;
  void closed.then(() => (done = true));
  // Until the server has the 10 bytes and waits for more, there is no timer to fire: tick again.
  for (let i = 0; i < 200 && !done; i++) {
    t.mock.timers.tick(30_000);
    await sleep(10);
  }
  assert.match(await closed, /\* BYE Data too slow\r\n$/);
  assert.equal(await f.ctx.store.messages.count((await f.ctx.store.mailboxes.require(f.accountId, 'INBOX')).id), 0);
});
