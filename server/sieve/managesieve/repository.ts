// What ManageSieve needs from storage: a user's scripts by name, one of them active. Delivery and the
// store implement it; the protocol server never sees how scripts are kept. Also the script-name
// rules of RFC 5804 §1.6 and the per-account quota.

/** RFC 5804 §1.6 allows any name; this bounds it (Pigeonhole's default is 128). */
export const MAX_SCRIPT_NAME_LENGTH = 128;
/** Scripts one account may keep (Pigeonhole sieve_quota_max_scripts). */
export const MAX_SCRIPTS_PER_ACCOUNT = 32;

export interface SieveScriptSummary {
  name: string;
  active: boolean;
}

export interface SieveScriptRepository {
  list(accountId: number): Promise<SieveScriptSummary[]>;
  /** The script's text, or null when there is none of that name. */
  get(accountId: number, name: string): Promise<string | null>;
  /** Creates the script or replaces its text (keeping it active if it was); 'too-many' when creating
   * it would pass MAX_SCRIPTS_PER_ACCOUNT (checked where it is stored, so two uploads cannot race). */
  put(accountId: number, name: string, content: string): Promise<'ok' | 'too-many'>;
  remove(accountId: number, name: string): Promise<'ok' | 'missing' | 'active'>;
  rename(accountId: number, from: string, to: string): Promise<'ok' | 'missing' | 'exists'>;
  /** null deactivates every script. */
  setActive(accountId: number, name: string | null): Promise<'ok' | 'missing'>;
}

/** Why a script name is refused (RFC 5804 §1.6: no controls, no line/paragraph separators), or null. */
export function scriptNameProblem(name: string): string | null {
  if (name === '') return 'a script name cannot be empty';
  if ([...name].length > MAX_SCRIPT_NAME_LENGTH) return `script names are at most ${MAX_SCRIPT_NAME_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'a script name cannot contain control characters';
  return null;
}
