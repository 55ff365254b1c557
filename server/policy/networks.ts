// Trusted networks as the policy sees them (DESIGN §5): the stored ranges (store.networks) plus the
// built-in loopback ranges, resolved for one client address. Invariants: an expired range is ignored
// as if absent; the most specific range containing the address decides (longest prefix), a stored
// range beating a built-in one of the same length — so an admin can re-declare 127.0.0.1/32 with other
// permissions; a client in no range is untrusted (it may still connect and authenticate).
import type { Network, NetworkPermissions } from '../store/networks.js';
import { cidrMatcher, parseCidr, type Cidr } from './cidr.js';

export type Protocol = 'smtp' | 'imap' | 'pop3';

export interface TrustedNetwork extends NetworkPermissions {
  cidr: string;
  description: string;
  /** True for the built-in loopback ranges (not in the store, not removable). */
  builtin: boolean;
}

/** The host itself: trusted for everything, may relay, plaintext AUTH is fine (nothing to sniff). */
export const LOOPBACK_NETWORKS: readonly TrustedNetwork[] = ['127.0.0.1/32', '::1/128'].map((cidr) => ({
  cidr,
  description: 'This computer (built in)',
  builtin: true,
  allowSmtp: true,
  allowImap: true,
  allowPop3: true,
  relay: true,
  requireTlsForAuth: false,
  expiresAt: null,
}));

interface Compiled {
  network: TrustedNetwork;
  prefix: number;
  contains: (ip: string) => boolean;
}

export interface NetworkTable {
  /** The range deciding for `ip`, or null when the client is untrusted. */
  lookup(ip: string): TrustedNetwork | null;
  /** Ranges in force (unexpired), stored first, then built-in. */
  list(): TrustedNetwork[];
}

/** Builds the lookup table from stored rows at time `now`; rows with an unparsable CIDR are skipped. */
export function networkTable(stored: readonly Network[], now: number): NetworkTable {
  const compiled: Compiled[] = [];
  const add = (network: TrustedNetwork) => {
    let cidr: Cidr;
    try {
      cidr = parseCidr(network.cidr);
    } catch {
      return;
    }
    compiled.push({ network, prefix: cidr.prefix + (network.builtin ? 0 : 0.5), contains: cidrMatcher([cidr]) });
  };
  for (const n of stored) {
    if (n.expiresAt !== null && n.expiresAt <= now) continue;
    const { id: _id, createdAt: _created, ...rest } = n;
    add({ ...rest, builtin: false });
  }
  for (const n of LOOPBACK_NETWORKS) add(n);
  // Most specific first: the first hit in this order is the longest prefix.
  compiled.sort((a, b) => b.prefix - a.prefix);
  return {
    lookup(ip) {
      return compiled.find((c) => c.contains(ip))?.network ?? null;
    },
    list() {
      return compiled.map((c) => c.network).sort((a, b) => Number(a.builtin) - Number(b.builtin));
    },
  };
}

/** Whether a client from `network` may use `protocol` at all (untrusted clients may). */
export function protocolAllowed(network: TrustedNetwork | null, protocol: Protocol): boolean {
  if (!network) return true;
  return protocol === 'smtp' ? network.allowSmtp : protocol === 'imap' ? network.allowImap : network.allowPop3;
}

/**
 * Whether AUTH may run without TLS for a client: only from a trusted range, and only when that range
 * does not require TLS for auth or the admin allowed plaintext auth from trusted networks globally.
 */
export function plaintextAuthAllowed(network: TrustedNetwork | null, allowPlaintextAuthFromTrusted: boolean): boolean {
  return network !== null && (allowPlaintextAuthFromTrusted || !network.requireTlsForAuth);
}

export interface MailboxAccess {
  /** The connection may proceed. */
  allowed: boolean;
  /** LOGIN/USER/AUTH may happen before TLS. */
  plaintextLogin: boolean;
  /** The deciding range's CIDR, 'loopback' for the built-in one, or null: for the log. */
  network: string | null;
}

/**
 * IMAP and POP3 access, one rule for both, decided once per connection: the deciding range (as for
 * SMTP) must allow the protocol; login before TLS needs the admin's allowPlaintextAuthFromTrusted AND a
 * deciding range that allows the protocol and does not require TLS for auth (the built-in loopback
 * does not). Everyone else must STARTTLS/STLS or use the implicit-TLS port.
 */
export function mailboxAccess(
  protocol: 'imap' | 'pop3',
  input: { remoteIp: string; networks: readonly Network[]; now: number; allowPlaintextFromTrusted: boolean },
): MailboxAccess {
  const network = networkTable(input.networks, input.now).lookup(input.remoteIp);
  const allowed = protocolAllowed(network, protocol);
  return {
    allowed,
    plaintextLogin: input.allowPlaintextFromTrusted && network !== null && allowed && !network.requireTlsForAuth,
    network: network === null ? null : network.builtin ? 'loopback' : network.cidr,
  };
}
