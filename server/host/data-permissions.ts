// File modes of the data folder (issue 11 §5): it holds password hashes, SCRAM secrets, DKIM private
// keys, the relay password and all mail, so the folder is 0700 and the database with its WAL, SHM
// and backups (every regular file named after the database) 0600, whatever the umask. Wider modes
// found at start are narrowed and reported, so the caller can log each fix. No-op on Windows, whose
// permissions are ACLs inherited from the user's profile folder.
import { chmodSync, mkdirSync, openSync, closeSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

export interface ModeFix {
  path: string;
  /** Octal, as `ls -l` users read it: `0644`. */
  from: string;
  to: string;
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Narrows `path` to `mode` if it grants more; returns the fix made, if any. */
function narrow(path: string, mode: number): ModeFix | undefined {
  const current = statSync(path).mode & 0o777;
  if ((current & ~mode) === 0) return undefined;
  chmodSync(path, mode);
  return { path, from: octal(current), to: octal(mode) };
}

/**
 * Creates the database's folder (0700) and, if absent, the database file itself (0600, so SQLite,
 * which gives its WAL and SHM the database's mode, never makes them wider); then narrows the folder
 * and every file named after the database. Safe to call again after opening (migration backups).
 */
export function secureDataFolder(databaseFile: string, platform: NodeJS.Platform = process.platform): ModeFix[] {
  if (platform === 'win32') return [];
  const dir = dirname(databaseFile);
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  try {
    closeSync(openSync(databaseFile, 'wx', DATA_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const fixes = [narrow(dir, DATA_DIR_MODE)];
  const name = basename(databaseFile);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.startsWith(name)) fixes.push(narrow(join(dir, entry.name), DATA_FILE_MODE));
  }
  return fixes.filter((fix): fix is ModeFix => fix !== undefined);
}
