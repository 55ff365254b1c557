import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runUtility, type ParentPort, type UtilityToMain } from '../../../server/host/utility.js';
import { tempDir } from '../../helpers/temp.js';
import { PORT_NAMES } from '../../../server/settings.js';

/** A stand-in for Electron's process.parentPort. */
function fakePort() {
  const received: UtilityToMain[] = [];
  const waiters: Array<{ match: (m: UtilityToMain) => boolean; resolve: (m: UtilityToMain) => void }> = [];
  let handler: (m: { data: unknown }) => void = () => {};
  const port: ParentPort = {
    on: (_event, listener) => (handler = listener),
    postMessage(message) {
      const m = message as UtilityToMain;
      received.push(m);
      for (const w of waiters.splice(0)) {
        if (w.match(m)) w.resolve(m);
        else waiters.push(w);
      }
    },
  };
  const next = <T extends UtilityToMain>(match: (m: UtilityToMain) => boolean) =>
    new Promise<T>((resolve) => {
      const found = received.find(match);
      if (found) resolve(found as T);
      else waiters.push({ match, resolve: resolve as (m: UtilityToMain) => void });
    });
  return { port, received, send: (data: unknown) => handler({ data }), next };
}

const ZERO_PORTS = PORT_NAMES.flatMap((p) => [`--${p}-port`, '0']);

test('the utility process runs the server: ready, admin calls, live events, clean stop', async (t) => {
  const dir = tempDir(t);
  const { port, send, next } = fakePort();
  const host = runUtility(port, ['--data-dir', dir, ...ZERO_PORTS]);
  const ready = await next<Extract<UtilityToMain, { type: 'ready' }>>((m) => m.type === 'ready' || m.type === 'failed');
  assert.equal(ready.type, 'ready', JSON.stringify(ready));
  assert.ok((ready.ports.admin ?? 0) > 0);
  assert.match(String(ready.setupUrl), /#\/setup\//);

  send({ type: 'rpc', id: 1, method: 'addDomain', input: { name: 'example.com' } });
  const added = await next<Extract<UtilityToMain, { type: 'rpc-result' }>>((m) => m.type === 'rpc-result' && m.id === 1);
  assert.equal(added.result.ok, true);
  send({ type: 'rpc', id: 2, method: 'addDomain', input: { name: 'nodot' } });
  const refused = await next<Extract<UtilityToMain, { type: 'rpc-result' }>>((m) => m.type === 'rpc-result' && m.id === 2);
  assert.deepEqual(refused.result.ok ? null : [refused.result.error.code, refused.result.error.field], ['invalid', 'name']);
  const row = await next<Extract<UtilityToMain, { type: 'event' }>>((m) => m.type === 'event' && m.event.type === 'log' && m.event.row.event === 'admin.domain.add');
  assert.equal(row.event.type === 'log' && row.event.row.fields.domain, 'example.com');

  send({ type: 'stop' });
  await next((m) => m.type === 'stopped');
  assert.equal(await host.done, 0);
});

test('the utility process reports a start failure and exits 1', async (t) => {
  const { port, next } = fakePort();
  const host = runUtility(port, ZERO_PORTS);
  const failed = await next<Extract<UtilityToMain, { type: 'failed' }>>((m) => m.type === 'failed');
  assert.match(failed.message, /--data-dir is required/);
  assert.equal(await host.done, 1);
  t.diagnostic('no data folder, no server');
});

test('the utility process refuses a malformed port flag with the reason, like mailroom serve', async (t) => {
  const { port, next } = fakePort();
  const host = runUtility(port, ['--data-dir', tempDir(t), ...ZERO_PORTS, '--imap-port', '99999']);
  const failed = await next<Extract<UtilityToMain, { type: 'failed' }>>((m) => m.type === 'failed');
  assert.deepEqual([failed.code, failed.message], ['USAGE', '"99999" is not a port: A port is 0 to 65535.']);
  assert.equal(await host.done, 1);
});
