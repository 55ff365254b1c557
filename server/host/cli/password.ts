// Where `user add` and `user passwd` get the password: the first line of standard input with
// --password-stdin (scripts), else a hidden prompt asked twice on the terminal (@inquirer/password,
// written to stderr so stdout stays clean for --json). Without either the command is a usage error.
import { Interrupted, UsageError } from './errors.js';

/** `confirm`: ask twice (a new password); an existing one (an old server's) is asked once. */
export async function readPassword(fromStdin: boolean, confirm = true): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  }
  if (!process.stdin.isTTY) throw new UsageError('give the password with --password-stdin');
  const first = await ask('Password:');
  if (!confirm) return first;
  const second = await ask('Repeat password:');
  if (first !== second) throw new UsageError('the passwords do not match');
  return first;
}

async function ask(message: string): Promise<string> {
  // Loaded only when a terminal asks: scripts (--password-stdin) never pay for it.
  const { default: password } = await import('@inquirer/password');
  try {
    return await password({ message, mask: true }, { output: process.stderr });
  } catch (error) {
    // Ctrl-C at the prompt
    if ((error as Error).name === 'ExitPromptError') throw new Interrupted('interrupted');
    throw error;
  }
}
