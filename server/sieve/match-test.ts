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
import { matchValues, type Matcher } from './match.js';
import type { Interpreter, ValidatedNode } from './spec.js';

export interface MailAddress {
  local: string;
  domain: string;
}

/** Runs the node's matcher over `values` against its keys (positional "keys" by default). */
export function evaluateMatch(node: ValidatedNode, rt: Interpreter, values: readonly string[], keys: readonly string[] = rt.list(node, 'keys')): boolean {
  const outcome = matchValues(node.data.matcher as Matcher, values, keys, (list, fold) => rt.memo(fold, list, (l) => l.map(fold)));
  if (outcome.matched) rt.setMatches(outcome.captures);
  return outcome.matched;
}

/** Applies :index/:last to the fields of one header (the same array when there is no :index). */
export function selectIndex<T>(node: ValidatedNode, rt: Interpreter, fields: readonly T[]): readonly T[] {
  const index = rt.tagNum(node, 'index');
  if (index === null) return fields;
  const i = node.tags.has('last') ? fields.length - index : index - 1;
  return i >= 0 && i < fields.length ? [fields[i]] : [];
}

// Decoded texts, parsed addresses and address parts of the message's fields, kept for the run by
// the field's values array: a message view that returns the same array for a field each time
// (mime-message.ts does) is decoded once per field however many rules look at it, and a test
// naming one header without :index hands the kept array itself to the matcher, which keeps its
// folded form in turn. Any other view just decodes again.
const TEXTS = { table: 'decoded header texts' };
const ADDRESSES = { table: 'parsed addresses' };
const PARTS = { table: 'address parts' };

const fieldTexts = (rt: Interpreter, name: string): string[] => rt.memo(TEXTS, rt.message.headerValues(name), (raw) => raw.map(headerText));
const fieldAddresses = (rt: Interpreter, name: string): MailAddress[][] => rt.memo(ADDRESSES, rt.message.headerValues(name), (raw) => raw.map(parseAddresses));

/** Decoded texts of the named headers after :index, in the order the names were given. */
export function headerTexts(node: ValidatedNode, rt: Interpreter, names: readonly string[]): readonly string[] {
  if (names.length === 1) return selectIndex(node, rt, fieldTexts(rt, names[0]));
  return names.flatMap((name) => selectIndex(node, rt, fieldTexts(rt, name)));
}

/** The node's address part of each address in the named headers, after :index (which picks a field, not an address). */
export function headerAddressParts(node: ValidatedNode, rt: Interpreter, names: readonly string[]): readonly string[] {
  const pick = (fields: readonly MailAddress[][]) => fields.flat().map((a) => addressPart(node, rt, a)).filter((p) => p !== null);
  if (names.length !== 1 || node.tags.has('index')) return names.flatMap((name) => pick(selectIndex(node, rt, fieldAddresses(rt, name))));
  const fields = fieldAddresses(rt, names[0]);
  const byPart = rt.memo(PARTS, fields, () => new Map<string, readonly string[]>());
  const separator = rt.env.subaddressSeparator ?? '+';
  const key = separator === '+' ? addressPartName(node) : `${addressPartName(node)}\0${separator}`;
  let found = byPart.get(key);
  if (found === undefined) byPart.set(key, (found = pick(fields)));
  return found;
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

const ADDRESS_PARTS = ['localpart', 'domain', 'user', 'detail'] as const;
export type AddressPartName = (typeof ADDRESS_PARTS)[number] | 'all';

/** The address-part tag among `tags` (RFC 5228 §2.7.4, RFC 5233), "all" by default; the validator keeps it in node.data. */
export function addressPartOf(tags: ReadonlyMap<string, unknown>): AddressPartName {
  return ADDRESS_PARTS.find((p) => tags.has(p)) ?? 'all';
}

const addressPartName = (node: ValidatedNode): AddressPartName => (node.data.addressPart as AddressPartName | undefined) ?? addressPartOf(node.tags);

/** The part of `a` the node's address-part tag selects; null when that part does not exist. */
export function addressPart(node: ValidatedNode, rt: Interpreter, a: MailAddress | null): string | null {
  if (a === null) return '';
  const separator = rt.env.subaddressSeparator ?? '+';
  const cut = a.local.indexOf(separator);
  switch (addressPartName(node)) {
    case 'localpart':
      return a.local;
    case 'domain':
      return a.domain;
    case 'user':
      return cut === -1 ? a.local : a.local.slice(0, cut);
    case 'detail':
      return cut === -1 ? null : a.local.slice(cut + separator.length);
    case 'all':
      return a.domain === '' ? a.local : `${a.local}@${a.domain}`;
  }
}
