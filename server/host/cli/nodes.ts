// `mailroom nodes`: the Mailroom nodes sharing a PostgreSQL database (issue 19), from their heartbeat
// rows: each one's host, process, start, last heartbeat and whether it is alive (a node silent for 30 s
// is not, and its queue claims go to the others). This command's own short-lived row is left out. On
// SQLite there is one node, the process that has the data folder: the command says so.
import type { Command } from 'commander';
import { withSession, type CliEnv } from './session.js';

export function registerNodes(program: Command, env: CliEnv) {
  program
    .command('nodes')
    .description('the Mailroom nodes sharing the PostgreSQL database, and which are alive')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const { nodes } = await api.getStatus();
        if (nodes === undefined) {
          if (out.json) return out.io.print('[]');
          return out.io.print('One node: the data folder\'s SQLite store is not shared (nodes are listed with --database postgres://…).');
        }
        const rows = nodes.filter((n) => !n.self).map((n) => ({ node: n.id, host: n.host, pid: n.pid, startedAt: n.startedAt, seenAt: n.seenAt, state: n.alive ? 'alive' : 'silent' }));
        out.table(rows, ['node', 'host', 'pid', 'startedAt', 'seenAt', 'state']);
      }),
    );
}
