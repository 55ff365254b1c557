// Runs the built `mailroom` CLI as a separate process, as a user or script would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runCli as runProgram } from '../../server/host/cli/program.js';
import type { AdminApi } from '../../server/admin/contract.js';
import { PORT_NAMES } from '../../server/settings.js';

export const CLI = fileURLToPath(new URL('../../server/host/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string, timeoutMs = 30_000): Promise<CliResult> {
  return runCliAt(CLI, args, input, timeoutMs);
}

/** Runs a `mailroom` CLI at another path (the packaging test runs the packaged one). */
export function runCliAt(cli: string, args: string[], input?: string, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mailroom ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Runs one command line in this process against `api` (no data folder), capturing what it prints. */
export async function runCliOn(api: AdminApi, args: string[]): Promise<CliResult & { lines: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runProgram(args, {
    io: { print: (line) => lines.push(line), error: (line) => errors.push(line) },
    open: () => ({ api, forgetAdminPassword: async () => {}, close() {} }),
  });
  return { code, stdout: lines.join('\n'), stderr: errors.join('\n'), lines };
}

export interface Served {
  child: ChildProcessWithoutNullStreams;
  ready: { event: 'ready'; ports: Record<string, number>; dataDir: string; [key: string]: unknown };
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code and the remaining stdout lines. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; lines: string[] }>;
}

/** Starts `mailroom serve` with every port 0 (unless given) and waits for its ready line. */
export function serve(dataDir: string, extra: string[] = [], timeoutMs = 30_000): Promise<Served> {
  return serveAt(CLI, dataDir, extra, timeoutMs);
}

export function serveAt(cli: string, dataDir: string, extra: string[] = [], timeoutMs = 30_000): Promise<Served> {
  const ports = PORT_NAMES.flatMap((p) => [`--${p}-port`, '0']);
  const child = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, '--listen-host', '127.0.0.1', ...ports, ...extra], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  const rest: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not become ready\n${stderr}`));
    }, timeoutMs);
    let ready: Served['ready'] | undefined;
    lines.on('line', (line) => {
      if (ready) return void rest.push(line);
      clearTimeout(timer);
      ready = JSON.parse(line) as Served['ready'];
      resolve({
        child,
        ready,
        stderr: () => stderr,
        async stop(signal = 'SIGTERM') {
          child.kill(signal);
          const code = await exited;
          return { code, lines: rest };
        },
      });
    });
    exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before ready\n${stderr}`));
    });
  });
}
