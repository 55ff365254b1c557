// Certificates for TLS tests, made with node-forge in memory: a small CA and server certificates it
// signs, so tests can build chains, mismatched pairs and expired certificates without openssl.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface Issued {
  cert: string;
  key: string;
}

const DAY = 86_400_000;

function keyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** A certificate for `subject`, signed by `issuer` (self-signed when absent), valid `from`..`to`. */
export function issue(opts: { commonName: string; altNames?: string[]; issuer?: Issued; ca?: boolean; from?: number; to?: number }): Issued {
  const { privateKey, publicKey } = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  cert.validity.notBefore = new Date(opts.from ?? Date.now() - DAY);
  cert.validity.notAfter = new Date(opts.to ?? Date.now() + 365 * DAY);
  cert.setSubject([{ name: 'commonName', value: opts.commonName }]);
  const issuerCert = opts.issuer ? forge.pki.certificateFromPem(opts.issuer.cert) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : [{ name: 'commonName', value: opts.commonName }]);
  cert.setExtensions(
    opts.ca
      ? [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true }]
      : [{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: (opts.altNames ?? [opts.commonName]).map((value) => ({ type: 2, value })) }],
  );
  cert.sign(forge.pki.privateKeyFromPem(opts.issuer?.key ?? privateKey), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}
