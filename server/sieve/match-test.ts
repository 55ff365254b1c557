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
import type { Runtime } from './runtime.js';
import type { ValidatedNode } from './spec.js';

export interface MailAddress {
  local: string;
  domain: string;
}

/** Runs the node's matcher over `values` against its keys (positional "keys" by default). */
export function evaluateMatch(node: ValidatedNode, rt: Runtime, values: string[], keys: string[] = rt.list(node, 'keys')): boolean {
  const outcome = matchValues(node.data.matcher as Matcher, values, keys);
  if (outcome.matched) rt.setMatches(outcome.captures);
  return outcome.matched;
}

/** Applies :index/:last to the fields of one header. */
export function selectIndex<T>(node: ValidatedNode, rt: Runtime, fields: T[]): T[] {
  const index = rt.tagNum(node, 'index');
  if (index === null) return fields;
  const i = node.tags.has('last') ? fields.length - index : index - 1;
  return i >= 0 && i < fields.length ? [fields[i]] : [];
}

// Decoded texts and parsed addresses of a message's fields, kept per values array: a message view
// that returns the same array for a field each time (mime-message.ts does) is decoded once per
// field however many rules look at it; any other view just decodes again.
const decoded = new WeakMap<string[], string[]>();
const parsed = new WeakMap<string[], MailAddress[][]>();

function cached<T>(cache: WeakMap<string[], T[]>, values: string[], map: (raw: string) => T): T[] {
  let found = cache.get(values);
  if (found === undefined) cache.set(values, (found = values.map(map)));
  return found;
}

/** Decoded texts of the named headers after :index, in the order the names were given. */
export function headerTexts(node: ValidatedNode, rt: Runtime, names: string[]): string[] {
  return names.flatMap((name) => selectIndex(node, rt, cached(decoded, rt.message.headerValues(name), headerText)));
}

/** The addresses in the named headers after :index (which picks a field, not an address). */
export function headerAddresses(node: ValidatedNode, rt: Runtime, names: string[]): MailAddress[] {
  return names.flatMap((name) => selectIndex(node, rt, cached(parsed, rt.message.headerValues(name), parseAddresses)).flat());
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

/** The part of `a` the node's address-part tag selects; null when that part does not exist. */
export function addressPart(node: ValidatedNode, rt: Runtime, a: MailAddress | null): string | null {
  if (a === null) return '';
  const separator = rt.env.subaddressSeparator ?? '+';
  const cut = a.local.indexOf(separator);
  if (node.tags.has('localpart')) return a.local;
  if (node.tags.has('domain')) return a.domain;
  if (node.tags.has('user')) return cut === -1 ? a.local : a.local.slice(0, cut);
  if (node.tags.has('detail')) return cut === -1 ? null : a.local.slice(cut + separator.length);
  return a.domain === '' ? a.local : `${a.local}@${a.domain}`;
}
