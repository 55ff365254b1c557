// Debian's swaks as an independent SMTP client (installed by .ci/run): one run, its exit code and
// transcript, bounded by a timeout.
import { execFile } from 'node:child_process';

export interface SwaksResult {
  code: number;
  transcript: string;
}

/** swaks's exit code when the server accepted no recipient. */
export const SWAKS_NO_RCPT_ACCEPTED = 24;
export const SWAKS_AUTH_FAILED = 28;

/** Runs swaks from 127.0.0.9 (an untrusted client) unless `from` says otherwise. */
export function swaks(port: number, args: string[], from = '127.0.0.9'): Promise<SwaksResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'swaks',
      ['--server', '127.0.0.1', '--port', String(port), '--local-interface', from, '--ehlo', 'client.example', '--timeout', '15', '--header', 'Subject: swaks interop', ...args],
      { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('swaks is not installed: .ci/run installs it (apt-get install swaks)'));
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, transcript: stdout + stderr });
      },
    );
  });
}
