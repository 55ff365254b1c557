// Connection admission for the mailbox protocols (IMAP, POP3, ManageSieve): at connect, decide once
// whether the client may go on — the deciding network row must allow the protocol, and the client's
// source must be under settings.limits.maxConnectionsPerIp — and what it may do (login before TLS).
// One admission is shared by all listeners of a protocol, so the count spans its ports.
//
// Invariants: an admitted connection is counted until its done() is called (exactly once); a
// refused one is not counted. The protocol turns a refusal into its own wire line.
import type { AdmissionContext } from '../context.js';
import { ConnectionCounter } from '../net/connection-counter.js';
import { unmapIpv4 } from './cidr.js';
import { mailboxAccess, type MailboxAccess } from './networks.js';

export interface Refusal {
  /** `network`: a network row forbids the protocol (permanent); `connections`: over the per-address limit (temporary). */
  reason: 'network' | 'connections';
  /** The sentence for the client. */
  text: string;
}

export type Admission =
  | { access: MailboxAccess; connections: number; refusal: Refusal }
  | { access: MailboxAccess; connections: number; refusal: null; done(): void };

/** `label` names the protocol in the refusal ("IMAP is not allowed from your network"). */
export function createAdmission(ctx: AdmissionContext, protocol: 'imap' | 'pop3', label: string): (remoteIp: string) => Promise<Admission> {
  const perIp = new ConnectionCounter();
  return async (remoteIp) => {
    const ip = unmapIpv4(remoteIp);
    const settings = ctx.settings();
    const access = mailboxAccess(protocol, {
      remoteIp: ip,
      networks: await ctx.store.networks.list(),
      now: ctx.clock.now(),
      allowPlaintextFromTrusted: settings.allowPlaintextAuthFromTrusted,
    });
    if (!access.allowed) return { access, connections: 0, refusal: { reason: 'network', text: `${label} is not allowed from your network` } };
    const connections = perIp.enter(ip);
    if (connections > settings.limits.maxConnectionsPerIp) {
      perIp.leave(ip);
      return { access, connections, refusal: { reason: 'connections', text: 'Too many connections from your address' } };
    }
    return { access, connections, refusal: null, done: () => perIp.leave(ip) };
  };
}
