// Reading and checking PEM certificates with node:crypto: a plain description of the server's
// certificate for the admin (subject, names, issuer, validity, SHA-256 fingerprint), and the checks an
// imported chain and key must pass before they replace the current ones. Pure: no files, no clock of
// its own (callers pass `now`). Every refusal is a CertificateError whose message names the problem.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

/** Generous bounds: a real chain is 1–4 certificates of a few KB each. */
export const MAX_CHAIN_CERTIFICATES = 10;
export const MAX_PEM_CHARS = 100_000;

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export class CertificateError extends Error {
  override name = 'CertificateError';
  constructor(
    message: string,
    /** Which input is at fault: the certificate chain or the private key. */
    readonly field: 'certPem' | 'keyPem',
  ) {
    super(message);
  }
}

export interface CertificateDescription {
  /** `CN=mail.example.com, O=Example` */
  subject: string;
  commonName: string | null;
  /** `DNS:mail.example.com`, `IP Address:127.0.0.1` as in the certificate. */
  altNames: string[];
  issuer: string;
  selfSigned: boolean;
  validFrom: number;
  validTo: number;
  /** `AB:CD:…` (SHA-256 of the DER certificate). */
  fingerprint256: string;
  /** `RSA 2048`, `EC prime256v1`, `Ed25519`. */
  keyType: string;
  /** Certificates in the file: the server's own, then intermediates. */
  chainLength: number;
}

/** The PEM blocks of a chain, parsed, server certificate first; refuses anything that is not one. */
export function parseChain(certPem: string): X509Certificate[] {
  if (certPem.length > MAX_PEM_CHARS) throw new CertificateError(`The certificate text is longer than ${MAX_PEM_CHARS} characters; paste only the PEM chain.`, 'certPem');
  const blocks = certPem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) {
    if (/PRIVATE KEY-----/.test(certPem)) throw new CertificateError('The certificate field holds a private key. Paste the certificate (-----BEGIN CERTIFICATE-----) there and the key below.', 'certPem');
    throw new CertificateError('The certificate is not in PEM form: expected text starting with -----BEGIN CERTIFICATE-----.', 'certPem');
  }
  if (blocks.length > MAX_CHAIN_CERTIFICATES) throw new CertificateError(`The chain has ${blocks.length} certificates; at most ${MAX_CHAIN_CERTIFICATES} are accepted.`, 'certPem');
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      const which = i === 0 ? 'The certificate' : `Certificate ${i + 1} of the chain`;
      throw new CertificateError(`${which} cannot be read as X.509 (${(error as Error).message}).`, 'certPem');
    }
  });
}

export function parsePrivateKey(keyPem: string): KeyObject {
  if (keyPem.length > MAX_PEM_CHARS) throw new CertificateError(`The private key text is longer than ${MAX_PEM_CHARS} characters.`, 'keyPem');
  if (/-----BEGIN CERTIFICATE-----/.test(keyPem) && !/PRIVATE KEY-----/.test(keyPem)) {
    throw new CertificateError('The private key field holds a certificate. Paste the private key (-----BEGIN PRIVATE KEY-----) there.', 'keyPem');
  }
  if (/ENCRYPTED/.test(keyPem)) {
    throw new CertificateError('The private key is protected by a passphrase. Remove it first (openssl pkey -in key.pem -out plain-key.pem) and import that.', 'keyPem');
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyPem)) {
    throw new CertificateError('The private key is not in PEM form: expected text starting with -----BEGIN PRIVATE KEY-----.', 'keyPem');
  }
  try {
    return createPrivateKey({ key: keyPem, format: 'pem' });
  } catch (error) {
    throw new CertificateError(`The private key cannot be read (${(error as Error).message}).`, 'keyPem');
  }
}

/**
 * Checks a chain and key for use as the server's identity: readable, the key belongs to the first
 * certificate, that certificate is valid now, and each further certificate issued the one before it.
 * Returns the texts to store: the chain's certificate blocks only (anything pasted around them, like
 * openssl's `subject=` lines, is dropped) and the key as given.
 */
export function checkCertificatePair(input: { certPem: string; keyPem: string }, now: number): { cert: string; key: string; chain: X509Certificate[] } {
  const chain = parseChain(input.certPem);
  const key = parsePrivateKey(input.keyPem);
  const leaf = chain[0];
  if (key.type !== 'private') throw new CertificateError('The key is not a private key.', 'keyPem');
  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(key);
  } catch {
    matches = false;
  }
  if (!matches) {
    throw new CertificateError(
      `The private key does not belong to the certificate for ${commonNameOf(leaf) ?? leaf.subject}: its public key is different. Pick the key file made together with this certificate.`,
      'keyPem',
    );
  }
  const validFrom = Date.parse(leaf.validFrom);
  const validTo = Date.parse(leaf.validTo);
  if (validTo <= now) throw new CertificateError(`The certificate expired on ${new Date(validTo).toUTCString()}. Renew it and import the new one.`, 'certPem');
  if (validFrom > now) throw new CertificateError(`The certificate is not valid yet: it starts on ${new Date(validFrom).toUTCString()}. Check this machine's clock.`, 'certPem');
  for (let i = 1; i < chain.length; i++) {
    if (!chain[i - 1].checkIssued(chain[i]) || !chain[i - 1].verify(chain[i].publicKey)) {
      throw new CertificateError(
        `Certificate ${i + 1} of the chain (${chain[i].subject.replace(/\n/g, ', ')}) did not issue certificate ${i}. Put the server certificate first, then each intermediate in order.`,
        'certPem',
      );
    }
  }
  const cert = chain.map((c) => c.toString().trim()).join('\n') + '\n';
  const keyText = input.keyPem.trim() + '\n';
  return { cert, key: keyText, chain };
}

export function describeCertificate(certPem: string): CertificateDescription {
  const chain = parseChain(certPem);
  const leaf = chain[0];
  return {
    subject: oneLine(leaf.subject),
    commonName: commonNameOf(leaf),
    altNames: splitAltNames(leaf.subjectAltName),
    issuer: oneLine(leaf.issuer),
    // Not checkIssued(leaf): OpenSSL also wants keyCertSign there, which a server certificate lacks.
    selfSigned: leaf.issuer === leaf.subject && leaf.verify(leaf.publicKey),
    validFrom: Date.parse(leaf.validFrom),
    validTo: Date.parse(leaf.validTo),
    fingerprint256: leaf.fingerprint256,
    keyType: keyTypeOf(leaf.publicKey),
    chainLength: chain.length,
  };
}

/** Whether mail clients connecting to `hostname` would accept this certificate's name. */
export function namesHost(certPem: string, hostname: string): boolean {
  const leaf = parseChain(certPem)[0];
  return leaf.checkHost(hostname) !== undefined;
}

function commonNameOf(cert: X509Certificate): string | null {
  const line = cert.subject.split('\n').find((l) => l.startsWith('CN='));
  return line ? line.slice(3) : null;
}

function oneLine(name: string): string {
  return name.split('\n').join(', ');
}

function splitAltNames(san: string | undefined): string[] {
  if (!san) return [];
  return san.split(/,\s*/).map((s) => s.trim()).filter((s) => s !== '');
}

function keyTypeOf(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `RSA ${details.modulusLength ?? ''}`.trim();
    case 'ec':
      return `EC ${details.namedCurve ?? ''}`.trim();
    case 'ed25519':
      return 'Ed25519';
    default:
      return String(key.asymmetricKeyType ?? 'unknown');
  }
}
