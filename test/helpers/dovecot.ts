// A private Dovecot for tests: the master process (`dovecot -F`) with a configuration in a temp folder,
// no protocols unless asked for IMAP (its auth service is what `dovecot-lda -d` and `doveadm -u` need), a static
// userdb whose mail lives under `<dir>/vmail/%d/%n/Maildir` as maildir++ (`.` separator), owned by
// `nobody` when we are root. deliver() and doveadm() run the real tools, so dovecot-uidlist,
// dovecot-keywords and subscriptions are Dovecot's own. Stopped and removed by stop().
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { daemonDir, findBinary, freePort, isRoot, removeDir, startDaemon, stopDaemon, UNPRIVILEGED, waitUntilReady } from './daemon.js';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

const DOVECOT = findBinary('dovecot', '/usr/sbin/dovecot');
const DOVEADM = findBinary('doveadm', '/usr/bin/doveadm');
const LDA = findBinary('/usr/lib/dovecot/dovecot-lda', '/usr/libexec/dovecot/dovecot-lda', 'dovecot-lda');

export const dovecotMissing: string | false = DOVECOT && DOVEADM && LDA ? false : 'dovecot-core is not installed (dovecot, doveadm, dovecot-lda)';

export interface Dovecot {
  dir: string;
  config: string;
  /** Root of the `%d/%n/Maildir` layout. */
  mailRoot: string;
  /** The plain IMAP port on 127.0.0.1 (with `imap: true`; any password logs in). */
  imapPort?: number;
  maildir(address: string): string;
  /** Delivers `message` with dovecot-lda into `folder` (created and subscribed when missing). */
  deliver(address: string, message: string | Buffer, folder?: string): void;
  /** Runs doveadm with this configuration (TZ=UTC); returns stdout, throws on failure. */
  doveadm(...args: string[]): string;
  stop(): Promise<void>;
}

export async function startDovecot(options: { extraConfig?: string; imap?: boolean } = {}): Promise<Dovecot> {
  if (!DOVECOT || !DOVEADM || !LDA) throw new Error(String(dovecotMissing));
  const dir = daemonDir('mailroom-dovecot-');
  const mailRoot = join(dir, 'vmail');
  mkdirSync(mailRoot);
  const uid = isRoot ? UNPRIVILEGED.uid : process.getuid!();
  const gid = isRoot ? UNPRIVILEGED.gid : process.getgid!();
  if (isRoot) spawnSync('chown', [`${uid}:${gid}`, mailRoot]);
  const self = userInfo().username;
  const imapPort = options.imap ? await freePort() : undefined;
  const imap = imapPort === undefined
    ? 'protocols =\n'
    : `protocols = imap\ndisable_plaintext_auth = no\nservice imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${imapPort}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n`;
  const config = join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    `base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
log_path = ${join(dir, 'dovecot.log')}
ssl = no
${imap}${isRoot ? '' : `default_internal_user = ${self}\ndefault_login_user = ${self}\n`}first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:${mailRoot}/%d/%n/Maildir
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${mailRoot}/%d/%n
}
namespace inbox {
  inbox = yes
  separator = .
}
lda_mailbox_autocreate = yes
lda_mailbox_autosubscribe = yes
${options.extraConfig ?? ''}
`,
  );
  const daemon = startDaemon(DOVECOT, ['-F', '-c', config]);
  await waitUntilReady(daemon, async () => existsSync(join(dir, 'run', 'auth-userdb')) && (imapPort === undefined || (await portOpen(imapPort))), 'dovecot');
  const env = { ...process.env, TZ: 'UTC' };
  const run = (command: string, args: string[], input?: string | Buffer) => {
    const result = spawnSync(command, args, { input, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  return {
    dir,
    config,
    mailRoot,
    ...(imapPort !== undefined ? { imapPort } : {}),
    maildir: (address) => {
      const [local, domain] = address.split('@');
      return join(mailRoot, domain, local, 'Maildir');
    },
    deliver(address, message, folder) {
      run(LDA, ['-c', config, '-d', address, ...(folder ? ['-m', folder] : [])], message);
    },
    doveadm: (...args) => run(DOVEADM, ['-c', config, ...args]),
    async stop() {
      await stopDaemon(daemon);
      removeDir(dir);
    },
  };
}
