// The sandboxed preload is CommonJS and may require only 'electron': run its compiled form with a
// stand-in electron module and check what it exposes to the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { AdminSchemas } from '../../server/admin/contract.js';
import { ADMIN_METHODS_ARGUMENT } from '../../main/ipc.js';

const SOURCE = fileURLToPath(new URL('../../../main/preload.cts', import.meta.url));

function loadPreload() {
  const { outputText } = ts.transpileModule(readFileSync(SOURCE, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, result: 'answer' };
      },
      on: (channel: string, fn: (...args: unknown[]) => void) => (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(fn),
      removeListener: (channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn),
    },
  };
  const fakeRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const module = { exports: {} };
  // What a sandboxed preload gets: require (electron only), module/exports, and a process whose argv
  // carries the webPreferences.additionalArguments main sets.
  const process = { argv: ['/opt/Mailroom/mailroom', '--type=renderer', ADMIN_METHODS_ARGUMENT, '--mailroom-admin-methods=evil'] };
  new Function('require', 'module', 'exports', 'process', outputText)(fakeRequire, module, module.exports, process);
  return { exposed, invoked, listeners, required };
}

test('the preload exposes exactly the admin methods and live events, and requires only electron', async () => {
  const { exposed, invoked, listeners, required } = loadPreload();
  assert.deepEqual(required, ['electron']);
  assert.deepEqual([...exposed.keys()], ['mailroom']);
  const bridge = exposed.get('mailroom') as { admin: Record<string, (input: unknown) => Promise<unknown>>; onEvent(fn: (e: unknown) => void): () => void };
  assert.deepEqual(Object.keys(bridge).sort(), ['admin', 'onEvent']);
  assert.deepEqual(Object.keys(bridge.admin).sort(), Object.keys(AdminSchemas).sort(), 'one function per contract method, no more');

  assert.deepEqual(await bridge.admin.addDomain({ name: 'example.com' }), { ok: true, result: 'answer' });
  assert.deepEqual(invoked, [['mailroom:admin', 'addDomain', { name: 'example.com' }]]);

  const seen: unknown[] = [];
  const off = bridge.onEvent((e) => seen.push(e));
  for (const fn of listeners.get('mailroom:event')!) fn({ sender: 'not exposed' }, { type: 'log', row: { id: 1 } });
  assert.deepEqual(seen, [{ type: 'log', row: { id: 1 } }], 'the page gets the payload, never the IPC event');
  off();
  assert.equal(listeners.get('mailroom:event')!.size, 0);
});
