// The server's TLS identity: loaded from the data folder, or on first start a self-signed certificate
// for the hostname is generated (RSA 2048, SHA-256, 10 years) and kept there, so STARTTLS and the
// implicit-TLS ports work out of the box; the admin can import a real certificate later
// (saveCertificate, after server/tls/inspect.ts has checked it).
//
// Invariants: tls/key.pem is mode 0600 in a 0700 folder; a save never leaves a half-written file
// (each file is written beside its target and renamed over it, key first, then the certificate).
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface TlsIdentity {
  key: string;
  cert: string;
  generated: boolean;
}

export const TLS_DIR = 'tls';
const VALID_DAYS = 3650;

export function loadOrCreateCertificate(dataDir: string, hostname: string, now: number): TlsIdentity {
  const dir = join(dataDir, TLS_DIR);
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  if (existsSync(keyFile) && existsSync(certFile)) {
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), generated: false };
  }
  const { key, cert } = createSelfSigned(hostname, now);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, key, { mode: 0o600 });
  writeFileSync(certFile, cert);
  return { key, cert, generated: true };
}

/** Replaces the stored identity; the listeners read it when they next start. */
export function saveCertificate(dataDir: string, identity: { cert: string; key: string }): { certFile: string; keyFile: string } {
  const dir = join(dataDir, TLS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  writeAtomically(keyFile, identity.key, 0o600);
  writeAtomically(certFile, identity.cert, 0o644);
  return { certFile, keyFile };
}

function writeAtomically(file: string, text: string, mode: number) {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text, { mode, flush: true });
    chmodSync(temp, mode); // the umask may have removed bits; a key must not have gained any
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function createSelfSigned(hostname: string, now: number): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + VALID_DAYS * 86_400_000);
  const name = [{ name: 'commonName', value: hostname }, { name: 'organizationName', value: 'Mailroom (self-signed)' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: hostname }, { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { key: privateKey, cert: forge.pki.certificateToPem(cert) };
}
