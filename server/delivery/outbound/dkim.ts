// DKIM for outbound mail (RFC 6376; Ed25519 per RFC 8463): per-domain keys (kept with the domain in
// the store, migrations/0004), the TXT record the admin publishes, and signing with mailauth.
//
// Invariants:
// - A message is signed when the domain of its RFC 5322 From address is hosted here and has a key;
//   d= is that domain, so the signature aligns for DMARC. Anything else goes out unsigned.
// - Signing happens at each delivery attempt from the stored bytes, which are never modified: a
//   retried message gets a fresh signature, never a second one on top of the first.
// - The private key never leaves this module's callers in the server: admin views show the public
//   record only.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import type { Store } from '../../store/index.js';
import type { DkimKey } from '../../store/domains.js';
import { headerFields, fieldValues, parseAddressList, unfold } from '../../mime/index.js';

export type DkimAlgorithm = 'rsa' | 'ed25519';

export type { DkimKey };

export const RSA_BITS = 2048;
export const DEFAULT_SELECTOR = 'mailroom';
/** A DNS label (RFC 6376 §3.1 selectors are sub-domains; one label keeps the record simple to publish). */
export const SELECTOR = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

const generate = promisify(generateKeyPair);

/** A new key (off the event loop: a 2048-bit RSA key takes a noticeable moment). */
export async function generateDkimKey(domain: string, selector: string, algorithm: DkimAlgorithm, now: number): Promise<DkimKey> {
  if (algorithm === 'rsa') {
    const { privateKey, publicKey } = await generate('rsa', {
      modulusLength: RSA_BITS,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    return { domain, selector, algorithm, privateKey, publicKey: publicKey.toString('base64'), createdAt: now };
  }
  const { privateKey, publicKey } = await generate('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  // RFC 8463 §4.2: p= is the bare 32-byte key, the tail of the SPKI encoding.
  return { domain, selector, algorithm, privateKey, publicKey: publicKey.subarray(-32).toString('base64'), createdAt: now };
}

/** The TXT record to publish: `<selector>._domainkey.<domain>`. */
export function dkimRecord(key: Pick<DkimKey, 'domain' | 'selector' | 'algorithm' | 'publicKey'>): { name: string; value: string } {
  return { name: `${key.selector}._domainkey.${key.domain}`, value: `v=DKIM1; k=${key.algorithm}; p=${key.publicKey}` };
}

/** The lower-case domain of the first From address, or null. */
export function fromDomain(bytes: Buffer): string | null {
  const end = headerEnd(bytes);
  const from = fieldValues(bytes, headerFields(bytes, 0, end), 'from')[0];
  if (from === undefined) return null;
  const first = parseAddressList(unfold(from)).find((a) => a.mailbox !== null && a.domain !== null);
  return first?.domain ? first.domain.toLowerCase() : null;
}

/** Offset of the empty line that ends the header (or the end when there is no body). */
export function headerEnd(bytes: Buffer): number {
  if (bytes.subarray(0, 2).toString('latin1') === '\r\n') return 0;
  const at = bytes.indexOf('\r\n\r\n');
  return at === -1 ? bytes.length : at + 2;
}

export interface SignOutcome {
  bytes: Buffer;
  signedBy: { domain: string; selector: string } | null;
  error?: string;
}

/**
 * Signs `bytes` when its From domain is hosted here and has a key. A signing
 * error sends the message unsigned rather than holding it: the log says why.
 */
export async function signOutbound(
  bytes: Buffer,
  deps: { domains: Pick<Store['domains'], 'dkimKey'>; now: number },
): Promise<SignOutcome> {
  const domain = fromDomain(bytes);
  // Only a hosted domain has a key: it is deleted with the domain (migrations/0004).
  const key = domain === null ? undefined : await deps.domains.dkimKey(domain);
  if (!key) return { bytes, signedBy: null };
  // mailauth reads the key from `signatureData` only; the top-level fields of its typed options are
  // the defaults for each entry.
  const signature = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey };
  const result = await dkimSign(bytes, {
    ...signature,
    algorithm: key.algorithm === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256',
    canonicalization: 'relaxed/relaxed',
    signTime: new Date(deps.now),
    signatureData: [signature],
  });
  if (result.errors.length > 0 || result.signatures.trim() === '') {
    return { bytes, signedBy: null, error: result.errors.map((e) => e.message).join('; ') || 'no signature produced' };
  }
  const header = result.signatures.replace(/\r?\n/g, '\r\n');
  return { bytes: Buffer.concat([Buffer.from(header.endsWith('\r\n') ? header : header + '\r\n', 'utf8'), bytes]), signedBy: { domain: key.domain, selector: key.selector } };
}
