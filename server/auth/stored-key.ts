// Server-wide secret keys kept in the store's settings rows (not Settings fields, so the admin API
// can neither show nor change them), created on first use. Kept in the store so they survive a
// restart and travel with a backup: the SCRAM salt made up for an unknown user must not change
// across restarts while a real user's stays, or the difference tells which users exist.
import { randomBytes } from 'node:crypto';

export const UNKNOWN_USER_KEY = 'auth.unknownUserKey';
const KEY_BYTES = 32;

/** `settings`: the settings cache (synchronous reads, written through to the store). */
export async function storedKey(settings: { get(key: string): unknown; set(key: string, value: unknown): Promise<void> }, name: string): Promise<Buffer> {
  const stored = settings.get(name);
  if (typeof stored === 'string') {
    const key = Buffer.from(stored, 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  const key = randomBytes(KEY_BYTES);
  await settings.set(name, key.toString('base64'));
  return key;
}
