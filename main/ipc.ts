// The typed IPC between the window and the server (STYLE "IPC / admin"): one channel for admin
// calls, `mailroom:admin` (method, input) → RpcResult, and one for live events pushed to the
// window, `mailroom:event`. Main validates before relaying: the sender must be our own page
// (app://mailroom/), the method one of the contract's, the input what its schema accepts.
// Written against a minimal `IpcMainLike` so tests call the registered handler with a stand-in.
import type { IpcMainInvokeEvent } from 'electron';
import { AdminSchemas } from '../server/admin/contract.js';
import { isAdminMethod } from '../server/admin/rpc.js';
import type { AdminResult } from './supervisor.js';

export const ADMIN_CHANNEL = 'mailroom:admin';
export const EVENT_CHANNEL = 'mailroom:event';
/** Where the renderer is served from (main/window.ts registers the scheme). */
export const APP_ORIGIN = 'app://mailroom';
export const APP_SCHEME = 'app';

/** Tells the sandboxed preload which admin methods to expose (it cannot import the contract). */
export const ADMIN_METHODS_ARGUMENT = `--mailroom-admin-methods=${Object.keys(AdminSchemas).join(',')}`;

export type AdminInvokeEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export interface IpcMainLike {
  handle(channel: string, listener: (event: AdminInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export function isTrustedSender(event: AdminInvokeEvent): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'mailroom';
  } catch {
    return false;
  }
}

export function registerAdminIpc(ipcMain: IpcMainLike, call: (method: string, input: unknown) => Promise<AdminResult>): () => void {
  ipcMain.handle(ADMIN_CHANNEL, async (event, method, input): Promise<AdminResult> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'Admin calls are accepted only from the Mailroom window.' } };
    if (typeof method !== 'string' || !isAdminMethod(method)) {
      return { ok: false, error: { code: 'not-found', message: `There is no admin method ${String(method)}.` } };
    }
    const checked = AdminSchemas[method].safeParse(input ?? {});
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return { ok: false, error: { code: 'invalid', message: issue.message, field: issue.path.join('.') || undefined } };
    }
    // The server parses again (and applies defaults); relay what the page sent.
    return call(method, input ?? {});
  });
  return () => ipcMain.removeHandler(ADMIN_CHANNEL);
}
