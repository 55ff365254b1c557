// `mailroom log [--follow]`: the structured log from the store, newest last; --follow polls for rows
// after the last one shown until Ctrl-C.
import { Option, type Command } from 'commander';
import { AdminSchemas, type LogLevel } from '../../admin/contract.js';
import { integerArgument } from './arguments.js';
import { withSession, type CliEnv } from './session.js';

const FOLLOW_POLL_MS = 500;
const FOLLOW_BATCH = 1000;

export function registerLog(program: Command, env: CliEnv) {
  program
    .command('log')
    .description('show the log (every SMTP/IMAP/POP3 session, delivery and admin change)')
    .option('-f, --follow', 'keep printing new rows until Ctrl-C')
    .option('--limit <n>', 'how many of the newest rows (default 100)', integerArgument(AdminSchemas.queryLog.shape.limit))
    .option('--session <id>', 'only this session')
    .option('--queue-id <id>', 'only this queued message')
    .addOption(new Option('--level <level>', 'only this level and up').choices(['debug', 'info', 'warn', 'error']))
    .option('--component <name>', 'only this component (smtp, imap, queue, …)')
    .option('--search <text>', 'only rows whose event or details contain this text')
    .option('--before <id>', 'the rows older than this row id (printed as "older:" after a full page)', integerArgument(AdminSchemas.queryLog.shape.beforeId))
    .action((opts: { follow?: boolean; limit?: number; session?: string; queueId?: string; level?: LogLevel; component?: string; search?: string; before?: number }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const filter = { sessionId: opts.session, queueId: opts.queueId, level: opts.level, component: opts.component, text: opts.search };
        const limit = opts.limit ?? 100;
        let rows = await api.queryLog({ ...filter, beforeId: opts.before, limit });
        rows.forEach((r) => out.log(r));
        // The GUI's "load older" twin: where the next, older page starts.
        if (!out.json && rows.length === limit && rows[0]) out.io.print(`older: --before ${rows[0].id}`);
        if (!opts.follow) return;
        let lastId = rows.at(-1)?.id ?? 0;
        let stopped = false;
        const stop = () => (stopped = true);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        while (!stopped) {
          await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
          rows = await api.queryLog({ ...filter, afterId: lastId, limit: FOLLOW_BATCH });
          rows.forEach((r) => out.log(r));
          lastId = rows.at(-1)?.id ?? lastId;
        }
      }),
    );
}
