// The Sieve interpreter: runs a linked program (a script and the scripts it includes) against one
// message and returns the actions delivery should carry out. It never touches the store.
//
// Invariants:
// - The run is bounded: MAX_STEPS commands and tests in all, plus the action limits of
//   actions.ts; exceeding one is a run-time error.
// - A run-time error never loses mail: the result is then a single implicit keep (with no
//   flags) and the error, whose position says where the script failed (RFC 5228 §2.10.6).
// - Variables (RFC 5229) live per script; names declared `global` (RFC 6609 §3.4) share one
//   scope across the run. The imap4flags internal variable is shared by all scripts of the run.
// - `stop` ends the whole run; `return` ends the current included script (RFC 6609 §3.3).
// - What a run learns about the message (each header's decoded texts, addresses, folded forms:
//   FieldValues) lives in the Runtime, made afresh per run; the compiled program, shared by every
//   run, holds only what the script text fixes (prepared keys, compiled tests, header slot
//   numbers). Slots are numbered per script, so each scope has its own slot array.

import { ActionList, type SieveAction } from './actions.js';
import { SieveRuntimeError, type Position } from './errors.js';
import { RunFields } from './match-test.js';
import { MAX_INCLUDE_DEPTH, MAX_MATCH_VALUES, MAX_STEPS, MAX_VARIABLE_SIZE, MAX_VARIABLES } from './limits.js';
import type { SieveEnvironment, SieveMessage } from './message.js';
import type { FieldValues, IncludeReference, Interpreter, ScriptLocation, StringListValue, StringValue, ValidatedNode, Value } from './spec.js';

export type { IncludeReference, ScriptLocation };
import { expandTemplate } from './template.js';

export interface CompiledScript {
  name: string;
  location: ScriptLocation;
  requires: ReadonlySet<string>;
  commands: ValidatedNode[];
  /** How many header slots the script's compiled tests use (CompileContext.fieldSlot). */
  fieldSlots: number;
  /** Every include command of the script, for linking. */
  includes: IncludeReference[];
}

/** A script with every script it may include, compiled (see link.ts). */
export interface Program {
  main: CompiledScript;
  /** By scriptKey(location, name); an absent optional script has no entry. */
  scripts: ReadonlyMap<string, CompiledScript>;
}

export function scriptKey(location: ScriptLocation, name: string): string {
  return `${location}:${name}`;
}

export interface SieveResult {
  actions: SieveAction[];
  /** Set when the script failed; the actions are then the implicit keep alone. */
  error: SieveRuntimeError | null;
  /** The name of the script an action came from (null for the implicit keep), for the trace. */
  scriptOf(action: SieveAction): string | null;
}

class StopSignal {}
class ReturnSignal {}

interface Scope {
  script: CompiledScript;
  /** Made on the first variable. */
  locals: Map<string, string> | null;
  globals: Set<string> | null;
  /** The script's header slots (fieldAt). */
  fields: Array<FieldValues | undefined>;
}

const newScope = (script: CompiledScript): Scope => ({ script, locals: null, globals: null, fields: new Array<FieldValues | undefined>(script.fieldSlots) });

function truncateUtf8(s: string, max: number): string {
  if (s.length * 3 <= max || Buffer.byteLength(s, 'utf8') <= max) return s;
  let cut = Buffer.from(s, 'utf8').subarray(0, max).toString('utf8');
  if (cut.endsWith('\ufffd')) cut = cut.slice(0, -1);
  return cut;
}

export class Runtime implements Interpreter {
  readonly actions = new ActionList();
  /** RFC 5232 internal variable: the flags keep/fileinto use when they have no :flags. */
  flags: string[] = [];
  private matches: string[] = [];
  // made when first needed: most runs declare no global, include nothing once, and add no action
  private globals: Map<string, string> | null = null;
  private included: Set<string> | null = null;
  private origins: Map<SieveAction, string> | null = null;
  private scope: Scope;
  private steps = 0;
  private depth = 0;
  /** The header fields tests looked at during this run, by lower-case name (see FieldValues). */
  private readonly fields = new Map<string, FieldValues>();

  constructor(
    private readonly program: Program,
    readonly message: SieveMessage,
    readonly env: SieveEnvironment,
  ) {
    this.scope = newScope(program.main);
  }

  run(): SieveResult {
    const scriptOf = (action: SieveAction) => this.origins?.get(action) ?? null;
    try {
      this.runScript(this.program.main, this.scope);
    } catch (e) {
      if (e instanceof StopSignal) return { actions: this.actions.finish(this.flags), error: null, scriptOf };
      if (e instanceof SieveRuntimeError) return { actions: [{ type: 'keep', flags: [], implicit: true, position: null }], error: e, scriptOf };
      throw e;
    }
    return { actions: this.actions.finish(this.flags), error: null, scriptOf };
  }

  private runScript(script: CompiledScript, scope: Scope): void {
    const saved = this.scope;
    this.scope = scope;
    try {
      this.runBlock(script.commands);
    } catch (e) {
      if (e instanceof SieveRuntimeError) e.script ??= script.name;
      if (!(e instanceof ReturnSignal)) throw e;
    } finally {
      this.scope = saved;
    }
  }

  runBlock(commands: readonly ValidatedNode[]): void {
    let chain: boolean | null = null; // null: not inside an if chain; true once a branch ran
    for (const node of commands) {
      this.step(node.position);
      const spec = node.spec;
      if (spec.kind !== 'command') continue;
      if (spec.control === 'if' || (spec.control === 'elsif' && chain === false)) {
        chain = this.test(node.tests[0]);
        if (chain && node.block !== null) this.runBlock(node.block);
      } else if (spec.control === 'elsif') {
        // an earlier branch ran: skip
      } else if (spec.control === 'else') {
        if (chain === false && node.block !== null) this.runBlock(node.block);
        chain = null;
      } else {
        chain = null;
        spec.run(node, this);
      }
    }
  }

  test(node: ValidatedNode): boolean {
    this.step(node.position);
    if (node.compiled !== undefined) return node.compiled(this);
    if (node.spec.kind !== 'test') throw new SieveRuntimeError(`"${node.spec.name}" is not a test.`, node.position);
    return node.spec.evaluate(node, this);
  }

  private step(position: Position): void {
    if (++this.steps > MAX_STEPS) throw new SieveRuntimeError(`the script ran more than ${MAX_STEPS} steps.`, position);
  }

  stop(): never {
    throw new StopSignal();
  }

  returnFromInclude(): never {
    throw new ReturnSignal();
  }

  fail(message: string, position: Position): never {
    throw new SieveRuntimeError(message, position);
  }

  addAction(action: SieveAction): void {
    (this.origins ??= new Map()).set(action, this.scope.script.name);
    this.actions.add(action, action.position ?? { line: 0, column: 0 });
  }

  field(name: string): FieldValues {
    let found = this.fields.get(name);
    if (found === undefined) {
      const lower = name.toLowerCase();
      found = this.fields.get(lower);
      if (found === undefined) this.fields.set(lower, (found = new RunFields(this.message.headerValues(lower), this.env.subaddressSeparator ?? '+')));
    }
    return found;
  }

  fieldAt(slot: number, name: string): FieldValues {
    return (this.scope.fields[slot] ??= this.field(name));
  }

  /** Whether the running script required `capability`. */
  has(capability: string): boolean {
    return this.scope.script.requires.has(capability);
  }

  // --- arguments -------------------------------------------------------------------------

  expand(v: StringValue): string {
    return v.constant ?? expandTemplate(v.template, (name) => this.variable(name), (i) => this.matches[i] ?? '');
  }

  /** A string list's texts; a constant list is the compiled array itself, which callers must not change. */
  expandList(v: StringListValue): readonly string[] {
    return v.constant ?? v.items.map((s) => this.expand(s));
  }

  private value(node: ValidatedNode, name: string, tag: boolean): Value | undefined {
    return (tag ? node.tags.get(name) : node.args.get(name)) ?? undefined;
  }

  str(node: ValidatedNode, name: string): string {
    return this.expand(this.value(node, name, false) as StringValue);
  }

  list(node: ValidatedNode, name: string): readonly string[] {
    return this.expandList(this.value(node, name, false) as StringListValue);
  }

  num(node: ValidatedNode, name: string): number {
    const v = this.value(node, name, false);
    return v !== undefined && v.type === 'number' ? v.value : 0;
  }

  tagStr(node: ValidatedNode, name: string): string | null {
    const v = this.value(node, name, true);
    return v === undefined || v.type !== 'string' ? null : this.expand(v);
  }

  tagList(node: ValidatedNode, name: string): readonly string[] | null {
    const v = this.value(node, name, true);
    if (v === undefined) return null;
    if (v.type === 'string') return [this.expand(v)];
    return v.type === 'string-list' ? this.expandList(v) : null;
  }

  tagNum(node: ValidatedNode, name: string): number | null {
    const v = this.value(node, name, true);
    return v === undefined || v.type !== 'number' ? null : v.value;
  }

  // --- variables (RFC 5229) --------------------------------------------------------------

  variable(name: string): string {
    const scope = this.scope.globals?.has(name) === true ? this.globals : this.scope.locals;
    return scope?.get(name) ?? '';
  }

  setVariable(name: string, value: string, position: Position): void {
    const scope = this.scope.globals?.has(name) === true ? (this.globals ??= new Map()) : (this.scope.locals ??= new Map());
    if (!scope.has(name) && scope.size >= MAX_VARIABLES) this.fail(`more than ${MAX_VARIABLES} variables.`, position);
    scope.set(name, truncateUtf8(value, MAX_VARIABLE_SIZE));
  }

  declareGlobal(name: string): void {
    (this.scope.globals ??= new Set()).add(name);
  }

  /** Called after a successful :matches (RFC 5229 §3.2). */
  setMatches(captures: string[] | null): void {
    if (captures !== null && this.has('variables')) this.matches = captures.slice(0, MAX_MATCH_VALUES);
  }

  // --- include (RFC 6609) ----------------------------------------------------------------

  include(location: ScriptLocation, name: string, once: boolean, position: Position): void {
    const key = scriptKey(location, name);
    const script = this.program.scripts.get(key);
    if (script === undefined) return; // an :optional script that does not exist
    this.included ??= new Set();
    if (once && this.included.has(key)) return;
    this.included.add(key);
    if (this.depth >= MAX_INCLUDE_DEPTH) this.fail(`includes nested more than ${MAX_INCLUDE_DEPTH} deep.`, position);
    this.depth++;
    try {
      this.runScript(script, newScope(script));
    } finally {
      this.depth--;
    }
  }
}

/** Runs a linked program against a message. Never throws for script errors: see SieveResult. */
export function runProgram(program: Program, message: SieveMessage, env: SieveEnvironment): SieveResult {
  return new Runtime(program, message, env).run();
}
