// ClamAV for the tests (issue 16): Debian's clamd and clamav-milter, started here as `nobody` when we
// are root, clamd on a Unix socket in a temp folder and the milter on a free 127.0.0.1 port. There is
// no freshclam here: the only signature database is one the helper writes, a body signature for the
// EICAR test string (an .ndb line: name, any file type, any offset, the string in hex).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, daemonDir, findBinary, freePort, removeDir, startDaemon, stopDaemon, waitUntilReady, type Daemon } from './daemon.js';
import { createConnection } from 'node:net';

export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
export const EICAR_SIGNATURE = 'Mailroom.Test.EICAR';

export interface ClamAv {
  /** The milter's port on 127.0.0.1. */
  port: number;
  stop(): Promise<void>;
}

/** Why ClamAV tests cannot run here, or undefined when they can. */
export function clamavMissing(): string | undefined {
  if (!findBinary('/usr/sbin/clamd')) return 'clamd is not installed (apt-get install clamav-daemon clamav-milter)';
  if (!findBinary('/usr/sbin/clamav-milter')) return 'clamav-milter is not installed (apt-get install clamav-milter)';
  return undefined;
}

const socketAnswers = (path: string) =>
  new Promise<boolean>((resolve) => {
    if (!existsSync(path)) return resolve(false);
    const s = createConnection(path, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

/** clamd with the EICAR signature, and clamav-milter in front of it doing `onInfected` (Reject, Quarantine, ...). */
export async function startClamAv(onInfected: 'Reject' | 'Quarantine' | 'Accept'): Promise<ClamAv> {
  const dir = daemonDir('mailroom-clamav-');
  const socket = join(dir, 'clamd.sock');
  const conf = (name: string, lines: string[]) => {
    writeFileSync(join(dir, name), lines.join('\n') + '\n', { mode: 0o644 });
    return join(dir, name);
  };
  writeFileSync(join(dir, 'mailroom.ndb'), `${EICAR_SIGNATURE}:0:*:${Buffer.from(EICAR).toString('hex')}\n`, { mode: 0o644 });
  const clamdConf = conf('clamd.conf', [`LocalSocket ${socket}`, `DatabaseDirectory ${dir}`, `TemporaryDirectory ${dir}`, 'Foreground yes', `LogFile ${join(dir, 'clamd.log')}`]);
  const port = await freePort();
  const milterConf = conf('clamav-milter.conf', [
    `MilterSocket inet:${port}@127.0.0.1`,
    `ClamdSocket unix:${socket}`,
    'Foreground yes',
    `LogFile ${join(dir, 'milter.log')}`,
    'LogInfected Full',
    `OnInfected ${onInfected}`,
    'OnClean Accept',
    'OnFail Defer',
    'AddHeader Replace',
  ]);
  const daemons: Daemon[] = [];
  const stop = async () => {
    for (const d of daemons.reverse()) await stopDaemon(d);
    removeDir(dir);
  };
  try {
    const clamd = startDaemon('/usr/sbin/clamd', ['-c', clamdConf], { asNobody: true });
    daemons.push(clamd);
    await waitUntilReady(clamd, () => socketAnswers(socket), 'clamd', 120_000);
    const milter = startDaemon('/usr/sbin/clamav-milter', ['-c', milterConf], { asNobody: true });
    daemons.push(milter);
    await waitUntilReady(milter, () => canConnect(port), 'clamav-milter', 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}
