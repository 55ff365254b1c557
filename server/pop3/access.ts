// Who may use POP3 from where, decided once per connection from the trusted networks (DESIGN §5) and
// the allowPlaintextAuthFromTrusted setting.
//
// Rules:
// - The most specific unexpired network whose CIDR holds the client address governs it. With
//   allowPop3 off, the connection is refused; a network row is how an admin keeps POP3 off a range.
//   Addresses in no network may connect (POP3 serves roaming clients).
// - Logging in before TLS (USER/PASS or AUTH, any mechanism) is allowed only when the admin turned on
//   allowPlaintextAuthFromTrusted and the client is trusted for POP3: its governing network allows
//   POP3 and does not require TLS for auth, or — with no network row — it is the host itself,
//   exactly 127.0.0.1 or ::1 (DESIGN §5's default trusted network; the rest of 127/8 is not).
//   Everyone else must STLS first, or use the implicit-TLS port. Over TLS login is always allowed.
import type { Network } from '../store/networks.js';
import { cidrMatcher, parseCidr, unmapIpv4 } from '../policy/cidr.js';

export interface Pop3Access {
  /** The connection may proceed. */
  allowed: boolean;
  /** Login may happen without TLS. */
  plaintextLogin: boolean;
  /** The governing network's CIDR, 'loopback', or null: for the log. */
  network: string | null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

export function decideAccess(input: { remoteIp: string; networks: readonly Network[]; now: number; allowPlaintextFromTrusted: boolean }): Pop3Access {
  const ip = unmapIpv4(input.remoteIp);
  const governing = input.networks
    .filter((n) => n.expiresAt === null || n.expiresAt > input.now)
    .map((n) => ({ network: n, cidr: parseCidr(n.cidr) }))
    .filter(({ cidr }) => cidrMatcher([cidr])(ip))
    .sort((a, b) => b.cidr.prefix - a.cidr.prefix)[0]?.network;
  if (governing) {
    return {
      allowed: governing.allowPop3,
      plaintextLogin: input.allowPlaintextFromTrusted && governing.allowPop3 && !governing.requireTlsForAuth,
      network: governing.cidr,
    };
  }
  const loopback = LOOPBACK.has(ip);
  return { allowed: true, plaintextLogin: input.allowPlaintextFromTrusted && loopback, network: loopback ? 'loopback' : null };
}
