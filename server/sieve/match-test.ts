// What tests share on the way to the matcher: header values decoded, addresses parsed and cut to
// an address part (RFC 5228 §2.7.4, RFC 5233), the :index field selection (RFC 5260 §6), and
// running the node's match type and comparator over the result.
//
// Invariants:
// - Header values are unfolded and their encoded words decoded (RFC 5228 §2.7.2) through
//   server/mime; addresses are parsed from the raw value, so an encoded display name cannot
//   change the address list.
// - A group's markers and unparseable entries yield no address; an address without a domain
//   has domain "" (:all is then the local part).
// - :index N counts fields of each named header from the top (from the bottom with :last);
//   a field that does not exist contributes nothing.
// - :detail of an address without separator is no value at all (RFC 5233 §4), so it never matches.

import { parseAddressList, MISSING_DOMAIN, MISSING_MAILBOX, SYNTAX_ERROR } from '../mime/address-list.js';
import { decodeLatin1Bytes } from '../mime/charset.js';
import { decodeHeaderValue } from '../mime/encoded-word.js';
import { unfold } from '../mime/header.js';
import { matchPrepared, prepareKeys, ValueList, type Matcher, type PreparedKeys } from './match.js';
import type { AddressPartName, CompileContext, CompiledTest, FieldValues, Interpreter, MailAddress, StringListValue, ValidatedNode } from './spec.js';

/**
 * One header's fields during a run (Runtime.field keeps one per name): the raw values, and their
 * decoded texts, parsed addresses and address parts, each computed the first time a test asks,
 * so many rules reading one header decode it once and compare it folded once. Nothing here
 * outlives the run, and the arrays are never changed.
 */
export class RunFields implements FieldValues {
  private textList: ValueList | null = null;
  private addressList: readonly MailAddress[][] | null = null;
  private partLists: Partial<Record<AddressPartName, ValueList>> | null = null;

  /** `separator`: the run's subaddress separator (RFC 5233), for :user and :detail. */
  constructor(
    readonly raw: readonly string[],
    private readonly separator: string,
  ) {}

  texts(): ValueList {
    return (this.textList ??= new ValueList(this.raw.map(headerText)));
  }

  addresses(): readonly MailAddress[][] {
    return (this.addressList ??= this.raw.map(parseAddresses));
  }

  parts(part: AddressPartName): ValueList {
    const lists = (this.partLists ??= {});
    let found = lists[part];
    if (found === undefined) lists[part] = found = new ValueList(partsOf(this.addresses(), part, this.separator));
    return found;
  }
}

function partsOf(fields: readonly MailAddress[][], part: AddressPartName, separator: string): string[] {
  const out: string[] = [];
  for (const field of fields) {
    for (const a of field) {
      const p = partOf(a, part, separator);
      if (p !== null) out.push(p);
    }
  }
  return out;
}

/** Runs the node's matcher over `values` against its keys (positional "keys" by default). */
export function evaluateMatch(node: ValidatedNode, rt: Interpreter, values: readonly string[] | ValueList, keys?: readonly string[]): boolean {
  const m = node.data.matcher as Matcher;
  const prepared = keys !== undefined ? prepareKeys(m, keys) : ((node.data.keys as PreparedKeys | undefined) ?? prepareKeys(m, rt.list(node, 'keys')));
  const outcome = matchPrepared(m, values instanceof ValueList ? values : new ValueList(values), prepared);
  if (outcome.matched) rt.setMatches(outcome.captures);
  return outcome.matched;
}

/** Compile-time work on a node with a matcher: its constant "keys" prepared once (evaluateMatch uses them). */
export function prepareNodeKeys(node: ValidatedNode): void {
  const keys = node.args.get('keys');
  if (node.data.matcher !== undefined && keys?.type === 'string-list' && keys.constant !== null) node.data.keys = prepareKeys(node.data.matcher as Matcher, keys.constant);
}

/** Applies :index/:last to the fields of one header (the same array when there is no :index). */
export function selectIndex<T>(node: ValidatedNode, rt: Interpreter, fields: readonly T[]): readonly T[] {
  const index = rt.tagNum(node, 'index');
  if (index === null) return fields;
  const i = node.tags.has('last') ? fields.length - index : index - 1;
  return i >= 0 && i < fields.length ? [fields[i]] : [];
}

/** Decoded texts of the named headers after :index, in the order the names were given. */
export function headerTexts(node: ValidatedNode, rt: Interpreter, names: readonly string[]): readonly string[] | ValueList {
  if (names.length === 1 && !node.tags.has('index')) return rt.field(names[0]).texts();
  return names.flatMap((name) => selectIndex(node, rt, rt.field(name).texts().values));
}

/** The node's address part of each address in the named headers, after :index (which picks a field, not an address). */
export function headerAddressParts(node: ValidatedNode, rt: Interpreter, names: readonly string[]): readonly string[] | ValueList {
  const part = addressPartName(node);
  if (names.length === 1 && !node.tags.has('index')) return rt.field(names[0]).parts(part);
  const separator = rt.env.subaddressSeparator ?? '+';
  return names.flatMap((name) => partsOf(selectIndex(node, rt, rt.field(name).addresses()), part, separator));
}

/** The header names of a test when they are constant (lower-case), else null. */
function constantNames(node: ValidatedNode): readonly string[] | null {
  const names = node.args.get('names') as StringListValue | undefined;
  return names?.constant == null ? null : names.constant.map((n) => n.toLowerCase());
}

/** The node's matcher with its keys prepared once when they are constant. */
function compileMatch(node: ValidatedNode): (rt: Interpreter, values: ValueList) => boolean {
  const m = node.data.matcher as Matcher;
  const keys = node.args.get('keys') as StringListValue;
  const prepared = (node.data.keys as PreparedKeys | undefined) ?? null; // prepareNodeKeys ran first
  const { fold } = m.comparator;
  if (prepared?.folded != null && fold !== undefined) {
    // :is or :contains with constant keys (what most rules are): folded strings compared as
    // matchPrepared does, and no match variables to set
    const ks = prepared.folded;
    if (m.type.kind === 'is') return (_rt, values) => anyEqual(values.folded(fold), ks);
    return (_rt, values) => anyContains(values.folded(fold), ks);
  }
  return (rt, values) => {
    const outcome = matchPrepared(m, values, prepared ?? prepareKeys(m, rt.expandList(keys)));
    if (outcome.matched) rt.setMatches(outcome.captures);
    return outcome.matched;
  };
}

function anyEqual(values: readonly string[], keys: readonly string[]): boolean {
  for (const v of values) for (const k of keys) if (v === k) return true;
  return false;
}

function anyContains(values: readonly string[], keys: readonly string[]): boolean {
  for (const v of values) for (const k of keys) if (v.includes(k)) return true;
  return false;
}

/**
 * header and address tests with constant names and no :index, compiled (null: the spec's
 * evaluate runs instead): the names lower-cased and given slots, the keys prepared, nothing
 * looked up by name at run time.
 */
export function compileHeaderTest(node: ValidatedNode, ctx: CompileContext, what: 'texts' | 'parts'): CompiledTest | null {
  const names = constantNames(node);
  if (names === null || node.tags.has('index')) return null;
  const match = compileMatch(node);
  const part = addressPartName(node);
  if (names.length === 1) {
    const [name] = names;
    const slot = ctx.fieldSlot(name);
    if (what === 'texts') return (rt) => match(rt, rt.fieldAt(slot, name).texts());
    return (rt) => match(rt, rt.fieldAt(slot, name).parts(part));
  }
  const slots = names.map((name) => ctx.fieldSlot(name));
  const values = what === 'texts' ? (f: FieldValues) => f.texts().values : (f: FieldValues) => f.parts(part).values;
  return (rt) => match(rt, new ValueList(names.flatMap((name, i) => values(rt.fieldAt(slots[i], name)))));
}

/** exists with constant names, compiled. */
export function compileExists(node: ValidatedNode, ctx: CompileContext): CompiledTest | null {
  const names = constantNames(node);
  if (names === null) return null;
  const slots = names.map((name) => ctx.fieldSlot(name));
  return (rt) => {
    for (let i = 0; i < names.length; i++) if (rt.fieldAt(slots[i], names[i]).raw.length === 0) return false;
    return true;
  };
}

/** Decoded text of a raw header value, without trailing whitespace (as Pigeonhole compares it). */
export function headerText(raw: string): string {
  return decodeHeaderValue(raw).trimEnd();
}

/** The addresses in a raw header value. */
export function parseAddresses(raw: string): MailAddress[] {
  const out: MailAddress[] = [];
  for (const a of parseAddressList(unfold(raw))) {
    // group markers have no domain; real addresses always get one (or a placeholder)
    if (a.mailbox === null || a.domain === null || a.mailbox === MISSING_MAILBOX || a.mailbox === SYNTAX_ERROR) continue;
    const domain = a.domain === MISSING_DOMAIN ? '' : a.domain;
    out.push({ local: decodeLatin1Bytes(a.mailbox), domain: decodeLatin1Bytes(domain) });
  }
  return out;
}

/** An envelope address ("" is the null sender) as a MailAddress, or null for the null sender. */
export function envelopeAddress(value: string): MailAddress | null {
  const trimmed = value.replace(/^<|>$/g, '');
  if (trimmed === '') return null;
  const at = trimmed.lastIndexOf('@');
  return at === -1 ? { local: trimmed, domain: '' } : { local: trimmed.slice(0, at), domain: trimmed.slice(at + 1) };
}

const ADDRESS_PARTS = ['localpart', 'domain', 'user', 'detail'] as const satisfies readonly AddressPartName[];

/** The address-part tag among `tags` (RFC 5228 §2.7.4, RFC 5233), "all" by default; the validator keeps it in node.data. */
export function addressPartOf(tags: ReadonlyMap<string, unknown>): AddressPartName {
  return ADDRESS_PARTS.find((p) => tags.has(p)) ?? 'all';
}

const addressPartName = (node: ValidatedNode): AddressPartName => (node.data.addressPart as AddressPartName | undefined) ?? addressPartOf(node.tags);

/** The part of `a` the node's address-part tag selects; null when that part does not exist. */
export function addressPart(node: ValidatedNode, rt: Interpreter, a: MailAddress | null): string | null {
  return a === null ? '' : partOf(a, addressPartName(node), rt.env.subaddressSeparator ?? '+');
}

function partOf(a: MailAddress, part: AddressPartName, separator: string): string | null {
  switch (part) {
    case 'localpart':
      return a.local;
    case 'domain':
      return a.domain;
    case 'user': {
      const cut = a.local.indexOf(separator);
      return cut === -1 ? a.local : a.local.slice(0, cut);
    }
    case 'detail': {
      const cut = a.local.indexOf(separator);
      return cut === -1 ? null : a.local.slice(cut + separator.length);
    }
    case 'all':
      return a.domain === '' ? a.local : `${a.local}@${a.domain}`;
  }
}
