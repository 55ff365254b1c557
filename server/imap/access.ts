// Who may use IMAP from where, decided once per connection from the trusted networks (DESIGN §5) and
// the allowPlaintextAuthFromTrusted setting — the same rules as POP3's (server/pop3/access.ts), with
// allowImap in place of allowPop3:
// - The most specific unexpired network whose CIDR holds the client address governs it; with
//   allowImap off the connection is refused. Addresses in no network may connect.
// - LOGIN/AUTHENTICATE before TLS only when the admin allows plaintext from trusted networks and the
//   client is trusted for IMAP (its network allows IMAP and does not require TLS for auth, or, with no
//   network row, it is exactly 127.0.0.1 or ::1). Otherwise the client must STARTTLS or use port 993;
//   the capability list then says LOGINDISABLED (RFC 3501 §6.2.3).
import type { Network } from '../store/networks.js';
import { cidrMatcher, parseCidr, unmapIpv4 } from '../policy/cidr.js';

export interface ImapAccess {
  allowed: boolean;
  plaintextLogin: boolean;
  /** The governing network's CIDR, 'loopback', or null: for the log. */
  network: string | null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

export function decideImapAccess(input: { remoteIp: string; networks: readonly Network[]; now: number; allowPlaintextFromTrusted: boolean }): ImapAccess {
  const ip = unmapIpv4(input.remoteIp);
  const governing = input.networks
    .filter((n) => n.expiresAt === null || n.expiresAt > input.now)
    .map((n) => ({ network: n, cidr: parseCidr(n.cidr) }))
    .filter(({ cidr }) => cidrMatcher([cidr])(ip))
    .sort((a, b) => b.cidr.prefix - a.cidr.prefix)[0]?.network;
  if (governing) {
    return {
      allowed: governing.allowImap,
      plaintextLogin: input.allowPlaintextFromTrusted && governing.allowImap && !governing.requireTlsForAuth,
      network: governing.cidr,
    };
  }
  const loopback = LOOPBACK.has(ip);
  return { allowed: true, plaintextLogin: input.allowPlaintextFromTrusted && loopback, network: loopback ? 'loopback' : null };
}
