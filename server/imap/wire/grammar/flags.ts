// Message flags in requests (RFC 3501 §2.3.2, §9): shared by APPEND and STORE.
//
// Invariant: flags are case-insensitive, so system flags come out in their canonical spelling
// (`\seen` → `\Seen`) and the store never holds two spellings of one; keywords keep the client's case.
import type { Reader } from '../tokens.js';

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'] as const;
const CANONICAL = new Map<string, string>(SYSTEM_FLAGS.map((f) => [f.toUpperCase(), f]));

/** `flag` with system flags in canonical case. */
export function canonicalFlag(flag: string): string {
  return CANONICAL.get(flag.toUpperCase()) ?? flag;
}

// flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension;
// flag-keyword = atom; flag-extension = "\" atom (RFC 3501 §9)
export function readFlag(r: Reader): string {
  const system = r.tryByte(0x5c);
  const name = r.atom('flag');
  return system ? canonicalFlag(`\\${name}`) : name;
}

// flag-list = "(" [flag *(SP flag)] ")" (RFC 3501 §9)
export function readFlagList(r: Reader): string[] {
  return r.list('flag list', () => readFlag(r), true);
}
