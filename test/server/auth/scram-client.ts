// A client-side SCRAM-SHA-256 (RFC 5802 §3) written independently of server/auth/scram.ts, so the
// server is tested against a second implementation and not against itself.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const escapeName = (name: string) => name.replace(/=/g, '=3D').replace(/,/g, '=2C');

export interface ScramClient {
  /** client-first-message */
  first: Buffer;
  /** client-final-message answering the server-first-message. */
  final(serverFirst: Buffer): Buffer;
  /** True when the server's additional data carries the expected ServerSignature. */
  verifyServer(serverFinal: Buffer): boolean;
}

export function scramClient(username: string, password: string, options: { nonce?: string; authzid?: string } = {}): ScramClient {
  const nonce = options.nonce ?? randomBytes(18).toString('base64');
  const gs2Header = `n,${options.authzid === undefined ? '' : `a=${escapeName(options.authzid)}`},`;
  const bare = `n=${escapeName(username)},r=${nonce}`;
  let expectedServerFinal = '';
  return {
    first: Buffer.from(gs2Header + bare, 'utf8'),
    final(serverFirstBytes) {
      const serverFirst = serverFirstBytes.toString('utf8');
      const attrs = Object.fromEntries(serverFirst.split(',').map((a) => [a[0], a.slice(2)]));
      if (!attrs.r.startsWith(nonce)) throw new Error('server nonce does not extend the client nonce');
      const salted = pbkdf2Sync(password.normalize('NFKC'), Buffer.from(attrs.s, 'base64'), Number(attrs.i), 32, 'sha256');
      const clientKey = hmac(salted, 'Client Key');
      const storedKey = createHash('sha256').update(clientKey).digest();
      const withoutProof = `c=${Buffer.from(gs2Header).toString('base64')},r=${attrs.r}`;
      const authMessage = `${bare},${serverFirst},${withoutProof}`;
      const signature = hmac(storedKey, authMessage);
      const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]));
      expectedServerFinal = `v=${hmac(hmac(salted, 'Server Key'), authMessage).toString('base64')}`;
      return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
    },
    verifyServer(serverFinal) {
      return expectedServerFinal !== '' && serverFinal.toString('utf8') === expectedServerFinal;
    },
  };
}
