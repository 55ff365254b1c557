// Transport-neutral admin dispatch: a method name and a JSON input in, a JSON result or a serialized
// AdminError out. HTTP, the Electron utility process and tests all go through `dispatch`, so errors
// look the same on every transport. Anything that is not an AdminError is a bug: logged with its
// stack, answered generically.
import type { Logger } from '../log.js';
import { AdminError, AdminSchemas, type AdminApi, type AdminErrorCode, type AdminMethod } from './contract.js';

export type RpcResult = { ok: true; result: unknown } | { ok: false; error: { code: AdminErrorCode | 'internal'; message: string; field?: string } };

export function isAdminMethod(name: string): name is AdminMethod {
  return Object.hasOwn(AdminSchemas, name);
}

export async function dispatch(api: AdminApi, method: string, input: unknown, log: Logger): Promise<RpcResult> {
  if (!isAdminMethod(method)) {
    return { ok: false, error: { code: 'not-found', message: `There is no admin method ${method}.` } };
  }
  try {
    const result = await (api[method] as (i: unknown) => Promise<unknown>)(input ?? {});
    return { ok: true, result: result ?? null };
  } catch (error) {
    if (error instanceof AdminError) return { ok: false, error: { code: error.code, message: error.message, field: error.field } };
    log.error('admin.internal-error', { method, error });
    return { ok: false, error: { code: 'internal', message: 'Something went wrong on the server; the log has the details.' } };
  }
}
