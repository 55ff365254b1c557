// Debian's rspamd for the tests (no redis, no system service): started with its own configuration in
// a temp folder, its proxy worker in milter mode (scanning in-process) on a free 127.0.0.1 port and a
// Unix socket, and its controller (learnspam/learnham, /stat) on another free port with a password.
// Bayes keeps its statistics and its learn cache in sqlite files in that folder, so learning works
// without redis and no run sees another's learns (the default cache is /var/lib/rspamd's).
// `enable_test_patterns` makes the GTUBE variants give rspamd's reject, add-header and
// rewrite-subject actions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, daemonDir, freePort, removeDir, startDaemon, stopDaemon, waitUntilReady } from './daemon.js';

/** rspamd's test patterns: the GTUBE variants for each action. */
export const GTUBE = {
  reject: 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X',
  addHeader: 'YJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X',
  rewriteSubject: 'ZJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X',
};
/** rspamd compiles its rules on a cold start; on a busy shared machine that took about a minute. */
export const RSPAMD_START_LIMIT_MS = 240_000;

export interface Rspamd {
  milterPort: number;
  socketPath: string;
  /** The controller's base URL (http://127.0.0.1:PORT/). */
  controller: string;
  password: string;
  /** The controller's /stat answer. */
  stat(): Promise<{ learned: number; statfiles: Array<{ symbol: string; revision: number }> }>;
  stop(): Promise<void>;
}


export async function startRspamd(): Promise<Rspamd> {
  const dir = daemonDir('mailroom-rspamd-');
  const [milterPort, controllerPort] = [await freePort(), await freePort()];
  const socketPath = join(dir, 'run', 'milter.sock');
  const password = 'learn-secret';
  for (const sub of ['local.d', 'db', 'run', 'log']) mkdirSync(join(dir, sub));
  // The tests' clients are on 127.0.0.0/8, which rspamd counts as local and would skip by default.
  writeFileSync(join(dir, 'local.d', 'milter_headers.conf'), 'extended_spam_headers = true;\nskip_local = false;\n');
  writeFileSync(
    join(dir, 'local.d', 'classifier-bayes.conf'),
    `backend = "sqlite3";
min_learns = 1;
cache { type = "sqlite3"; file = "$DBDIR/learn_cache.sqlite"; }
statfile { symbol = "BAYES_HAM"; spam = false; path = "$DBDIR/bayes.ham.sqlite"; }
statfile { symbol = "BAYES_SPAM"; spam = true; path = "$DBDIR/bayes.spam.sqlite"; }
`,
  );
  const config = join(dir, 'rspamd.conf');
  writeFileSync(
    config,
    `.include "$CONFDIR/common.conf"
options {
  pidfile = "$RUNDIR/rspamd.pid";
  .include "$CONFDIR/options.inc"
  enable_test_patterns = true;
  disable_hyperscan = true;
}
logging { type = "file"; filename = "$LOGDIR/rspamd.log"; level = "warning"; }
worker "rspamd_proxy" {
  bind_socket = "127.0.0.1:${milterPort}";
  bind_socket = "${socketPath} mode=0600";
  milter = yes;
  timeout = 60s;
  count = 1;
  upstream "local" { default = yes; self_scan = yes; }
  spam_header = "X-Spam";
}
worker "controller" {
  bind_socket = "127.0.0.1:${controllerPort}";
  count = 1;
  password = "${password}";
  enable_password = "${password}";
  secure_ip = "";
}
`,
  );
  const vars = { CONFDIR: '/etc/rspamd', LOCAL_CONFDIR: dir, DBDIR: join(dir, 'db'), RUNDIR: join(dir, 'run'), LOGDIR: join(dir, 'log') };
  const daemon = startDaemon('rspamd', ['-f', '-i', '-c', config, ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`])]);
  const spawned = new Promise<void>((resolve, reject) => {
    daemon.child.once('spawn', resolve);
    daemon.child.once('error', (e) => reject(new Error(`rspamd did not start (${e.message}): .ci/run installs it (apt-get install rspamd)`)));
  });
  await spawned;
  const controller = `http://127.0.0.1:${controllerPort}/`;
  try {
    await waitUntilReady(daemon, async () => (await canConnect(milterPort)) && (await canConnect(controllerPort)), 'rspamd', RSPAMD_START_LIMIT_MS);
  } catch (error) {
    await stopDaemon(daemon);
    removeDir(dir);
    throw error;
  }
  return {
    milterPort,
    socketPath,
    controller,
    password,
    async stat() {
      const response = await fetch(new URL('stat', controller), { headers: { Password: password }, signal: AbortSignal.timeout(30_000) });
      return (await response.json()) as Awaited<ReturnType<Rspamd['stat']>>;
    },
    async stop() {
      await stopDaemon(daemon);
      removeDir(dir);
    },
  };
}
