// The `mailroom` command line (README "Commands"): one commander program with one module per noun,
// each subcommand a thin call into the admin service. Exit codes: 0 done, 1 refused (the admin
// service's sentence, or serve cannot bind), 2 usage (the parser's or a command's), 3 internal,
// 130 interrupted at a prompt.
import { Command, CommanderError } from 'commander';
import { AdminError } from '../../admin/contract.js';
import { VERSION } from '../../index.js';
import { EXIT, Interrupted, Refused, UsageError } from './errors.js';
import { DatabaseUrlError } from '../../store/select.js';
import { processIo } from './output.js';
import { openDataFolder, type CliEnv } from './session.js';
import { registerServe } from './serve.js';
import { registerDomain } from './domain.js';
import { registerUser } from './user.js';
import { registerAlias } from './alias.js';
import { registerNetwork } from './network.js';
import { registerTransport } from './transport.js';
import { registerRule } from './rule.js';
import { registerQueue } from './queue.js';
import { registerConfig } from './config.js';
import { registerAdmin } from './admin.js';
import { registerLog } from './log.js';
import { registerDoctor } from './doctor.js';
import { registerDns } from './dns.js';
import { registerCert } from './cert.js';
import { registerSieve } from './sieve.js';
import { registerBan } from './ban.js';
import { registerImport } from './import.js';
import { registerBackup } from './backup.js';
import { registerMilter } from './milter.js';
import { registerSenderLists } from './sender-list.js';
import { registerQuarantine } from './quarantine.js';
import { registerExport } from './export.js';
import { registerMigrateStore } from './migrate-store.js';
import { registerNodes } from './nodes.js';
import { registerShared } from './shared.js';

export function createProgram(env: CliEnv): Command {
  const program = new Command('mailroom')
    .description('Mailroom mail server: run it (serve) and manage it on its data folder while it runs')
    .version(VERSION)
    .option('--data-dir <dir>', 'the data folder (default: $MAILROOM_DATA_DIR or the app-data folder)')
    .option('--database <url>', 'a postgres:// URL to keep the data in PostgreSQL, shared by several nodes (default: $MAILROOM_DATABASE_URL, else the data folder\'s SQLite file)')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => env.io.print(text.replace(/\n$/, '')),
      writeErr: (text) => env.io.error(text.replace(/\n$/, '')),
      outputError: (text, write) => write(text.replace(/^error: /, 'mailroom: ')),
    })
    .addHelpText('after', '\nSizes: 500M, 2G, 0 = unlimited. Exit codes: 0 done, 1 refused, 2 usage error, 3 internal error.');
  registerServe(program, env);
  registerDomain(program, env);
  registerUser(program, env);
  registerAlias(program, env);
  registerNetwork(program, env);
  registerTransport(program, env);
  registerRule(program, env);
  registerQueue(program, env);
  registerConfig(program, env);
  registerAdmin(program, env);
  registerLog(program, env);
  registerSieve(program, env);
  registerDoctor(program, env);
  registerDns(program, env);
  registerCert(program, env);
  registerBan(program, env);
  registerImport(program, env);
  registerBackup(program, env);
  registerMilter(program, env);
  registerSenderLists(program, env);
  registerQuarantine(program, env);
  registerExport(program, env);
  registerMigrateStore(program, env);
  registerNodes(program, env);
  registerShared(program, env);
  return program;
}

/** Runs one command line and gives its exit code; never throws. */
export async function runCli(argv: string[], env: CliEnv = { io: processIo, open: openDataFolder }): Promise<number> {
  try {
    await createProgram(env).parseAsync(argv, { from: 'user' });
    return EXIT.done;
  } catch (error) {
    // Help, --version and the parser's own refusals, already printed.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.done : EXIT.usage;
    if (error instanceof UsageError) {
      env.io.error(`mailroom: ${error.message} (add --help for usage)`);
      return EXIT.usage;
    }
    if (error instanceof AdminError || error instanceof Refused || error instanceof DatabaseUrlError) {
      env.io.error(`mailroom: ${error.message}`);
      return EXIT.refused;
    }
    if (error instanceof Interrupted) return EXIT.interrupted;
    env.io.error(`mailroom: ${(error as Error).message}`);
    if (process.env.MAILROOM_DEBUG) env.io.error(String((error as Error).stack));
    return EXIT.internal;
  }
}
