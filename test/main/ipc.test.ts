import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_CHANNEL, registerAdminIpc, type AdminInvokeEvent, type IpcMainLike } from '../../main/ipc.js';
import { AdminSchemas } from '../../server/admin/contract.js';

/** A stand-in ipcMain that keeps the registered handlers so the test can invoke them. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: AdminInvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

const from = (url: string | null) => ({ senderFrame: url === null ? null : { url } }) as unknown as AdminInvokeEvent;

test('the admin channel relays valid calls from the app window to the server', async () => {
  const { ipcMain, handlers } = fakeIpcMain();
  const calls: Array<[string, unknown]> = [];
  const off = registerAdminIpc(ipcMain, async (method, input) => {
    calls.push([method, input]);
    return { ok: true, result: [] };
  });
  const handler = handlers.get(ADMIN_CHANNEL)!;
  assert.deepEqual(await handler(from('app://mailroom/index.html#/domains'), 'listDomains', {}), { ok: true, result: [] });
  assert.deepEqual(await handler(from('app://mailroom/index.html'), 'addDomain', { name: 'example.com' }), { ok: true, result: [] });
  assert.deepEqual(calls, [
    ['listDomains', {}],
    ['addDomain', { name: 'example.com' }],
  ]);
  off();
  assert.equal(handlers.size, 0);
});

test('the admin channel refuses other senders, unknown methods and invalid input without calling the server', async () => {
  const { ipcMain, handlers } = fakeIpcMain();
  let called = 0;
  registerAdminIpc(ipcMain, async () => {
    called++;
    return { ok: true, result: null };
  });
  const handler = handlers.get(ADMIN_CHANNEL)!;
  for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', null]) {
    const answer = (await handler(from(url), 'listDomains', {})) as { ok: boolean; error: { code: string } };
    assert.equal(answer.error.code, 'forbidden', String(url));
  }
  const unknown = (await handler(from('app://mailroom/'), 'dropDatabase', {})) as { error: { code: string } };
  assert.equal(unknown.error.code, 'not-found');
  const proto = (await handler(from('app://mailroom/'), 'constructor', {})) as { error: { code: string } };
  assert.equal(proto.error.code, 'not-found');
  const invalid = (await handler(from('app://mailroom/'), 'addAccount', { address: 'a@example.com', password: 'short' })) as { error: { code: string; field: string; message: string } };
  assert.deepEqual([invalid.error.code, invalid.error.field], ['invalid', 'password']);
  assert.match(invalid.error.message, /at least 8 characters/);
  assert.equal(called, 0);
  assert.ok(Object.keys(AdminSchemas).length > 20);
});
