// The Sieve validator: checks a parsed script against a registry and turns it into the validated
// tree the interpreter runs (RFC 5228 §3.2, §2.6, §2.7 and each extension's syntax).
//
// Invariants:
// - `require` may only appear before every other command, at the top level, with constant names
//   of known capabilities; a command, test or tag of an extension that was not required is an
//   error naming the capability to require.
// - Tagged arguments come before positional ones; a tag is known to the command (or one of its
//   groups), appears once, at most one per group, and is followed by its value when it takes one.
// - Match type and comparator are resolved here (constant names only) into node.data.matcher.
// - Strings are compiled into templates with the script's encoded-character/variables choice.
// - All problems are collected (up to MAX_REPORTED_ERRORS) with their line and column.

import type { Argument, CommandNode, StringArgument, TestNode } from './ast.js';
import { ASCII_CASEMAP } from './comparators.js';
import { SieveCompileError, SieveError, type Position } from './errors.js';
import { RELATIONS, type MatchType, type Relation } from './match.js';
import { addressPartOf, prepareNodeKeys } from './match-test.js';
import type { Registry } from './registry.js';
import type { CompiledScript, IncludeReference, ScriptLocation } from './runtime.js';
import type { CommandSpec, CompileContext, StringListValue, StringValue, TagSpec, TestSpec, ValidatedNode, ValidationContext, Value, ValueType } from './spec.js';
import { compileTemplate, constantText, type TemplateOptions } from './template.js';

const MAX_REPORTED_ERRORS = 20;

class Validator implements ValidationContext {
  readonly errors: SieveError[] = [];
  readonly requires = new Set<string>();
  readonly includes: IncludeReference[] = [];
  private options: TemplateOptions = { encodedCharacter: false, variables: false };

  constructor(private readonly registry: Registry) {}

  error(message: string, position: Position): void {
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(new SieveError(message, position));
  }

  script(commands: CommandNode[]): ValidatedNode[] {
    let i = 0;
    for (; i < commands.length && commands[i].name === 'require'; i++) this.require(commands[i]);
    this.options = { encodedCharacter: this.requires.has('encoded-character'), variables: this.requires.has('variables') };
    return this.block(commands.slice(i));
  }

  private require(node: CommandNode): void {
    const [arg] = node.args;
    if (node.args.length !== 1 || (arg.type !== 'string' && arg.type !== 'string-list') || node.block !== null || node.tests.length > 0) {
      this.error('require takes one string or string list of capability names.', node.position);
      return;
    }
    for (const item of arg.type === 'string' ? [arg] : arg.items) this.addCapability(item.value, item.position);
  }

  private addCapability(name: string, position: Position): void {
    const ext = this.registry.capabilities.get(name);
    if (ext === undefined) {
      this.error(`unknown extension "${name}".`, position);
      return;
    }
    this.requires.add(name);
    for (const implied of ext.implies ?? []) this.requires.add(implied);
  }

  private block(commands: readonly CommandNode[]): ValidatedNode[] {
    const out: ValidatedNode[] = [];
    let previous: CommandSpec | null = null;
    for (const c of commands) {
      const node = this.command(c, previous);
      previous = node === null ? null : (node.spec as CommandSpec);
      if (node !== null) out.push(node);
    }
    return out;
  }

  private command(c: CommandNode, previous: CommandSpec | null): ValidatedNode | null {
    if (c.name === 'require') {
      this.error('require must come before every other command, at the top of the script.', c.position);
      return null;
    }
    const spec = this.registry.commands.get(c.name);
    if (spec === undefined) {
      const hint = this.registry.tests.has(c.name) ? ` ("${c.name}" is a test; use it inside if)` : '';
      this.error(`unknown command "${c.name}"${hint}.`, c.position);
      return null;
    }
    if (!this.available(spec.extension, `command "${c.name}"`, c.position)) return null;
    if ((spec.control === 'elsif' || spec.control === 'else') && previous?.control !== 'if' && previous?.control !== 'elsif') {
      this.error(`${c.name} must follow if or elsif.`, c.position);
      return null;
    }
    const node = this.node(spec, c);
    if (spec.test && (c.tests.length !== 1 || c.testList)) this.error(`${c.name} needs exactly one test.`, c.position);
    if (!spec.test && c.tests.length > 0) this.error(`${c.name} takes no test.`, c.tests[0].position);
    if (spec.block && c.block === null) this.error(`${c.name} needs a block in "{ }".`, c.position);
    if (!spec.block && c.block !== null) this.error(`${c.name} takes no block; end it with ";".`, c.position);
    node.tests = spec.test ? c.tests.map((t) => this.test(t)).filter((t) => t !== null) : [];
    node.block = c.block === null ? null : this.block(c.block);
    spec.validate?.(node, this);
    return node;
  }

  private test(t: TestNode): ValidatedNode | null {
    const spec = this.registry.tests.get(t.name);
    if (spec === undefined) {
      const hint = this.registry.commands.has(t.name) ? ` ("${t.name}" is a command, not a test)` : '';
      this.error(`unknown test "${t.name}"${hint}.`, t.position);
      return null;
    }
    if (!this.available(spec.extension, `test "${t.name}"`, t.position)) return null;
    const node = this.node(spec, t);
    if (spec.tests === 'none' && t.tests.length > 0) this.error(`${t.name} takes no nested test.`, t.tests[0].position);
    if (spec.tests === 'one' && (t.tests.length !== 1 || t.testList)) this.error(`${t.name} needs exactly one test.`, t.position);
    if (spec.tests === 'list' && !t.testList) this.error(`${t.name} needs a test list in "( )".`, t.position);
    node.tests = t.tests.map((x) => this.test(x)).filter((x) => x !== null);
    spec.validate?.(node, this);
    return node;
  }

  private available(extension: string | null, what: string, position: Position): boolean {
    if (extension === null || this.requires.has(extension)) return true;
    this.error(`${what} needs require "${extension}".`, position);
    return false;
  }

  private node(spec: CommandSpec | TestSpec, n: CommandNode | TestNode): ValidatedNode {
    const node: ValidatedNode = { spec, position: n.position, tags: new Map(), args: new Map(), tests: [], block: null, data: {} };
    const known = this.registry.tagsFor(spec);
    const groups = new Map<string, string>();
    const positional: Argument[] = [];
    let unknownTag = false; // its value, if any, would be counted as positional: skip that check
    for (let i = 0; i < n.args.length; i++) {
      const arg = n.args[i];
      if (arg.type !== 'tag') {
        positional.push(arg);
        continue;
      }
      if (positional.length > 0) {
        this.error(`tag ":${arg.name}" must come before the other arguments of ${spec.name}.`, arg.position);
        continue;
      }
      const tag = known.find((t) => t.name === arg.name);
      if (tag === undefined) {
        this.error(`unknown tag ":${arg.name}" for ${spec.name}.`, arg.position);
        unknownTag = true;
        continue;
      }
      if (!this.available(tag.extension, `tag ":${arg.name}"`, arg.position)) {
        if (tag.param !== undefined) i++; // its value is no positional argument
        continue;
      }
      if (node.tags.has(tag.name)) this.error(`tag ":${tag.name}" given twice.`, arg.position);
      if (tag.group !== undefined) {
        const other = groups.get(tag.group);
        if (other !== undefined && other !== tag.name) this.error(`":${tag.name}" cannot be combined with ":${other}".`, arg.position);
        groups.set(tag.group, tag.name);
      }
      node.tags.set(tag.name, tag.param === undefined ? null : this.tagValue(tag, n.args[++i], arg.position, spec));
    }
    if (!unknownTag) this.positional(spec, node, positional, n.position);
    for (const tag of known) if (node.tags.has(tag.name)) tag.validate?.(node, this);
    if (spec.groups?.includes('match-type') || spec.groups?.includes('comparator')) this.matcher(node);
    if (spec.groups?.includes('address-part')) node.data.addressPart = addressPartOf(node.tags);
    return node;
  }

  private tagValue(tag: TagSpec, arg: Argument | undefined, position: Position, spec: CommandSpec | TestSpec): Value | null {
    const value = arg === undefined ? null : this.value(arg, tag.param as ValueType);
    if (value === null) this.error(`tag ":${tag.name}" of ${spec.name} needs a ${tag.param} after it.`, arg?.position ?? position);
    return value;
  }

  private positional(spec: CommandSpec | TestSpec, node: ValidatedNode, given: Argument[], position: Position): void {
    let specs = spec.positional;
    if (specs[0]?.optional === true && given.length < specs.length) specs = specs.slice(1);
    if (given.length !== specs.length) {
      const names = specs.map((p) => `<${p.name}: ${p.type}>`).join(' ');
      this.error(`${spec.name} takes ${specs.length} positional argument${specs.length === 1 ? '' : 's'}${names === '' ? '' : ' ' + names}, not ${given.length}.`, given[specs.length]?.position ?? position);
      return;
    }
    specs.forEach((p, i) => {
      const value = this.value(given[i], p.type);
      if (value === null) this.error(`${spec.name}'s ${p.name} must be a ${p.type}.`, given[i].position);
      else node.args.set(p.name, value);
    });
  }

  private value(arg: Argument, type: ValueType): Value | null {
    if (type === 'number') return arg.type === 'number' ? arg : null;
    if (type === 'string') return arg.type === 'string' ? this.string(arg) : null;
    if (arg.type === 'string') return stringList([this.string(arg)], arg.position);
    if (arg.type === 'string-list') return stringList(arg.items.map((s) => this.string(s)), arg.position);
    return null;
  }

  private string(arg: StringArgument): StringValue {
    const template = compileTemplate(arg.value, this.options, (message) => this.error(message, arg.position));
    return { type: 'string', template, constant: constantText(template), position: arg.position };
  }

  private constant(value: Value | null | undefined, what: string): string | null {
    return constantArgument(this, value, what);
  }

  private matcher(node: ValidatedNode): void {
    let comparator = ASCII_CASEMAP;
    const name = this.constant(node.tags.get('comparator'), 'the comparator name');
    if (name !== null) {
      const found = this.registry.comparators.get(name);
      if (found === undefined) this.error(`unknown comparator "${name}".`, (node.tags.get('comparator') as Value).position);
      else if (found.extension !== null && !this.requires.has(found.extension)) {
        this.error(`comparator "${name}" needs require "${found.extension}".`, (node.tags.get('comparator') as Value).position);
      } else comparator = found.comparator;
    }
    let type: MatchType = { kind: 'is' };
    for (const kind of ['is', 'contains', 'matches'] as const) if (node.tags.has(kind)) type = { kind };
    for (const kind of ['value', 'count'] as const) {
      if (!node.tags.has(kind)) continue;
      const relation = this.constant(node.tags.get(kind), 'the relational operator');
      if (relation !== null && !RELATIONS.includes(relation.toLowerCase() as Relation)) {
        this.error(`"${relation}" is not a relational operator (gt, ge, lt, le, eq, ne).`, (node.tags.get(kind) as Value).position);
      }
      type = { kind, relation: (relation ?? 'eq').toLowerCase() as Relation };
    }
    if ((type.kind === 'contains' || type.kind === 'matches') && comparator.fold === undefined) {
      this.error(`comparator "${comparator.name}" cannot be used with :${type.kind}.`, node.position);
    }
    node.data.matcher = { type, comparator };
  }
}

/** Work done once per compiled script so runs need not: prepared keys, compiled tests (TestSpec.compile). */
function compileNodes(nodes: readonly ValidatedNode[], ctx: CompileContext): void {
  for (const node of nodes) {
    prepareNodeKeys(node);
    if (node.spec.kind === 'test') {
      const compiled = node.spec.compile?.(node, ctx) ?? null;
      if (compiled !== null) node.compiled = compiled;
    }
    compileNodes(node.tests, ctx);
    if (node.block !== null) compileNodes(node.block, ctx);
  }
}

function stringList(items: StringValue[], position: Position): StringListValue {
  const texts = items.map((item) => item.constant);
  const constant = texts.every((t) => t !== null) ? Object.freeze(texts as string[]) : null;
  return { type: 'string-list', items, constant, position };
}

export interface CompileOptions {
  name?: string;
  location?: ScriptLocation;
}

/** Parses and validates; throws SieveCompileError listing every problem found. */
export function validateScript(registry: Registry, commands: CommandNode[], options: CompileOptions = {}): CompiledScript {
  const v = new Validator(registry);
  const validated = v.script(commands);
  if (v.errors.length > 0) throw new SieveCompileError(v.errors);
  const slots = new Map<string, number>();
  const ctx: CompileContext = {
    fieldSlot(name) {
      let slot = slots.get(name);
      if (slot === undefined) slots.set(name, (slot = slots.size));
      return slot;
    },
  };
  compileNodes(validated, ctx);
  return { name: options.name ?? 'main', location: options.location ?? 'personal', requires: v.requires, commands: validated, fieldSlots: slots.size, includes: v.includes };
}

/** A constant string argument's text (validation helper for specs), reporting variables as errors. */
export function constantArgument(ctx: ValidationContext, value: Value | null | undefined, what: string): string | null {
  if (value === undefined || value === null || value.type !== 'string') return null;
  const text = value.constant;
  if (text === null) ctx.error(`${what} must be a constant string, without variables.`, value.position);
  return text;
}
