// A child process serving the SMTP listeners over a data folder (argv[2]), for tests that kill the
// process: prints `{"ports":{...}}` on stdout once listening, then runs until killed; a line `rss` on
// stdin is answered with `{"rss":bytes}` (memory tests measure the server, not themselves); a line
// `rss-collected` first runs a full garbage collection when the child has --expose-gc. DNS goes
// to an empty fake zone on loopback (every name NXDOMAIN), never to real DNS.
import { createInterface } from 'node:readline';
import { openContext } from '../../../server/index.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { createAuthenticator } from '../../../server/auth/authenticator.js';
import { createThrottle } from '../../../server/auth/throttle.js';
import { createSmtpListeners } from '../../../server/smtp/index.js';
import { createDnsResolver } from '../../../server/dns/resolver.js';
import { startFakeDns } from '../../helpers/fake-dns.js';
import { authStoreOf } from './harness.js';

const dns = await startFakeDns({ after: () => {} });
const resolver = createDnsResolver({ servers: () => [dns.server], timeoutMs: 1000, tries: 1 });
const ctx = await openContext(process.argv[2], { hasher: createPasswordHasher({ cost: 'test' }), resolver });
const auth = createAuthenticator({ store: authStoreOf(ctx.store), hasher: ctx.hasher, throttle: createThrottle({ clock: ctx.clock }), clock: ctx.clock, unknownUserKey: Buffer.alloc(32, 7) });
const ports: Record<string, number> = {};
for (const listener of createSmtpListeners(ctx, auth, { reverseLookup: false, dnsbl: async () => false })) {
  ports[listener.name] = await listener.start('127.0.0.1', 0);
}
process.stdout.write(`${JSON.stringify({ ports })}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'rss' && line !== 'rss-collected') return;
  if (line === 'rss-collected') (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss })}\n`);
});
