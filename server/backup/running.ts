// A running server marks its data folder with `server.pid` (removed at stop), so a restore can refuse
// to replace the database under it. A marker left by a crashed server names a process that is gone
// and does not count.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = 'server.pid';

export function markRunning(dataDir: string): void {
  writeFileSync(join(dataDir, MARKER), `${process.pid}\n`, { mode: 0o600 });
}

export function clearRunning(dataDir: string): void {
  rmSync(join(dataDir, MARKER), { force: true });
}

/** The pid of a live server on this data folder, or null. */
export function runningServer(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, MARKER), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
