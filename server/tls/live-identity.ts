// The TLS identity the listeners use, kept current without a restart (issue 18 §2): the data folder's
// tls/cert.pem and key.pem are looked at (a stat, at most once a second, on the connection path) and
// re-read when they change — after an admin import, `mailroom cert import` from another process, or a
// renewal hook copying files in. Listeners build a new TLS context from it for new connections;
// connections already open keep the one they started with.
//
// Invariants: a pair that does not load (key and certificate from different rotations mid-copy, an
// expired or unreadable certificate) is never used: the previous identity stays, the refusal is
// logged once per change, and the next change is tried again.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import { loadOrCreateCertificate, TLS_DIR, type TlsIdentity } from './certificate.js';
import { checkCertificatePair, describeCertificate } from './inspect.js';

/** How often the files are looked at, at most. */
const CHECK_INTERVAL_MS = 1000;

export interface LiveTlsIdentity {
  /** The identity for a new connection (the files are looked at if the last look is old). */
  current(): TlsIdentity;
  /** Looks at the files now; true when a changed pair was taken. */
  reload(): boolean;
}

export function createLiveTlsIdentity(options: { dataDir: string; hostname: () => string; now: () => number; log: Logger }): LiveTlsIdentity {
  const dir = join(options.dataDir, TLS_DIR);
  let identity: TlsIdentity | undefined;
  let stamp = '';
  let refused = '';
  let lookedAt = -Infinity;

  const stampOf = (): string => {
    try {
      const key = statSync(join(dir, 'key.pem'));
      const cert = statSync(join(dir, 'cert.pem'));
      return `${key.mtimeMs}:${key.size}:${key.ino}/${cert.mtimeMs}:${cert.size}:${cert.ino}`;
    } catch {
      return '';
    }
  };

  const reload = (): boolean => {
    lookedAt = performance.now();
    if (identity === undefined) {
      identity = loadOrCreateCertificate(options.dataDir, options.hostname(), options.now());
      stamp = stampOf();
      return true;
    }
    const seen = stampOf();
    if (seen === '' || seen === stamp || seen === refused) return false;
    const next = loadOrCreateCertificate(options.dataDir, options.hostname(), options.now());
    try {
      checkCertificatePair({ certPem: next.cert, keyPem: next.key }, options.now());
    } catch (error) {
      refused = seen;
      options.log.warn('tls.reload-refused', { error: (error as Error).message });
      return false;
    }
    stamp = seen;
    refused = '';
    if (next.cert.trim() === identity.cert.trim() && next.key.trim() === identity.key.trim()) return false;
    identity = next;
    const described = describeCertificate(next.cert);
    options.log.info('tls.reloaded', { subject: described.subject, fingerprint: described.fingerprint256, validTo: described.validTo });
    return true;
  };

  return {
    current() {
      if (identity === undefined || performance.now() - lookedAt >= CHECK_INTERVAL_MS) reload();
      return identity!;
    },
    reload,
  };
}
