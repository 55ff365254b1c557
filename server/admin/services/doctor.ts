// `runDoctor` (issue 11 §7): the health checks behind `mailroom doctor` and the dashboard's health
// panel. Each check reads through the admin service (or the data folder and resolver it is given),
// never changes anything, and answers ok/warn/fail with a sentence and, when not ok, the fix.
//
// Invariants: a check that cannot run (no data folder, a failing call) is reported as a warning
// naming why, never thrown, so one broken part never hides the others. The database integrity check
// runs only when asked: it reads the whole file.
import { statfs, stat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../clock.js';
import type { DnsResolver } from '../../dns/resolver.js';
import { DATABASE_FILE } from '../../host/data-dir.js';
import { isPrivateRange } from '../../policy/private-range.js';
import { checkStoredSettings } from '../../settings.js';
import { AdminSchemas, type AdminApi, type AdminInput, type DoctorCheck, type DoctorReport, type DoctorStatus } from '../contract.js';

/** Free space below which new mail may soon be refused, and below which the owner should act. */
const DISK_FAIL_BYTES = 256 * 1024 ** 2;
const DISK_WARN_BYTES = 2 * 1024 ** 3;
/** A certificate this close to its end gets a warning. */
const CERT_WARN_MS = 14 * 24 * 3600_000;
/** Queue sizes and ages that deserve a look. */
const QUEUE_WARN_ROWS = 100;
const QUEUE_WARN_AGE_MS = 24 * 3600_000;
/** A mailbox this full is near its quota. */
const QUOTA_WARN_SHARE = 0.9;
/** Failed logins in the last hour that look like someone guessing passwords. */
const LOGIN_BURST = 20;
/** Domains whose records the doctor checks (each costs a dozen questions); the DNS check per domain covers the rest. */
const RECORD_CHECK_DOMAINS = 10;
/** The name whose MX the DNS check asks for when no domain is hosted yet. */
const DNS_PROBE_NAME = 'example.com';

export interface DoctorDeps {
  api: Pick<AdminApi, 'getStatus' | 'getSettings' | 'listNetworks' | 'getTlsInfo' | 'listQueue' | 'listDomains' | 'queryLog' | 'listAccounts' | 'getActivity' | 'listBannedSources' | 'checkDns'>;
  clock: Clock;
  /** The data folder (permissions and free space); without it those checks say so. */
  dataDir?: string;
  resolver?: DnsResolver;
  /** The stored settings rows as written, before defaults replace what fails validation. */
  storedSettings(): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** `PRAGMA integrity_check`'s lines (`['ok']` when sound). */
  integrityCheck(): Promise<string[]>;
}

type Finding = Omit<DoctorCheck, 'id' | 'title'>;
interface Check {
  id: string;
  title: string;
  run(deps: DoctorDeps): Promise<Finding>;
}

const CHECKS: Check[] = [
  { id: 'relay', title: 'Relay exposure', run: relayExposure },
  { id: 'certificate', title: 'TLS certificate', run: certificate },
  { id: 'permissions', title: 'Data folder permissions', run: dataFolderPermissions },
  { id: 'disk', title: 'Free disk space', run: diskSpace },
  { id: 'listeners', title: 'Listeners', run: listeners },
  { id: 'settings', title: 'Settings', run: settingsValidity },
  { id: 'dns', title: 'DNS resolver', run: dnsResolver },
  { id: 'records', title: 'DNS records', run: domainRecords },
  { id: 'queue', title: 'Outbound queue', run: queueBacklog },
  { id: 'quota', title: 'Mailbox quotas', run: quotas },
  { id: 'logins', title: 'Failed logins', run: failedLogins },
];
const INTEGRITY: Check = { id: 'integrity', title: 'Database integrity', run: databaseIntegrity };

export function createDoctor(deps: DoctorDeps): Pick<AdminApi, 'runDoctor'> {
  return {
    async runDoctor(input?: AdminInput<'runDoctor'>): Promise<DoctorReport> {
      const { integrity } = AdminSchemas.runDoctor.parse(input ?? {});
      const checks = await Promise.all([...CHECKS, ...(integrity ? [INTEGRITY] : [])].map((check) => guarded(check, deps)));
      return { status: worst(checks.map((c) => c.status)), checks, checkedAt: deps.clock.now() };
    },
  };
}

async function guarded(check: Check, deps: DoctorDeps): Promise<DoctorCheck> {
  try {
    return { id: check.id, title: check.title, ...(await check.run(deps)) };
  } catch (error) {
    return { id: check.id, title: check.title, status: 'warn', detail: `This check could not run: ${(error as Error).message}` };
  }
}

function worst(statuses: DoctorStatus[]): DoctorStatus {
  return statuses.includes('fail') ? 'fail' : statuses.includes('warn') ? 'warn' : 'ok';
}

async function relayExposure({ api }: DoctorDeps): Promise<Finding> {
  const relaying = (await api.listNetworks({})).filter((n) => n.relay && !n.expired);
  const open = relaying.filter((n) => isPrivateRange(n.cidr) !== true);
  if (open.length > 0) {
    return {
      status: 'fail',
      detail: `${open.map((n) => n.cidr).join(', ')} may relay mail anywhere without a password, and reaches beyond private addresses: this server is an open relay for anyone there.`,
      fix: `Remove or narrow the range: mailroom network remove ${open[0].cidr} (then add your LAN, e.g. 192.168.1.0/24 --relay), or turn off relay for it in Access → Trusted networks.`,
    };
  }
  const detail = relaying.length === 0 ? 'No network relays without a password; outbound mail needs a login.' : `Only private ranges relay without a password (${relaying.map((n) => n.cidr).join(', ')}).`;
  return { status: 'ok', detail };
}

async function certificate({ api, clock }: DoctorDeps): Promise<Finding> {
  const info = await api.getTlsInfo({});
  const cert = info.certificate;
  const name = cert.commonName ?? cert.subject;
  const renew = cert.selfSigned ? 'Make a new one in Settings → Certificate (or import yours)' : 'Import the renewed certificate in Settings → Certificate';
  if (cert.validTo <= clock.now()) {
    return { status: 'fail', detail: `The certificate for ${name} expired on ${new Date(cert.validTo).toISOString()}: mail clients refuse to connect.`, fix: `${renew}.` };
  }
  if (cert.validTo - clock.now() < CERT_WARN_MS) {
    return { status: 'warn', detail: `The certificate for ${name} expires on ${new Date(cert.validTo).toISOString()}.`, fix: `${renew} before then.` };
  }
  if (!info.namesHostname) {
    return {
      status: 'warn',
      detail: `The certificate names ${[name, ...cert.altNames].join(', ')} but not this server's hostname ${info.hostname}: clients connecting by that name will warn.`,
      fix: 'Import a certificate for the hostname, or make a new self-signed one in Settings → Certificate.',
    };
  }
  const kind = cert.selfSigned ? 'self-signed (clients ask to trust it once)' : `issued by ${cert.issuer}`;
  return { status: 'ok', detail: `${name}, ${kind}, valid until ${new Date(cert.validTo).toISOString().slice(0, 10)}.` };
}

async function dataFolderPermissions({ dataDir }: DoctorDeps): Promise<Finding> {
  if (dataDir === undefined) return { status: 'warn', detail: 'This admin service has no data folder to check.' };
  if (process.platform === 'win32') return { status: 'ok', detail: 'The folder is in your profile; Windows permissions are not checked.' };
  const open: string[] = [];
  if (((await stat(dataDir)).mode & 0o077) !== 0) open.push(dataDir);
  // The database, its WAL/SHM, and the backups made before migrations hold every password hash and key.
  for (const name of await readdir(dataDir)) {
    if (!name.startsWith(DATABASE_FILE)) continue;
    if (((await stat(join(dataDir, name))).mode & 0o077) !== 0) open.push(join(dataDir, name));
  }
  if (open.length === 0) return { status: 'ok', detail: `${dataDir} and its database are readable by their owner only.` };
  return {
    status: 'warn',
    detail: `Other users of this machine can read ${open.join(', ')} (password hashes, keys and all mail).`,
    fix: `chmod 700 '${dataDir}' && chmod 600 '${join(dataDir, DATABASE_FILE)}'*`,
  };
}

async function diskSpace({ dataDir }: DoctorDeps): Promise<Finding> {
  if (dataDir === undefined) return { status: 'warn', detail: 'This admin service has no data folder to check.' };
  const fs = await statfs(dataDir);
  const free = fs.bavail * fs.bsize;
  const text = `${(free / 1024 ** 3).toFixed(1)} GiB free where ${dataDir} is`;
  const fix = 'Free space on that disk, or move the data folder to a bigger one (stop the server, move it, start with --data-dir).';
  if (free < DISK_FAIL_BYTES) return { status: 'fail', detail: `Only ${text}: mail will soon be refused.`, fix };
  if (free < DISK_WARN_BYTES) return { status: 'warn', detail: `${text}.`, fix };
  return { status: 'ok', detail: `${text}.` };
}

/** Mail listeners that did not bind: the running server's own account, else the last start's log row. */
async function listeners({ api }: DoctorDeps): Promise<Finding> {
  const status = await api.getStatus({});
  let failed: Record<string, string>;
  let when = '';
  if (status.startedAt > 0) {
    failed = status.failedListeners ?? {};
  } else {
    const start = (await api.queryLog({ event: 'server.start', limit: 1 }))[0];
    if (!start) return { status: 'ok', detail: 'The server has not been started on this data folder yet.' };
    const recorded = (start.fields.failed ?? {}) as Record<string, { message?: string }>;
    failed = Object.fromEntries(Object.entries(recorded).map(([name, f]) => [name, f.message ?? 'failed']));
    when = ` at the last start (${new Date(start.ts).toISOString()})`;
  }
  const names = Object.keys(failed);
  if (names.length === 0) return { status: 'ok', detail: `Every listener was bound${when || ''}.` };
  return {
    status: 'fail',
    detail: `${names.map((n) => `${n}: ${failed[n]}`).join('; ')}${when}. These listeners are off.`,
    fix: fixFor(Object.values(failed).join(' ')),
  };
}

function fixFor(messages: string): string {
  if (/EACCES/.test(messages)) return 'Ports below 1024 need privileges: sudo setcap cap_net_bind_service=+ep $(which node), or pick others (mailroom config set ports.smtp 2525), then restart.';
  if (/EADDRINUSE/.test(messages)) return 'Another program holds the port: stop it, or pick another port (mailroom config set ports.smtp 2525), then restart.';
  if (/EADDRNOTAVAIL|ENOTFOUND/.test(messages)) return 'The listen address is not one of this machine: mailroom config set listenHost 0.0.0.0 (or one of its addresses), then restart.';
  return 'See the log (mailroom log) for the error, fix it and restart.';
}

async function settingsValidity({ storedSettings }: DoctorDeps): Promise<Finding> {
  const { problems } = checkStoredSettings(await storedSettings());
  if (problems.length === 0) return { status: 'ok', detail: 'Every stored setting is valid.' };
  return {
    status: 'fail',
    detail: `${problems.map((p) => `${p.key} = ${JSON.stringify(p.value)}: ${p.message.replace(/\.$/, '')}`).join('; ')}. The server uses the default instead.`,
    fix: `Set a valid value (mailroom config set ${problems[0].key} VALUE) or go back to the default (mailroom config unset ${problems[0].key}).`,
  };
}

async function dnsResolver({ api, resolver }: DoctorDeps): Promise<Finding> {
  if (!resolver) return { status: 'warn', detail: 'This admin service has no resolver to check.' };
  const { dnsServers } = await api.getSettings({});
  const servers = dnsServers.length > 0 ? dnsServers.join(', ') : "the system's resolvers";
  const name = (await api.listDomains({}))[0]?.name ?? DNS_PROBE_NAME;
  try {
    await resolver.resolveMx(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // NXDOMAIN and NODATA are answers: the resolver is there.
    if (code !== 'ENOTFOUND' && code !== 'ENODATA') {
      return {
          status: 'fail',
        detail: `No answer from ${servers} for the MX of ${name} (${code ?? (error as Error).message}): outbound mail and SPF/DKIM/DMARC checks fail until it answers.`,
        fix: dnsServers.length > 0 ? 'Check those servers, or use the system resolvers: mailroom config unset dnsServers.' : 'Check the network, or name resolvers: mailroom config set dnsServers 192.0.2.53 (yours).',
      };
    }
  }
  return { status: 'ok', detail: `${servers} answer (asked for the MX of ${name}).` };
}

/** The records each hosted domain should publish, as checkDns sees them (the GUI's DNS check per domain). */
async function domainRecords({ api, resolver }: DoctorDeps): Promise<Finding> {
  if (!resolver) return { status: 'warn', detail: 'This admin service has no resolver to check.' };
  const domains = (await api.listDomains({})).filter((d) => d.active);
  if (domains.length === 0) return { status: 'ok', detail: 'No domain is hosted yet.' };
  const reports = await Promise.all(domains.slice(0, RECORD_CHECK_DOMAINS).map((d) => api.checkDns({ domain: d.name })));
  const problems = reports.flatMap((r) => r.records.filter((x) => !x.optional && (x.status === 'fail' || x.status === 'warn')).map((x) => ({ domain: r.domain, record: x })));
  const more = domains.length > RECORD_CHECK_DOMAINS ? ` (the first ${RECORD_CHECK_DOMAINS} of ${domains.length} domains)` : '';
  if (problems.length === 0) return { status: 'ok', detail: `${reports.map((r) => r.domain).join(', ')}: MX, SPF, DKIM, DMARC and PTR are published${more}.` };
  const failing = problems.filter((p) => p.record.status === 'fail');
  const list = (ps: typeof problems) => ps.slice(0, 6).map((p) => `${p.domain} ${p.record.type} ${p.record.name}`).join(', ') + (ps.length > 6 ? ` and ${ps.length - 6} more` : '');
  return {
    status: failing.length > 0 ? 'fail' : 'warn',
    detail: failing.length > 0 ? `Missing or wrong${more}: ${list(failing)}.` : `Worth a look${more}: ${list(problems)}.`,
    fix: `See what to publish in Domains → DNS check (or mailroom dns check ${(failing[0] ?? problems[0]).domain}).`,
  };
}

async function queueBacklog({ api, clock }: DoctorDeps): Promise<Finding> {
  const rows = await api.listQueue({});
  if (rows.length === 0) return { status: 'ok', detail: 'The queue is empty.' };
  const oldest = Math.min(...rows.map((r) => r.createdAt));
  const ageHours = (clock.now() - oldest) / 3600_000;
  const failing = rows.filter((r) => r.lastError !== null).length;
  const detail = `${rows.length} recipient(s) queued, ${failing} after a failed try; the oldest has waited ${ageHours.toFixed(1)} h.`;
  if (rows.length >= QUEUE_WARN_ROWS || clock.now() - oldest >= QUEUE_WARN_AGE_MS) {
    return { status: 'warn', detail, fix: 'See why with mailroom queue list (last errors); check the relay host and DNS; mailroom queue retry when fixed.' };
  }
  return { status: 'ok', detail };
}

async function quotas({ api }: DoctorDeps): Promise<Finding> {
  const limited = (await api.listAccounts({})).filter((a) => a.quota > 0);
  const over = limited.filter((a) => a.usedBytes >= a.quota);
  const near = limited.filter((a) => a.usedBytes < a.quota && a.usedBytes >= a.quota * QUOTA_WARN_SHARE);
  const list = (accounts: typeof limited) =>
    accounts
      .slice(0, 5)
      .map((a) => `${a.displayAddress} (${Math.round((a.usedBytes / a.quota) * 100)}%)`)
      .join(', ') + (accounts.length > 5 ? ` and ${accounts.length - 5} more` : '');
  const fix = 'Raise the quota in Users (or mailroom user update ADDRESS --quota), or ask the owner to delete old mail.';
  if (over.length > 0) {
    return { status: 'fail', detail: `Full: ${list(over)}; new mail to them is refused.${near.length > 0 ? ` Nearly full: ${list(near)}.` : ''}`, fix };
  }
  if (near.length > 0) return { status: 'warn', detail: `Nearly full: ${list(near)}.`, fix };
  return { status: 'ok', detail: limited.length === 0 ? 'No mailbox has a quota.' : `All ${limited.length} mailboxes with a quota have room.` };
}

async function failedLogins({ api }: DoctorDeps): Promise<Finding> {
  const [activity, banned] = await Promise.all([api.getActivity({ hours: 1, days: 1 }), api.listBannedSources({})]);
  const lastHour = activity.hourly[0].authFailures;
  const bans = banned.length === 0 ? 'no address is banned' : `${banned.length} address(es) banned: ${banned.slice(0, 5).map((b) => b.source).join(', ')}`;
  if (lastHour >= LOGIN_BURST) {
    return {
      status: 'warn',
      detail: `${lastHour} failed logins this hour (someone may be guessing passwords); ${bans}.`,
      fix: 'See who in Logs (event auth.fail); repeat offenders are banned by themselves. Unban a mistaken address on the dashboard.',
    };
  }
  return { status: 'ok', detail: `${lastHour} failed login(s) this hour; ${bans}.` };
}

async function databaseIntegrity({ integrityCheck }: DoctorDeps): Promise<Finding> {
  const lines = await integrityCheck();
  if (lines.length === 1 && lines[0] === 'ok') return { status: 'ok', detail: 'PRAGMA integrity_check: ok.' };
  return {
    status: 'fail',
    detail: `PRAGMA integrity_check found problems: ${lines.slice(0, 5).join('; ')}${lines.length > 5 ? ` (and ${lines.length - 5} more)` : ''}.`,
    fix: 'Stop the server, back up the data folder, and restore the last good backup.',
  };
}
