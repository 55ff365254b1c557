// Shared helpers for the Sieve engine tests: messages from text, a default environment, running
// a script and summarising its actions as short strings tests can compare structurally.

import { toCrlf } from '../../../server/mime/crlf.js';
import {
  checkScript,
  loadProgram,
  mimeSieveMessage,
  runProgram,
  type ScriptLoader,
  type SieveAction,
  type SieveEnvironment,
  type SieveMessage,
  type SieveResult,
} from '../../../server/sieve/index.js';

export const MESSAGE = `From: Alice <alice@example.org>
To: Bob <bob@example.com>
Subject: Hello there
Date: Tue, 01 Dec 2026 09:30:00 +0100
Message-ID: <m1@example.org>

Hi Bob,
how are you?
`;

export function message(text: string): SieveMessage {
  return mimeSieveMessage(toCrlf(Buffer.from(text, 'utf8')));
}

export function environment(overrides: Partial<SieveEnvironment> = {}): SieveEnvironment {
  return {
    envelope: { from: 'alice@example.org', to: 'bob@example.com' },
    now: new Date('2026-12-02T10:00:00Z'),
    ...overrides,
  };
}

export async function run(script: string, text = MESSAGE, env: Partial<SieveEnvironment> = {}, loader?: ScriptLoader): Promise<SieveResult> {
  const program = await loadProgram(script, { loader });
  return runProgram(program, message(text), environment(env));
}

export function brief(action: SieveAction): string {
  switch (action.type) {
    case 'keep':
      return `${action.implicit ? 'implicit keep' : 'keep'}${action.flags.length > 0 ? ` [${action.flags.join(' ')}]` : ''}`;
    case 'fileinto':
      return `fileinto ${action.mailbox}${action.copy ? ' :copy' : ''}${action.create ? ' :create' : ''}${action.flags.length > 0 ? ` [${action.flags.join(' ')}]` : ''}`;
    case 'redirect':
      return `redirect ${action.address}${action.copy ? ' :copy' : ''}`;
    case 'discard':
      return 'discard';
    case 'reject':
      return `${action.extended ? 'ereject' : 'reject'} ${action.reason}`;
    case 'vacation':
      return `vacation ${action.periodSeconds}s`;
  }
}

/** The actions of a successful run, summarised; fails the test when the run failed. */
export async function actions(script: string, text = MESSAGE, env: Partial<SieveEnvironment> = {}, loader?: ScriptLoader): Promise<string[]> {
  const result = await run(script, text, env, loader);
  if (result.error !== null) throw result.error;
  return result.actions.map(brief);
}

/** Compile errors as "line L, column C: ..." strings. */
export function errors(script: string): string[] {
  return checkScript(script).map((e) => e.message);
}

/** Whether the script's test passes: `if <test> { fileinto "yes"; }` style scripts. */
export async function passes(requires: string, test: string, text = MESSAGE, env: Partial<SieveEnvironment> = {}): Promise<boolean> {
  const list = await actions(`${requires === '' ? '' : `require [${requires}];\n`}if ${test} { discard; }`, text, env);
  return list.includes('discard');
}
