// What the helpers that start real servers from Debian (MariaDB, PostgreSQL, Dovecot) share: a free
// loopback port, a temp folder such a server may write to when it refuses to run as root (it then
// runs as `nobody`), a bounded wait for readiness, and a stop that waits for the process to exit.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const isRoot = process.getuid?.() === 0;
/** Debian's `nobody`/`nogroup`. */
export const UNPRIVILEGED = { uid: 65534, gid: 65534 };

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no address');
  return address.port;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` now. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The first of `candidates` that exists (absolute paths) or is on PATH; undefined when none is. */
export function findBinary(...candidates: string[]): string | undefined {
  for (const c of candidates) {
    if (c.startsWith('/')) {
      if (existsSync(c)) return c;
      continue;
    }
    const found = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  return undefined;
}

/** A temp folder the unprivileged user owns when we are root (servers that refuse root write there). */
export function daemonDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (isRoot) {
    chmodSync(dir, 0o755);
    chownSync(dir, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  }
  return dir;
}

/** Spawn options that drop to `nobody` when we are root. */
export const unprivileged = () => (isRoot ? { uid: UNPRIVILEGED.uid, gid: UNPRIVILEGED.gid } : {});

export interface Daemon {
  child: ChildProcess;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
}

export function startDaemon(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; asNobody?: boolean } = {}): Daemon {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.asNobody ? unprivileged() : {}),
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** Polls `ready` every 200 ms until it resolves true, the process exits, or `limitMs` passes. */
export async function waitUntilReady(daemon: Daemon, ready: () => Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (daemon.child.exitCode !== null) throw new Error(`${what} exited with ${daemon.child.exitCode}:\n${daemon.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} was not ready within ${limitMs / 1000} s:\n${daemon.output()}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopDaemon(daemon: Daemon, graceMs = 20_000): Promise<void> {
  const { child } = daemon;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
