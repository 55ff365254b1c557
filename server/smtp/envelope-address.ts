// Envelope addresses (MAIL FROM / RCPT TO) as smtp-server hands them over — source routes already
// stripped (RFC 5321 App. C), IDN domains in U-label form — turned into our Address (A-label, lower
// case). The classic relay tricks are recognised here so they can be refused for hosted domains
// whatever the alias table says: `user%other@local`, `other!user@local`, `"user@other"@local`
// (smtp-server already refuses a second unquoted @), and a source route `@local:user@other`, which
// arrives as `user@other` and so meets the ordinary relay check. Upper-case domains compare equal
// to their lower-case form; a trailing-dot domain never reaches us (smtp-server answers 501).
import { AddressError, normalizeDomain, validateLocalPart, type Address } from '../mime/addr-spec.js';

export type ParsedEnvelopeAddress = { ok: true; address: Address; relaySyntax: boolean } | { ok: false; why: string };

const RELAY_SYNTAX = /[%!@"]/;

export function parseEnvelopeAddress(text: string): ParsedEnvelopeAddress {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return { ok: false, why: 'an address needs a local part and a domain' };
  const local = text.slice(0, at);
  let domain: string;
  try {
    domain = normalizeDomain(text.slice(at + 1));
  } catch (error) {
    return { ok: false, why: error instanceof AddressError ? error.message : 'bad domain' };
  }
  return { ok: true, address: { local, domain }, relaySyntax: RELAY_SYNTAX.test(local) };
}

/** For a hosted domain: a local part we could host, else the reason (relay syntax is reported by the caller). */
export function hostedLocalPartProblem(local: string): string | null {
  try {
    validateLocalPart(local);
    return null;
  } catch (error) {
    return error instanceof AddressError ? error.message : 'bad local part';
  }
}
