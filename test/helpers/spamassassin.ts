// Debian's SpamAssassin daemon (spamd, package spamd) and spamass-milter for the tests: both started
// here as `nobody` when we are root, on free 127.0.0.1 ports, with a temp home; no system service,
// no rule updates (the rules Debian ships, GTUBE among them). spamass-milter runs spamc against that
// spamd for each message.
import { canConnect, daemonDir, findBinary, freePort, removeDir, startDaemon, stopDaemon, waitUntilReady, type Daemon } from './daemon.js';

export const GTUBE_SA = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';

export interface Running {
  port: number;
  stop(): Promise<void>;
}


async function started(daemon: Daemon, port: number, what: string, dir: string | null): Promise<Running> {
  const stop = async () => {
    await stopDaemon(daemon);
    if (dir !== null) removeDir(dir);
  };
  try {
    await waitUntilReady(daemon, () => canConnect(port), what, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

export async function startSpamd(): Promise<Running> {
  const spamd = findBinary('/usr/sbin/spamd', 'spamd');
  if (!spamd) throw new Error('spamd is not installed: .ci/run installs it (apt-get install spamd spamass-milter)');
  const dir = daemonDir('mailroom-spamd-');
  const port = await freePort();
  const daemon = startDaemon(spamd, [
    `--listen=127.0.0.1:${port}`,
    '--allowed-ips=127.0.0.1',
    '--username=nobody',
    '--groupname=nogroup',
    '--nouser-config',
    `--helper-home-dir=${dir}`,
    `--pidfile=${dir}/spamd.pid`,
    '--syslog=stderr',
    '--max-children=2',
  ]);
  return started(daemon, port, 'spamd', dir);
}

/** spamass-milter on a free port, asking spamd on `spamdPort`; `args` are its own flags (-r 15 rejects). */
export async function startSpamassMilter(spamdPort: number, args: string[] = []): Promise<Running> {
  const milter = findBinary('/usr/sbin/spamass-milter', 'spamass-milter');
  if (!milter) throw new Error('spamass-milter is not installed: .ci/run installs it (apt-get install spamass-milter)');
  const port = await freePort();
  const daemon = startDaemon(milter, ['-p', `inet:${port}@127.0.0.1`, ...args, '--', '-d', '127.0.0.1', '-p', String(spamdPort)], { asNobody: true });
  return started(daemon, port, 'spamass-milter', null);
}
