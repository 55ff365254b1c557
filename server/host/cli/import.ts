// `mailroom import sql|maildir|mbox|imap`: moving in from a Postfix/Dovecot server (README "Moving in"). Each
// prints the plan (with --dry-run nothing more), then runs with a progress bar on the terminal and
// prints a report: what was created, every conflict with its effect, every unreadable file. Running
// the same command again resumes a stopped import or copies only what is new.
import type { Command } from 'commander';
import { formatSize } from '../../admin/size.js';
import { PRESET_NAMES, type PresetName } from '../../import/directory/presets.js';
import type { CustomMapping } from '../../import/directory/custom-maps.js';
import { conflictText } from '../../import/conflict-text.js';
import type { ImportReport } from '../../import/run-import.js';
import { Refused, UsageError } from './errors.js';
import { printable, type Output } from './output.js';
import { readPassword } from './password.js';
import { createProgressBar } from './progress-bar.js';
import { withSession, type CliEnv, type CliSession } from './session.js';

function printReport(out: Output, report: ImportReport) {
  if (out.json) return out.io.print(JSON.stringify(report));
  const print = (line: string) => out.io.print(printable(line));
  const t = report.plan.totals;
  const users = report.plan.create.mail.length;
  if (report.dryRun) {
    print(`dry run of ${report.job}: nothing was written`);
    print(`would create ${t.domains} domains, ${t.accounts} accounts, ${t.aliases} aliases; would import ${t.messages} messages (${formatSize(t.bytes)}) for ${users} users`);
  }
  const d = report.directory;
  if (d) {
    print(`created ${d.domains} domains, ${d.accounts} accounts (${d.disabledAccounts} disabled), ${d.aliases} aliases, ${d.forwardings} forwardings, ${d.catchAlls} catch-alls, ${d.aliasDomains} alias domains, ${d.transports} transports`);
  }
  for (const m of report.mail) {
    print(`${m.address}: ${m.folders} folders, ${m.messages} messages (${formatSize(m.bytes)}) imported, ${m.alreadyImported} imported before`);
    if (m.foldersRenumbered.length > 0) print(`  new UIDs (the folder here already held mail): ${m.foldersRenumbered.join(', ')}`);
  }
  if (report.plan.conflicts.length > 0) {
    print('conflicts:');
    for (const c of report.plan.conflicts) print(`  ${conflictText(c)}`);
  }
  const problems = [...report.problems, ...report.mail.flatMap((m) => m.problems)];
  if (problems.length > 0) {
    print(`not imported, could not be read (${problems.length}):`);
    for (const p of problems) print(`  ${p.path}: ${p.reason}`);
  }
  for (const w of report.warnings) print(`note: ${w}`);
}

async function run(env: CliEnv, cmd: Command, start: (session: CliSession, bar: ReturnType<typeof createProgressBar>) => Promise<ImportReport>) {
  await withSession(env, cmd, async (session, out) => {
    if (!session.importer) throw new Refused('imports need the data folder itself');
    const bar = createProgressBar(process.stderr);
    let report: ImportReport;
    try {
      report = await start(session, bar);
    } catch (error) {
      // A source that cannot be read is the admin's to fix (exit 1), not an internal error.
      const e = error as NodeJS.ErrnoException;
      if (['SqlSourceError', 'LayoutError', 'ImapSourceError'].includes(e.name) || typeof e.code === 'string') throw new Refused(e.message);
      throw error;
    } finally {
      bar.end();
    }
    printReport(out, report);
  });
}

export function registerImport(program: Command, env: CliEnv) {
  const command = program.command('import').description('move in from a Postfix/Dovecot server: its SQL directory and its mail');

  command
    .command('sql')
    .description('import domains, accounts (password hashes kept), aliases, forwardings, alias domains and transports from SQL')
    .requiredOption('--url <url>', 'mysql://USER:PASSWORD@HOST/DB, postgres://..., or sqlite:FILE')
    .requiredOption('--preset <preset>', `the schema: ${PRESET_NAMES.join(', ')}, or custom (the lookup queries below)`)
    .option('--accounts-query <select>', "with --preset custom: Dovecot's password_query, as it is (%u, %n, %d)")
    .option('--domains-query <select>', "with --preset custom: Postfix's virtual_mailbox_domains query (%s)")
    .option('--aliases-query <select>', "with --preset custom: Postfix's virtual_alias_maps query (%s, %u, %d)")
    .option('--transports-query <select>', "with --preset custom: Postfix's transport_maps query (%s)")
    .option('--dry-run', 'show what would be created and every conflict; write nothing')
    .action((opts: { url: string; preset: string; accountsQuery?: string; domainsQuery?: string; aliasesQuery?: string; transportsQuery?: string; dryRun?: boolean }, cmd: Command) => {
      const { accountsQuery, domainsQuery, aliasesQuery, transportsQuery } = opts;
      let mapping: PresetName | CustomMapping;
      if (opts.preset === 'custom') {
        if (accountsQuery === undefined) throw new UsageError("--preset custom needs --accounts-query (Dovecot's password_query)");
        mapping = {
          accounts: accountsQuery,
          ...(domainsQuery !== undefined ? { domains: domainsQuery } : {}),
          ...(aliasesQuery !== undefined ? { aliases: aliasesQuery } : {}),
          ...(transportsQuery !== undefined ? { transports: transportsQuery } : {}),
        };
      } else if (PRESET_NAMES.includes(opts.preset as PresetName)) mapping = opts.preset as PresetName;
      else throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, custom`);
      return run(env, cmd, (session, bar) => session.importer!.sql({ url: opts.url, mapping, dryRun: opts.dryRun === true }, bar.update));
    });

  command
    .command('maildir')
    .description("import mail from one user's Maildir (--user) or every user's under a root (--layout)")
    .argument('<path>', 'the Maildir, or the root of the layout')
    .option('--user <address>', 'the account the Maildir at PATH belongs to')
    .option('--layout <layout>', "where each user's Maildir lies under PATH, as Dovecot's mail_location: %d/%n/Maildir, %d/%n, %u")
    .option('--dry-run', 'show what would be imported and every conflict; write nothing')
    .action((path: string, opts: { user?: string; layout?: string; dryRun?: boolean }, cmd: Command) => {
      if ((opts.user === undefined) === (opts.layout === undefined)) throw new UsageError('give either --user ADDRESS or --layout LAYOUT');
      return run(env, cmd, (session, bar) =>
        session.importer!.maildir({ path, dryRun: opts.dryRun === true, ...(opts.user ? { user: opts.user } : { layout: opts.layout! }) }, bar.update),
      );
    });

  command
    .command('mbox')
    .description("import one user's mbox file (one folder) or folder tree of mbox files (~/mail)")
    .argument('<path>', 'the mbox file, or the folder holding one file per folder')
    .requiredOption('--user <address>', 'the account the mail belongs to')
    .option('--folder <name>', 'the folder a single file goes to', 'INBOX')
    .option('--dry-run', 'show what would be imported and every conflict; write nothing')
    .action((path: string, opts: { user: string; folder: string; dryRun?: boolean }, cmd: Command) =>
      run(env, cmd, (session, bar) => session.importer!.mbox({ path, user: opts.user, folder: opts.folder, dryRun: opts.dryRun === true }, bar.update)),
    );

  command
    .command('imap')
    .description("copy one account's mail from an IMAP server (all folders, flags, dates, UIDs); run again to copy only what is new")
    .requiredOption('--host <host>', 'the old server')
    .option('--port <port>', 'its IMAP port (default 993 with --tls, else 143)')
    .option('--tls', 'implicit TLS (port 993)')
    .option('--starttls', 'plain connection upgraded with STARTTLS')
    .option('--insecure', "accept the server's certificate without checking it (a self-signed old server)")
    .requiredOption('--user <login>', 'the login on the old server')
    .option('--master-user <login>', "log in as this master user on --user's behalf (the password is the master's)")
    .option('--password-stdin', 'read the password from the first line of standard input (else: a hidden prompt)')
    .option('--to <address>', 'the account here (default: --user)')
    .option('--dry-run', 'show what would be imported and every conflict; write nothing')
    .action(
      async (
        opts: { host: string; port?: string; tls?: boolean; starttls?: boolean; insecure?: boolean; user: string; masterUser?: string; passwordStdin?: boolean; to?: string; dryRun?: boolean },
        cmd: Command,
      ) => {
        if (opts.tls && opts.starttls) throw new UsageError('give either --tls or --starttls');
        const port = opts.port === undefined ? (opts.tls ? 993 : 143) : Number(opts.port);
        if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError('--port must be a port number');
        if (opts.to === undefined && !opts.user.includes('@')) throw new UsageError('--user is not an address here: give the account with --to ADDRESS');
        const password = await readPassword(opts.passwordStdin === true, false);
        return run(env, cmd, (session, bar) =>
          session.importer!.imap(
            {
              host: opts.host,
              port,
              security: opts.tls ? 'tls' : opts.starttls ? 'starttls' : 'none',
              verifyCertificate: opts.insecure !== true,
              user: opts.user,
              password,
              ...(opts.masterUser !== undefined ? { masterUser: opts.masterUser } : {}),
              ...(opts.to !== undefined ? { to: opts.to } : {}),
              dryRun: opts.dryRun === true,
            },
            bar.update,
          ),
        );
      },
    );
}
