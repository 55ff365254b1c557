// The preload (DESIGN §9): runs sandboxed with context isolation, so it is CommonJS (a .cts file
// compiles to preload.cjs) and may require only 'electron'. It exposes `window.mailroom`: exactly
// one function per admin method — each sends (method, input) on the admin channel and returns the
// RpcResult — and `onEvent` for live events. No ipcRenderer, no Node, nothing else reaches the page.
// CommonJS syntax, as verbatimModuleSyntax requires in a .cts file.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';

const { contextBridge, ipcRenderer } = electron;

const ADMIN_CHANNEL = 'mailroom:admin';
const EVENT_CHANNEL = 'mailroom:event';

// Main passes the contract's method names (main/window.ts, webPreferences.additionalArguments),
// so this list cannot drift from the contract; a sandboxed preload cannot import it.
const METHODS_ARG = '--mailroom-admin-methods=';
const ADMIN_METHODS = (process.argv.find((a) => a.startsWith(METHODS_ARG)) ?? METHODS_ARG)
  .slice(METHODS_ARG.length)
  .split(',')
  .filter((name) => /^[a-zA-Z]+$/.test(name));

const admin: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const method of ADMIN_METHODS) admin[method] = (input: unknown) => ipcRenderer.invoke(ADMIN_CHANNEL, method, input);

contextBridge.exposeInMainWorld('mailroom', {
  admin,
  onEvent(handler: (event: unknown) => void): () => void {
    const listener = (_event: IpcRendererEvent, payload: unknown) => handler(payload);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
});
