// Mail addresses as accounts, aliases and SMTP envelopes use them (RFC 5321 §4.1.2, RFC 6531):
// parse, validate and normalise. Invariants: domains are lower-case A-labels without a trailing dot
// (IDN converted with UTS #46 via node:url); local parts keep their case (compared case-insensitively
// elsewhere); errors are AddressError with a sentence a person can act on.
import { domainToASCII, domainToUnicode } from 'node:url';

export const MAX_LOCAL_PART = 64; // RFC 5321 §4.5.3.1.1
export const MAX_DOMAIN = 253; // RFC 1035 (255 octets incl. length bytes)
const MAX_LABEL = 63;

export class AddressError extends Error {
  override name = 'AddressError';
}

export interface Address {
  local: string;
  /** Lower-case A-label. */
  domain: string;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** `Example.COM`, `bücher.example` → `example.com`, `xn--bcher-kva.example`. */
export function normalizeDomain(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw new AddressError('A domain name is required.');
  if (trimmed.endsWith('.')) throw new AddressError(`"${trimmed}" ends with a dot; write the domain without it.`);
  if (/[\s@/\\:]/.test(trimmed)) throw new AddressError(`"${trimmed}" is not a domain name: it contains spaces or one of @ / \\ :.`);
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (ascii === '') throw new AddressError(`"${trimmed}" is not a valid domain name.`);
  if (ascii.length > MAX_DOMAIN) throw new AddressError(`"${trimmed}" is longer than ${MAX_DOMAIN} characters.`);
  const labels = ascii.split('.');
  if (labels.length < 2) throw new AddressError(`"${trimmed}" needs at least two labels, like example.com or office.lan.`);
  for (const label of labels) {
    if (label.length > MAX_LABEL) throw new AddressError(`"${label}" in "${trimmed}" is longer than ${MAX_LABEL} characters.`);
    if (!LABEL.test(label)) throw new AddressError(`"${trimmed}" is not a valid domain name (label "${label}").`);
  }
  if (/^\d+$/.test(labels[labels.length - 1])) throw new AddressError(`"${trimmed}" looks like an IP address, not a domain name.`);
  return ascii;
}

/** The U-label form for display: `xn--bcher-kva.example` → `bücher.example`. */
export function displayDomain(aLabel: string): string {
  return domainToUnicode(aLabel) || aLabel;
}

// RFC 5322 atext plus UTF-8 (RFC 6531), minus the characters of source routing and the old
// `%`/`!` relay syntaxes, which a mailbox we host never needs and relay tricks exploit.
const LOCAL_CHAR = /^[\p{L}\p{N}#$&'*+\-/=?^_`{|}~]$/u;

export function validateLocalPart(local: string): string {
  if (local === '') throw new AddressError('The part before the @ is empty.');
  if (Buffer.byteLength(local) > MAX_LOCAL_PART) throw new AddressError(`"${local}" is longer than ${MAX_LOCAL_PART} bytes.`);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    throw new AddressError(`"${local}" may not start or end with a dot or contain two dots in a row.`);
  }
  for (const ch of local.replaceAll('.', '')) {
    if (!LOCAL_CHAR.test(ch)) {
      const shown = ch === ' ' ? 'a space' : `"${ch}"`;
      throw new AddressError(`"${local}" contains ${shown}, which is not allowed in a mailbox name.`);
    }
  }
  return local;
}

/** `Alice@Bücher.Example` → `{ local: 'Alice', domain: 'xn--bcher-kva.example' }`. */
export function parseAddress(input: string): Address {
  const trimmed = input.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) throw new AddressError(`"${trimmed}" is not an email address: it has no @.`);
  const local = trimmed.slice(0, at);
  if (local.includes('@')) throw new AddressError(`"${trimmed}" contains more than one @.`);
  return { local: validateLocalPart(local), domain: normalizeDomain(trimmed.slice(at + 1)) };
}

export function formatAddress(address: Address): string {
  return `${address.local}@${address.domain}`;
}

/** Case-insensitive key for comparing addresses (local parts compare case-insensitively here). */
export function addressKey(address: Address): string {
  return `${address.local.toLowerCase()}@${address.domain}`;
}
