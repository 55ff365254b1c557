// `mailroom serve`: the whole server in the foreground until SIGINT/SIGTERM. It prints one JSON line
// when ready (`{"event":"ready","ports":…}`) and one when stopped; log lines go to stderr. A mail
// listener that cannot bind is reported and left off (the rest runs, and the admin GUI is reachable to
// fix it); only an admin listener that cannot bind at all refuses the start (exit 1).
import type { Command } from 'commander';
import { z } from 'zod';
import { createMailServer } from '../../index.js';
import { PORT_NAMES, type PortName } from '../../settings.js';
import type { ListenerFailure } from '../../start-listeners.js';
import { integerArgument, portArgument } from './arguments.js';
import { Refused } from './errors.js';
import { dataDirOf, type CliEnv, type GlobalOptions } from './session.js';

type ServeOptions = { listenHost?: string; adminHost?: string; readWorkers?: number } & { [K in `${PortName}Port`]?: number };

export function registerServe(program: Command, env: CliEnv) {
  const serve = program
    .command('serve')
    .description('run the mail server (SMTP, submission, IMAP, POP3 and the admin GUI) until Ctrl-C')
    .option('--listen-host <address>', 'address the mail listeners bind to (default: the listenHost setting)')
    .option('--admin-host <address>', 'address the admin GUI binds to (default: the adminHost setting)')
    .option('--read-workers <n>', 'threads for long reads such as SEARCH over a big mailbox (0 = none; default: one per core, at most 4)', integerArgument(z.number().int().min(0, 'At least 0 read workers.').max(64, 'At most 64 read workers.')));
  for (const name of PORT_NAMES) serve.option(`--${name}-port <n>`, `${name} port for this run (0 = any free port)`, portArgument);
  serve.action(async (opts: ServeOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const dataDir = dataDirOf(globals);
    const ports: Partial<Record<PortName, number>> = {};
    for (const name of PORT_NAMES) if (opts[`${name}Port`] !== undefined) ports[name] = opts[`${name}Port`];
    const server = await createMailServer({ dataDir, listenHost: opts.listenHost, adminHost: opts.adminHost, ports, logEcho: (line) => env.io.error(line) }, { readWorkers: opts.readWorkers, databaseUrl: globals.database });
    let started: Awaited<ReturnType<typeof server.start>>;
    try {
      started = await server.start();
    } catch (error) {
      throw new Refused(explain(error as NodeJS.ErrnoException));
    }
    for (const [name, failure] of Object.entries(started.failed) as Array<[PortName, ListenerFailure]>) {
      env.io.error(`mailroom: the ${name} listener is off: ${explain(failure)}`);
    }
    // setupUrl (only until the admin password is set): the one-time link that opens the first-run wizard.
    const failed = Object.fromEntries(Object.entries(started.failed).map(([name, f]) => [name, f!.message]));
    env.io.print(JSON.stringify({ event: 'ready', ports: started.ports, dataDir, setupUrl: started.setupUrl, ...(Object.keys(failed).length ? { failed } : {}) }));
    await new Promise<void>((resolveStop) => {
      const stop = (signal: string) => {
        env.io.error(`mailroom: ${signal} received, stopping`);
        resolveStop();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.stop();
    env.io.print(JSON.stringify({ event: 'stopped' }));
  });
}

function explain(e: { code?: string; message: string }): string {
  if (e.code === 'EACCES') return `no permission to bind a port below 1024 (${e.message}); run as root, grant cap_net_bind_service, or pick other ports with --smtp-port etc.`;
  if (e.code === 'EADDRINUSE') return `a port is already in use (${e.message}); is another mail server running?`;
  return `could not start: ${e.message}`;
}
