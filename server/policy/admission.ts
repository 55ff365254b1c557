// Connection admission for the mailbox protocols (IMAP, POP3, ManageSieve): at connect, decide once
// whether the client may go on — the deciding network row must allow the protocol, and the client's
// source must be under settings.limits.maxConnectionsPerIp — and what it may do (login before TLS).
// One admission is shared by all listeners of a protocol, so the count spans its ports.
//
// Invariants: an admitted connection is counted until its done() is called (exactly once); a
// refused one is not counted. The protocol turns a refusal into its own wire line.
import type { AdmissionContext } from '../context.js';
import type { Logger } from '../log.js';
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

/** A mailbox-protocol connection as admittedSession drives it. */
export interface AdmittedConnection {
  remoteIp: string;
  secure: boolean;
  write(bytes: Buffer | string): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
}

/**
 * One connection of a mailbox protocol from accept to end: admission (logged as `<proto>.connect`,
 * a refusal as `<proto>.refused` with the protocol's `refusalLine`, then closed), the session, and
 * `<proto>.session.failed` for anything that escapes it. The admitted slot is freed at the end.
 */
export async function admittedSession<C extends AdmittedConnection>(options: {
  connection: C;
  admit: (remoteIp: string) => Promise<Admission>;
  log: Logger;
  proto: 'imap' | 'pop3';
  listener: string;
  refusalLine(refusal: Refusal): Buffer | string;
  run(access: MailboxAccess): Promise<void>;
}): Promise<void> {
  const { connection, log, proto } = options;
  let admission: Admission | undefined;
  try {
    admission = await options.admit(connection.remoteIp);
    log.info(`${proto}.connect`, { listener: options.listener, tls: connection.secure, network: admission.access.network });
    if (admission.refusal !== null) {
      log.info(`${proto}.refused`, { reason: admission.refusal.text, connections: admission.connections });
      await connection.write(options.refusalLine(admission.refusal));
      await connection.close();
      return;
    }
    await options.run(admission.access);
  } catch (error) {
    log.error(`${proto}.session.failed`, { error });
    connection.destroy();
  } finally {
    if (admission?.refusal === null) admission.done();
  }
}
