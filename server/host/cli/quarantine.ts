// `mailroom quarantine list|release|delete`: messages a milter quarantined (Postfix's hold queue).
import type { Command } from 'commander';
import { withSession, type CliEnv } from './session.js';

export function registerQuarantine(program: Command, env: CliEnv) {
  const quarantine = program.command('quarantine').description('messages a milter quarantined: list, release (deliver) or delete');

  quarantine
    .command('list')
    .description('held messages, oldest first')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) =>
        out.table(await api.listQuarantine({}), ['quarantineId', 'sender', 'recipients', 'subject', 'milter', 'reason', 'size', 'createdAt']),
      ),
    );

  quarantine
    .command('release')
    .description('deliver a held message to its recipients')
    .argument('<id>', 'the quarantine id')
    .action((quarantineId: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const done = await api.releaseQuarantined({ quarantineId });
        const missing = done.unresolved.length > 0 ? `; no longer deliverable to ${done.unresolved.join(', ')}` : '';
        out.item(done, `released ${quarantineId} to ${done.delivered.join(', ') || 'nobody'}${missing}`);
      }),
    );

  quarantine
    .command('delete')
    .description('delete a held message')
    .argument('<id>', 'the quarantine id')
    .action((quarantineId: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        await api.deleteQuarantined({ quarantineId });
        out.done(`deleted ${quarantineId}`);
      }),
    );
}
