// Public surface of the Sieve engine: compile a script (syntax and validation errors with line
// and column), link the scripts it includes through a loader, run it against a message view and
// get the actions back; decide whether a vacation action should really answer. Independent of
// the store: delivery supplies the message, the environment and the loaders.

import { SieveCompileError, SieveError } from './errors.js';
import { DEFAULT_REGISTRY } from './extensions.js';
import { MAX_SCRIPT_SIZE } from './limits.js';
import { linkProgram, type ScriptLoader } from './link.js';
import { parseScript } from './parser.js';
import { ScriptCache } from './script-cache.js';
import type { CompiledScript, Program, ScriptLocation } from './runtime.js';
import { validateScript, type CompileOptions } from './validator.js';

export { SieveCompileError, SieveError, SieveRuntimeError, type Position } from './errors.js';
export type { SieveAction, VacationAction } from './actions.js';
export type { SieveBodyPart, SieveEnvelope, SieveEnvironment, SieveMessage } from './message.js';
export { mimeSieveMessage } from './mime-message.js';
export { runProgram, type CompiledScript, type Program, type ScriptLocation, type SieveResult } from './runtime.js';
export type { ScriptLoader } from './link.js';
export type { ScriptCache } from './script-cache.js';
export * from './limits.js';
export { decideVacationReply, type VacationDecision, type VacationReplyLog, type VacationRequest } from './vacation-reply.js';

/** Capability names for ManageSieve's SIEVE line and for `require`. */
export const SIEVE_EXTENSIONS: readonly string[] = DEFAULT_REGISTRY.capabilityNames();

/** Compiles one script; throws SieveCompileError listing each problem with its line and column. */
export function compileScript(source: string, options: CompileOptions = {}): CompiledScript {
  const size = Buffer.byteLength(source, 'utf8');
  if (size > MAX_SCRIPT_SIZE) {
    throw new SieveCompileError([new SieveError(`the script is ${size} bytes; the limit is ${MAX_SCRIPT_SIZE}.`, { line: 1, column: 1 })]);
  }
  let tree;
  try {
    tree = parseScript(source);
  } catch (e) {
    if (e instanceof SieveError) throw new SieveCompileError([e]);
    throw e;
  }
  return validateScript(DEFAULT_REGISTRY, tree, options);
}

/** The problems of a script (empty when it compiles), for CHECKSCRIPT and the GUI. */
export function checkScript(source: string): SieveError[] {
  try {
    compileScript(source);
    return [];
  } catch (e) {
    if (e instanceof SieveCompileError) return [...e.errors];
    throw e;
  }
}

const compileAt = (source: string, location: ScriptLocation, name: string): CompiledScript => compileScript(source, { location, name });

/** A cache of compiled scripts for callers that run the same scripts again and again (delivery). */
export function createScriptCache(limit?: number): ScriptCache {
  return new ScriptCache(compileAt, limit);
}

/**
 * Compiles a script and every script it includes (through `cache` when given). Without a loader,
 * a script that includes another (other than :optional) is refused.
 */
export async function loadProgram(source: string, options: CompileOptions & { loader?: ScriptLoader; cache?: ScriptCache } = {}): Promise<Program> {
  const { cache } = options;
  const compile = cache === undefined ? compileAt : (s: string, l: ScriptLocation, n: string) => cache.get(s, l, n);
  const main = compile(source, options.location ?? 'personal', options.name ?? 'main');
  return linkProgram(main, options.loader ?? (async () => null), compile);
}
