// The admin service's one error mapper (DESIGN §9): every failure a person can act on leaves the
// service as an AdminError — a zod failure names its first bad field, address/CIDR syntax, alias
// destination and unusable-password errors are 'invalid', the store's ConflictError/NotFoundError are 'conflict'/'not-found'.
// Anything else is a fault and passes through unchanged, to be logged by the transport.
import { z } from 'zod';
import { AddressError } from '../../mime/addr-spec.js';
import { CidrError } from '../../policy/cidr.js';
import { ConflictError, NotFoundError } from '../../store/errors.js';
import { AliasDepthError, AliasLoopError } from '../../delivery/expand.js';
import { AliasDestinationError } from '../../delivery/alias-destinations.js';
import { PasswordPrepError } from '../../auth/saslprep.js';
import { AdminError, AdminSchemas, type AdminApi, type AdminMethod } from '../contract.js';

/** The AdminError for `error` on `field` when it is one a person can act on; anything else as it is. */
export function adminErrorOf(error: unknown, field?: string): unknown {
  if (error instanceof AdminError) return error;
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return new AdminError('invalid', issue.message, issue.path.join('.') || undefined);
  }
  if (error instanceof AddressError || error instanceof CidrError) return new AdminError('invalid', error.message, field);
  if (error instanceof PasswordPrepError || error instanceof AliasDestinationError || error instanceof AliasLoopError || error instanceof AliasDepthError) {
    return new AdminError('invalid', error.message, field);
  }
  if (error instanceof ConflictError) return new AdminError('conflict', error.message, field);
  if (error instanceof NotFoundError) return new AdminError('not-found', error.message, field);
  return error;
}

/** Runs `fn`, mapping what it throws with adminErrorOf on `field`. */
export function guard<T>(fn: () => T, field: string): T {
  try {
    return fn();
  } catch (error) {
    throw adminErrorOf(error, field);
  }
}

/** guard() for an asynchronous operation (a store call, a validation that reads the store). */
export async function guarded<T>(fn: () => Promise<T>, field: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw adminErrorOf(error, field);
  }
}

/** Wraps every method so whatever escapes it is mapped (without a field) by adminErrorOf. */
export function withAdminErrors(api: AdminApi): AdminApi {
  const wrapped = {} as Record<AdminMethod, (input: unknown) => Promise<unknown>>;
  for (const method of Object.keys(AdminSchemas) as AdminMethod[]) {
    const fn = (api[method] as (input: unknown) => Promise<unknown>).bind(api);
    wrapped[method] = async (input: unknown) => {
      try {
        return await fn(input ?? {});
      } catch (error) {
        throw adminErrorOf(error);
      }
    };
  }
  return wrapped as unknown as AdminApi;
}
