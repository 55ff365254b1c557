// The script commands (RFC 5804 §2.5-2.12): HAVESPACE, PUTSCRIPT, CHECKSCRIPT, LISTSCRIPTS,
// SETACTIVE, GETSCRIPT, DELETESCRIPT, RENAMESCRIPT, over the injected script repository.
//
// Rules: a script is stored only when it compiles; its errors come back in the NO text with line
// and column. Names follow RFC 5804 §1.6; size and count are bounded by MAX_SCRIPT_SIZE and
// MAX_SCRIPTS_PER_ACCOUNT (QUOTA/MAXSIZE, QUOTA/MAXSCRIPTS). The active script cannot be deleted
// (ACTIVE); missing scripts are NONEXISTENT, rename targets that exist ALREADYEXISTS.

import { checkScript } from '../index.js';
import { MAX_SCRIPT_SIZE } from '../limits.js';
import { MAX_SCRIPTS_PER_ACCOUNT, scriptNameProblem } from './repository.js';
import { encodeString, ManageSieveNo, response } from './responses.js';
import { strings, type Command, type Session } from './context.js';

function account(session: Session): number {
  if (session.state.kind !== 'authenticated') throw new ManageSieveNo('Authenticate first');
  return session.state.accountId;
}

function checkName(name: string): void {
  const problem = scriptNameProblem(name);
  if (problem !== null) throw new ManageSieveNo(`Bad script name: ${problem}`);
}

const tooMany = (): ManageSieveNo => new ManageSieveNo(`At most ${MAX_SCRIPTS_PER_ACCOUNT} scripts per account`, 'QUOTA/MAXSCRIPTS');

/** Refuses a script of `size` bytes under `name` when it would break the quota. */
async function checkSpace(session: Session, name: string, size: number): Promise<void> {
  if (size > MAX_SCRIPT_SIZE) throw new ManageSieveNo(`Scripts are limited to ${MAX_SCRIPT_SIZE} bytes`, 'QUOTA/MAXSIZE');
  const scripts = await session.deps.scripts.list(account(session));
  if (!scripts.some((s) => s.name === name) && scripts.length >= MAX_SCRIPTS_PER_ACCOUNT) {
    throw tooMany();
  }
}

function checkCompiles(script: string): void {
  const errors = checkScript(script);
  if (errors.length > 0) throw new ManageSieveNo(errors.map((e) => e.message).join('\r\n'));
}

const AUTHENTICATED: Command['states'] = ['authenticated'];

export const scriptCommands: Record<string, Command> = {
  HAVESPACE: {
    states: AUTHENTICATED,
    async run(session, args) {
      const [name, size] = args;
      if (args.length !== 2 || name.type !== 'string' || size.type !== 'number') throw new ManageSieveNo('Usage: HAVESPACE "name" size');
      checkName(name.value);
      await checkSpace(session, name.value, size.value);
      await session.connection.write(response('OK'));
    },
  },
  PUTSCRIPT: {
    states: AUTHENTICATED,
    async run(session, args) {
      const [name, script] = strings(args, 2, 'PUTSCRIPT "name" {N+} script');
      checkName(name);
      await checkSpace(session, name, Buffer.byteLength(script, 'utf8'));
      checkCompiles(script);
      if ((await session.deps.scripts.put(account(session), name, script)) === 'too-many') throw tooMany();
      session.log.info('managesieve.putscript', { script: name, bytes: Buffer.byteLength(script, 'utf8') });
      await session.connection.write(response('OK'));
    },
  },
  CHECKSCRIPT: {
    states: AUTHENTICATED,
    async run(session, args) {
      const [script] = strings(args, 1, 'CHECKSCRIPT {N+} script');
      checkCompiles(script);
      await session.connection.write(response('OK'));
    },
  },
  LISTSCRIPTS: {
    states: AUTHENTICATED,
    async run(session, args) {
      strings(args, 0, 'LISTSCRIPTS');
      const scripts = await session.deps.scripts.list(account(session));
      const lines = scripts.map((s) => `${encodeString(s.name)}${s.active ? ' ACTIVE' : ''}\r\n`).join('');
      await session.connection.writeAll([Buffer.from(lines, 'utf8'), response('OK')]);
    },
  },
  SETACTIVE: {
    states: AUTHENTICATED,
    async run(session, args) {
      const [name] = strings(args, 1, 'SETACTIVE "name"');
      const result = await session.deps.scripts.setActive(account(session), name === '' ? null : name);
      if (result === 'missing') throw new ManageSieveNo(`There is no script called ${name}`, 'NONEXISTENT');
      session.log.info('managesieve.setactive', { script: name });
      await session.connection.write(response('OK'));
    },
  },
  GETSCRIPT: {
    states: AUTHENTICATED,
    async run(session, args) {
      const [name] = strings(args, 1, 'GETSCRIPT "name"');
      const script = await session.deps.scripts.get(account(session), name);
      if (script === null) throw new ManageSieveNo(`There is no script called ${name}`, 'NONEXISTENT');
      const literal = `{${Buffer.byteLength(script, 'utf8')}}\r\n${script}\r\n`;
      await session.connection.writeAll([Buffer.from(literal, 'utf8'), response('OK')]);
    },
  },
  DELETESCRIPT: {
    states: AUTHENTICATED,
    async run(session, args) {
      const [name] = strings(args, 1, 'DELETESCRIPT "name"');
      const result = await session.deps.scripts.remove(account(session), name);
      if (result === 'missing') throw new ManageSieveNo(`There is no script called ${name}`, 'NONEXISTENT');
      if (result === 'active') throw new ManageSieveNo('The active script cannot be deleted; deactivate it first', 'ACTIVE');
      session.log.info('managesieve.deletescript', { script: name });
      await session.connection.write(response('OK'));
    },
  },
  RENAMESCRIPT: {
    states: AUTHENTICATED,
    async run(session, args) {
      const [from, to] = strings(args, 2, 'RENAMESCRIPT "old name" "new name"');
      checkName(to);
      const result = await session.deps.scripts.rename(account(session), from, to);
      if (result === 'missing') throw new ManageSieveNo(`There is no script called ${from}`, 'NONEXISTENT');
      if (result === 'exists') throw new ManageSieveNo(`A script called ${to} already exists`, 'ALREADYEXISTS');
      await session.connection.write(response('OK'));
    },
  },
};
