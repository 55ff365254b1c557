// Linking (RFC 6609): loads and compiles every script a script may include, through an injected
// loader, before the run, so the run itself never waits and never fails to find a script.
//
// Invariants:
// - A missing script is an error at the include that names it, unless it is :optional.
// - Circular inclusion is an error (RFC 6609 §3.2), detected on the include path; paths deeper
//   than MAX_INCLUDE_DEPTH and more than MAX_INCLUDED_SCRIPTS scripts are errors too (the run
//   checks depth again, since a script explored once is not explored again on a deeper path).
// - Errors inside an included script are reported at the include command of the script that
//   includes it, with the included script's own line and column in the message.

import { SieveCompileError, SieveError } from './errors.js';
import { MAX_INCLUDE_DEPTH, MAX_INCLUDED_SCRIPTS } from './limits.js';
import { scriptKey, type CompiledScript, type IncludeReference, type Program, type ScriptLocation } from './runtime.js';

/** Returns a script's source, or null when no such script exists. */
export type ScriptLoader = (location: ScriptLocation, name: string) => Promise<string | null>;
export type ScriptCompiler = (source: string, location: ScriptLocation, name: string) => CompiledScript;

export async function linkProgram(main: CompiledScript, loader: ScriptLoader, compile: ScriptCompiler): Promise<Program> {
  const scripts = new Map<string, CompiledScript>();
  // Scripts whose includes were all explored: a cycle through one would have been found then.
  const done = new Set<string>();
  const fail = (ref: IncludeReference, message: string): never => {
    throw new SieveCompileError([new SieveError(message, ref.position)]);
  };

  const visit = async (script: CompiledScript, path: string[]): Promise<void> => {
    for (const ref of script.includes) {
      const key = scriptKey(ref.location, ref.name);
      const label = `${ref.location} script "${ref.name}"`;
      if (path.includes(key)) fail(ref, `${label} includes itself (circular include).`);
      if (path.length >= MAX_INCLUDE_DEPTH) fail(ref, `includes nested more than ${MAX_INCLUDE_DEPTH} deep.`);
      let child = scripts.get(key);
      if (child === undefined) {
        if (scripts.size >= MAX_INCLUDED_SCRIPTS) fail(ref, `more than ${MAX_INCLUDED_SCRIPTS} included scripts.`);
        const source = await loader(ref.location, ref.name);
        if (source === null) {
          if (ref.optional) continue;
          fail(ref, `${label} does not exist.`);
        }
        try {
          child = compile(source as string, ref.location, ref.name);
        } catch (e) {
          if (!(e instanceof SieveCompileError)) throw e;
          fail(ref, `${label} has errors: ${e.errors.map((x) => x.message).join('; ')}`);
        }
        scripts.set(key, child as CompiledScript);
      }
      if (!done.has(key)) await visit(child as CompiledScript, [...path, key]);
    }
    done.add(path[path.length - 1]);
  };

  await visit(main, [scriptKey(main.location, main.name)]);
  return { main, scripts };
}
