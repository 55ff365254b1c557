// `mailroom admin reset-password`: forget the admin GUI's password; the next `serve` prints a one-time
// setup link (README "First run").
import type { Command } from 'commander';
import { withSession, type CliEnv } from './session.js';

export function registerAdmin(program: Command, env: CliEnv) {
  const admin = program.command('admin').description("the admin GUI's own login");
  admin
    .command('reset-password')
    .description('forget the admin password; the next serve prints a setup link')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async (session, out) => {
        await session.forgetAdminPassword();
        out.done('admin password removed; the next `mailroom serve` prints a one-time setup link');
      }),
    );
}
