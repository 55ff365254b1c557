// Debian's sieve-connect as a ManageSieve client: STARTTLS (certificate not verified), SASL PLAIN,
// the password on fd 3, run in `cwd` so --localsieve names are relative to it.
import { spawn, spawnSync } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export const sieveConnectInstalled = spawnSync('sieve-connect', ['--version'], { encoding: 'utf8' }).status !== null;

export function sieveConnect(target: { port: number; user: string; password: string; cwd: string }, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    'sieve-connect',
    ['--server', '127.0.0.1', '--port', String(target.port), '--user', target.user, '--passwordfd', '3', '--notlsverify', '--authmech', 'PLAIN', ...args],
    { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], cwd: target.cwd },
  );
  const [, stdout, stderr, password] = child.stdio as unknown as [null, Readable, Readable, Writable];
  password.end(`${target.password}\n`);
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}
