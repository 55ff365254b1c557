// `mailroom sieve global list|show|set|remove`: the admin's global Sieve scripts (issue 15), the
// one run before and the one run after every user's script (--phase) and any others user scripts
// may `include :global`. A script is stored only when it compiles; errors name line and column.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { withSession, type CliEnv } from './session.js';

export function registerSieve(program: Command, env: CliEnv) {
  const global = program.command('sieve').description("Sieve mail rules: the admin's global scripts").command('global').description('global scripts, run before or after every user\'s own');

  global
    .command('list')
    .description('list the global scripts and their phase')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) =>
        out.table(
          (await api.listGlobalSieveScripts()).map((g) => ({ name: g.name, phase: g.phase ?? 'include only', bytes: Buffer.byteLength(g.content, 'utf8'), updatedAt: g.updatedAt })),
          ['name', 'phase', 'bytes', 'updatedAt'],
        ),
      ),
    );

  global
    .command('show')
    .description('print a global script')
    .argument('<name>')
    .action((name: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const script = (await api.listGlobalSieveScripts()).find((g) => g.name === name);
        if (script === undefined) throw new UsageError(`there is no global script called ${name}`);
        out.item(script, script.content.trimEnd());
      }),
    );

  global
    .command('set')
    .description('store a global script from a file (it must compile)')
    .argument('<name>')
    .argument('<file>', 'the Sieve script')
    .option('--phase <phase>', 'before | after | none (only for include :global)', 'none')
    .action((name: string, file: string, opts: { phase: string }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        if (!['before', 'after', 'none'].includes(opts.phase)) throw new UsageError('--phase is before, after or none');
        const phase = opts.phase === 'none' ? null : (opts.phase as 'before' | 'after');
        const saved = await api.setGlobalSieveScript({ name, content: readFileSync(file, 'utf8'), phase });
        out.item(saved, `global script ${name} stored${phase === null ? '' : `, run ${phase} every user's script`}`);
      }),
    );

  global
    .command('remove')
    .description('remove a global script')
    .argument('<name>')
    .action((name: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const { removed } = await api.removeGlobalSieveScript({ name });
        out.item({ removed }, removed ? `global script ${name} removed` : `there was no global script ${name}`);
      }),
    );
}
