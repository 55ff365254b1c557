// Display helpers shared by the screens: sizes, times, percentages, listener names. Pure functions.
import type { ListenerName } from '../server/admin/contract.js';

/** The listeners' short names on the dashboard and the settings page. */
export const LISTENER_LABELS: Record<ListenerName, string> = {
  smtp: 'SMTP (MX)',
  submission: 'Submission',
  submissions: 'Submission (TLS)',
  imap: 'IMAP',
  imaps: 'IMAP (TLS)',
  pop3: 'POP3',
  pop3s: 'POP3 (TLS)',
  managesieve: 'ManageSieve',
  admin: 'Admin (HTTP)',
  autoconfig: 'Autoconfig (HTTP)',
};

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (binary units, as the CLI prints them). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${UNITS[unit]}`;
}

/** A quota of 0 means unlimited. */
export function formatQuota(bytes: number): string {
  return bytes === 0 ? 'unlimited' : formatBytes(bytes);
}

export function quotaPercent(used: number, quota: number): number {
  if (quota <= 0) return 0;
  return Math.min(100, Math.round((used / quota) * 100));
}

export const MB = 1024 * 1024;

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms === 0) return '—';
  return new Date(ms).toLocaleString();
}

/** "in 5 min", "3 h ago": for queue retries and last logins. */
export function formatRelative(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const text =
    abs < 60_000 ? `${Math.round(abs / 1000)} s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min` : abs < 86_400_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** A rough password-strength hint (0–4) from length and character variety; not a policy. */
export function passwordStrength(password: string): { score: number; label: string } {
  let score = 0;
  if (password.length >= 8) score++;
  if (password.length >= 12) score++;
  if (password.length >= 16) score++;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (kinds >= 3 || /\s/.test(password.trim())) score++;
  if (password.length < 8) score = 0;
  return { score, label: ['too short', 'weak', 'fair', 'good', 'strong'][Math.min(score, 4)] };
}
