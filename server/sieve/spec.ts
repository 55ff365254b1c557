// The shapes extensions are made of (as Pigeonhole's ext-*.c register objects): command and test
// specifications with their positional arguments and tagged arguments, tag groups shared between
// tests (match type, comparator, address part), and the validated tree the interpreter walks.
//
// Invariants:
// - A spec's `extension` is the capability a script must `require` to use it (null: RFC 5228 base).
// - A tag belongs either to one command (TagSpec with `commands`) or to a group that commands opt
//   into; at most one tag of a group may appear on one command.
// - Validated nodes hold only checked arguments: every positional named in the spec is present
//   with its declared type (a single string where a string-list is expected becomes a list).

import type { Position } from './errors.js';
import type { Comparator } from './comparators.js';
import type { ActionList, SieveAction } from './actions.js';
import type { SieveEnvironment, SieveMessage } from './message.js';
import type { ValueList } from './match.js';
import type { Template } from './template.js';

export type ValueType = 'string' | 'string-list' | 'number';

export interface TagSpec {
  /** Lower-case, without ':'. */
  name: string;
  extension: string | null;
  /** The value that follows the tag, if it takes one. */
  param?: ValueType;
  /** Tags of one group exclude each other ('match-type', 'comparator', 'address-part', ...). */
  group?: string;
  /** Checks of the tag's use, run when it is present (":last needs :index"). */
  validate?(node: ValidatedNode, ctx: ValidationContext): void;
}

export interface PositionalSpec {
  name: string;
  type: ValueType;
  /** Only the first positional may be optional (imap4flags' variable name). */
  optional?: boolean;
}

interface BaseSpec {
  name: string;
  extension: string | null;
  positional: PositionalSpec[];
  /** Tags only this command takes. */
  tags?: TagSpec[];
  /** Tag groups this command accepts. */
  groups?: string[];
  /** Further checks after the generic ones (constant values, ranges, combinations). */
  validate?(node: ValidatedNode, ctx: ValidationContext): void;
}

export interface CommandSpec extends BaseSpec {
  kind: 'command';
  /** Whether the command takes a block ("if", "else") or must end with ";". */
  block: boolean;
  /** Whether a single test follows the arguments ("if", "elsif"). */
  test: boolean;
  /** if/elsif/else are chained by the interpreter. */
  control?: 'if' | 'elsif' | 'else';
  run(node: ValidatedNode, rt: Interpreter): void;
}

export interface TestSpec extends BaseSpec {
  kind: 'test';
  tests: 'none' | 'one' | 'list';
  evaluate(node: ValidatedNode, rt: Interpreter): boolean;
  /**
   * Optional: the node's evaluation prepared once per compiled script (constant arguments read,
   * keys folded); null when this node needs the general `evaluate`. Must behave exactly as it.
   */
  compile?(node: ValidatedNode, ctx: CompileContext): CompiledTest | null;
}

/** What TestSpec.compile may ask of the compiler. */
export interface CompileContext {
  /** The script's slot for the header called `name` (lower-case): see Interpreter.fieldAt. */
  fieldSlot(name: string): number;
}

export interface MailAddress {
  local: string;
  domain: string;
}

export type AddressPartName = 'localpart' | 'domain' | 'user' | 'detail' | 'all';

/**
 * One header's fields during a run (Interpreter.field; match-test.ts's RunFields makes them): the
 * raw values, and what tests derive from them, each computed the first time a test asks.
 */
export interface FieldValues {
  readonly raw: readonly string[];
  /** Decoded texts, one per field. */
  texts(): ValueList;
  /** Parsed addresses, one list per field. */
  addresses(): readonly MailAddress[][];
  /** The `part` of every address of every field, in order; addresses without that part give nothing. */
  parts(part: AddressPartName): ValueList;
}

/** A test node's evaluation, prepared at compile time (TestSpec.compile). */
export type CompiledTest = (rt: Interpreter) => boolean;

/** A tag an extension adds to commands or tests another module defines (":copy" on redirect). */
export interface TagExtension {
  commands: string[];
  tag: TagSpec;
}

export interface Extension {
  /** The capability string as written in `require`. */
  name: string;
  commands?: CommandSpec[];
  tests?: TestSpec[];
  /** Tags joining a group (relational's :count and :value join 'match-type'). */
  groupTags?: TagSpec[];
  /** Tags joining particular commands. */
  commandTags?: TagExtension[];
  comparators?: Comparator[];
  /** Capabilities requiring this one brings along (vacation-seconds brings vacation, RFC 6131 §2). */
  implies?: string[];
}

export interface StringValue {
  type: 'string';
  template: Template;
  /** The text when the template holds no reference (computed once, so runs do not expand it). */
  constant: string | null;
  position: Position;
}

export interface StringListValue {
  type: 'string-list';
  items: StringValue[];
  /** The texts when no item holds a reference; shared by every run, never to be changed. */
  constant: readonly string[] | null;
  position: Position;
}

export interface NumberValue {
  type: 'number';
  value: number;
  position: Position;
}

export type Value = StringValue | StringListValue | NumberValue;

export interface ValidatedNode {
  spec: CommandSpec | TestSpec;
  position: Position;
  /** Tags present, each with its value (null when the tag takes none). */
  tags: Map<string, Value | null>;
  /** Positional arguments by the spec's names. */
  args: Map<string, Value>;
  tests: ValidatedNode[];
  block: ValidatedNode[] | null;
  /** Compile-time data a spec's validate() derived (comparator, parsed constant, ...). */
  data: Record<string, unknown>;
  /** Set on tests once the script validated, when the spec compiled this node (TestSpec.compile). */
  compiled?: CompiledTest;
}

export interface ValidationContext {
  /** Capabilities the script required. */
  readonly requires: ReadonlySet<string>;
  error(message: string, position: Position): void;
  /** Include commands found, for linking (RFC 6609). */
  readonly includes: IncludeReference[];
}

export type ScriptLocation = 'personal' | 'global';

export interface IncludeReference {
  location: ScriptLocation;
  name: string;
  optional: boolean;
  position: Position;
}

/**
 * What a command or test may ask of the interpreter while it runs (runtime.ts's Runtime implements
 * it): declared here so specs and the interpreter do not import each other.
 */
export interface Interpreter {
  readonly actions: ActionList;
  /** RFC 5232 internal variable: the flags keep/fileinto use when they have no :flags. */
  flags: string[];
  readonly message: SieveMessage;
  readonly env: SieveEnvironment;
  runBlock(commands: readonly ValidatedNode[]): void;
  test(node: ValidatedNode): boolean;
  stop(): never;
  returnFromInclude(): never;
  fail(message: string, position: Position): never;
  addAction(action: SieveAction): void;
  /** The fields called `name` (case-insensitive) in the message, with what tests derive from them kept for the run. */
  field(name: string): FieldValues;
  /** field(name) through a slot of the running script (CompileContext.fieldSlot), with no lookup by name. */
  fieldAt(slot: number, name: string): FieldValues;
  has(capability: string): boolean;
  expand(v: StringValue): string;
  expandList(v: StringListValue): readonly string[];
  /** Argument readers: a positional (str, list, num) or a tag's value (null when the tag is absent). */
  str(node: ValidatedNode, name: string): string;
  list(node: ValidatedNode, name: string): readonly string[];
  num(node: ValidatedNode, name: string): number;
  tagStr(node: ValidatedNode, name: string): string | null;
  tagList(node: ValidatedNode, name: string): readonly string[] | null;
  tagNum(node: ValidatedNode, name: string): number | null;
  variable(name: string): string;
  setVariable(name: string, value: string, position: Position): void;
  declareGlobal(name: string): void;
  setMatches(captures: string[] | null): void;
  include(location: ScriptLocation, name: string, once: boolean, position: Position): void;
}
