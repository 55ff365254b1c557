// The SMTP listeners (DESIGN §3) on the `smtp-server` package: MX (25), submission (587, STARTTLS
// then AUTH before MAIL) and submissions (465, implicit TLS, AUTH required). smtp-server owns the
// wire (parsing, PIPELINING, STARTTLS, SASL PLAIN/LOGIN framing, DATA dot-unstuffing); its hooks here
// are thin adapters to the async domain functions of session.ts.
//
// Implementation notes:
// - Replies: every refusal of ours is an SmtpReply whose text already starts with its enhanced code;
//   the connection's `send` is wrapped once (MailroomSmtpServer.connect) so such a reply goes out as
//   `550 5.1.1 text` instead of getting smtp-server's generic code for the number as well. Replies
//   smtp-server makes itself keep its own enhanced codes (ENHANCEDSTATUSCODES is on).
// - The same wrapper counts 4xx/5xx replies: past the soft limit our refusals are delayed by
//   errorDelayMs, at the hard limit the client gets 421 and is disconnected; an accepted message
//   resets the count (Postfix's smtpd_soft/hard_error_limit).
// - AUTH is enabled per session (session.disabledCommands): after TLS always, before TLS only from a
//   trusted network that may authenticate in plaintext; so it is not even advertised otherwise.
// - The banner names the host and ESMTP only, never the software or its version.
// - Settings read per connection: the hostname and the size limit are set on the server options
//   before each connection starts, so a change applies to the next connection without a restart.
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { Listener, ServerContext } from '../index.js';
import { Replies, SmtpReply } from '../policy/smtp-reply.js';
import { ConnectionCounter, RateWindow } from '../policy/limits.js';
import { createDnsblLookup, type DnsblLookup } from '../policy/dnsbl.js';
import { createDeliveryAgent, type DeliveryAgent } from '../delivery/index.js';
import { createSessionLogic, type SessionLogic, type SessionState, type SmtpAuth, type SmtpListenerName } from './session.js';

export interface SmtpListenerOptions {
  /** DNSBL lookups for rules that name a zone (default: the system resolver). */
  dnsbl?: DnsblLookup;
  /** Reverse-DNS the client for the Received header (default true; tests turn it off). */
  reverseLookup?: boolean;
  /** How long stop() lets sessions finish before closing them (default 5 s). */
  closeTimeoutMs?: number;
  /** The delivery agent (default: one over ctx; the bench passes its own to read group-commit stats). */
  agent?: DeliveryAgent;
}

const ENHANCED_PREFIX = /^[245]\.\d{1,3}\.\d{1,3} /;
const SOCKET_TIMEOUT_MS = 5 * 60_000; // RFC 5321 §4.5.3.2.7: at least 5 minutes between commands

interface Shared {
  ctx: ServerContext;
  logic: SessionLogic;
  states: Map<string, SessionState>;
}

/** The three SMTP listeners, sharing one delivery agent, per-IP connection count and send-rate window. */
export function createSmtpListeners(ctx: ServerContext, auth: SmtpAuth, options: SmtpListenerOptions = {}): Listener[] {
  const agent = options.agent ?? createDeliveryAgent({ store: ctx.store, bus: ctx.bus, log: ctx.log.child({ component: 'delivery' }), clock: ctx.clock });
  const logic = createSessionLogic({
    ctx,
    auth,
    agent,
    dnsbl: options.dnsbl ?? createDnsblLookup(),
    connections: new ConnectionCounter(),
    rate: new RateWindow(ctx.clock),
  });
  const shared: Shared = { ctx, logic, states: new Map() };
  return (['smtp', 'submission', 'submissions'] as const).map((name) => createListener(name, shared, options));
}

function createListener(name: SmtpListenerName, shared: Shared, options: SmtpListenerOptions): Listener {
  let server: MailroomSmtpServer | null = null;
  return {
    name,
    start(host, port) {
      const s = new MailroomSmtpServer(name, shared, options);
      server = s;
      return new Promise<number>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        s.server.once('error', onError);
        s.listen(port, host, () => {
          s.server.off('error', onError);
          const address = s.server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      await new Promise<void>((resolve) => s.close(() => resolve()));
      await s.sessionsEnded(options.closeTimeoutMs ?? 5000);
    },
  };
}

class MailroomSmtpServer extends SMTPServer {
  /** Connections whose onClose has not run yet; stop() waits for them so no session logs after. */
  private readonly live = new Set<string>();
  private idle: (() => void) | null = null;

  constructor(
    private readonly listener: SmtpListenerName,
    private readonly shared: Shared,
    options: SmtpListenerOptions,
  ) {
    const { ctx } = shared;
    const settings = ctx.settings();
    const config: SMTPServerOptions = {
      secure: listener === 'submissions',
      key: ctx.tls.key,
      cert: ctx.tls.cert,
      minVersion: 'TLSv1.2',
      name: settings.hostname,
      heloResponse: '%s',
      size: settings.limits.maxMessageBytes,
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: listener === 'smtp',
      authRequiredMessage: 'Authentication required',
      // AUTH availability is decided per session (disabledCommands); smtp-server's own TLS check off.
      allowInsecureAuth: true,
      hideENHANCEDSTATUSCODES: false,
      hideDSN: true,
      hideREQUIRETLS: true,
      disableReverseLookup: options.reverseLookup === false,
      maxAllowedUnauthenticatedCommands: false,
      socketTimeout: SOCKET_TIMEOUT_MS,
      closeTimeout: options.closeTimeoutMs ?? 5000,
      logger: false,
    };
    super(config);
    this.on('error', (error: Error) => ctx.log.child({ component: 'smtp' }).debug('smtp.socket-error', { listener, error: error.message }));
  }

  override connect(socket: Socket, socketOptions?: Parameters<SMTPServer['connect']>[1]): void {
    const settings = this.shared.ctx.settings();
    this.options.name = settings.hostname;
    this.options.size = settings.limits.maxMessageBytes;
    super.connect(socket, socketOptions);
    let connection;
    for (const c of this.connections) connection = c;
    if (!connection) return;
    const conn = connection;
    this.live.add(conn.id);
    const send = conn.send.bind(conn);
    conn.send = (code, data, context) => {
      send(code, data, typeof data === 'string' && ENHANCED_PREFIX.test(data) ? false : context);
      if (code < 400 || code === 421) return;
      const state = this.shared.states.get(conn.id);
      if (!state) return;
      state.errors++;
      if (state.errors >= state.settings.limits.hardErrorLimit) {
        state.log.info('smtp.error-limit', { errors: state.errors });
        send(421, Replies.tooManyErrors().line, false);
      }
    };
  }

  /** Runs a domain function and answers smtp-server's callback; the one place errors become replies. */
  private run<T>(session: SMTPServerSession, fn: (state: SessionState) => Promise<T>, done: (error: Error | null, value?: T) => void): void {
    const state = this.shared.states.get(session.id);
    if (!state) return done(wireError(Replies.localError()));
    fn(state).then(
      (value) => done(null, value),
      async (error: unknown) => {
        const reply = error instanceof SmtpReply ? error : Replies.localError();
        if (!(error instanceof SmtpReply)) state.log.error('smtp.internal-error', { error });
        if (state.errors >= state.settings.limits.softErrorLimit && state.settings.limits.errorDelayMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, state.settings.limits.errorDelayMs));
        }
        done(wireError(reply));
      },
    );
  }

  override onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const { logic, states } = this.shared;
    logic.connect(this.listener, session.id, session.remoteAddress, session.secure).then(
      (state) => {
        states.set(session.id, state);
        session.disabledCommands = logic.authOffered(state) ? [] : ['AUTH'];
        callback();
      },
      (error: unknown) => {
        const reply = error instanceof SmtpReply ? error : Replies.localError();
        if (!(error instanceof SmtpReply)) this.shared.ctx.log.error('smtp.internal-error', { error });
        callback(wireError(reply));
      },
    );
  }

  override onSecure(_socket: unknown, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const state = this.shared.states.get(session.id);
    if (state) {
      this.shared.logic.secured(state);
      state.log.info('smtp.tls', { version: session.tlsOptions ? session.tlsOptions.version : null, cipher: session.tlsOptions ? session.tlsOptions.name : null });
      session.disabledCommands = [];
    }
    callback();
  }

  override onAuth(
    auth: Parameters<SMTPServer['onAuth']>[0],
    session: SMTPServerSession,
    callback: Parameters<SMTPServer['onAuth']>[2],
  ): void {
    this.run(
      session,
      (state) => this.shared.logic.authenticate(state, auth.method, auth.username ?? '', auth.password ?? '', auth.authzid),
      (error, user) => (error ? callback(error) : callback(null, { user })),
    );
  }

  override onMailFrom(address: Parameters<SMTPServer['onMailFrom']>[0], session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const size = address.args && typeof address.args.SIZE === 'string' ? Number(address.args.SIZE) : 0;
    this.run(session, (state) => this.shared.logic.mailFrom(state, address.address, session.hostNameAppearsAs, size), callback);
  }

  override onRcptTo(address: Parameters<SMTPServer['onRcptTo']>[0], session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    this.run(session, (state) => this.shared.logic.rcptTo(state, address.address), callback);
  }

  override onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): void {
    const limit = this.options.size ?? Infinity;
    this.run(
      session,
      async (state) => {
        const raw = await readMessage(stream, limit);
        if (stream.sizeExceeded || raw === null) {
          state.log.info('smtp.data-refused', { reason: 'oversize', bytes: stream.byteLength, limit });
          throw Replies.messageTooBig(limit);
        }
        const tls = session.tlsOptions ? { version: session.tlsOptions.version, cipher: session.tlsOptions.name } : null;
        const accepted = await this.shared.logic.data(
          state,
          raw,
          session.envelope.rcptTo.map((r) => r.address),
          { helo: session.hostNameAppearsAs, clientHostname: session.clientHostname, protocol: session.transmissionType, tls, transaction: session.transaction },
        );
        return accepted.queueId ? `Ok: queued as ${accepted.queueId}` : 'Ok: delivered';
      },
      callback,
    );
  }

  override onClose(session: SMTPServerSession): void {
    if (!this.live.delete(session.id)) return;
    const state = this.shared.states.get(session.id);
    this.shared.states.delete(session.id);
    this.shared.logic.close(state, session.remoteAddress);
    if (this.live.size === 0) this.idle?.();
  }

  /** Resolves once every session has closed, or after `boundMs` (then late closes are not logged). */
  sessionsEnded(boundMs: number): Promise<void> {
    if (this.live.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.live.clear();
        finish();
      }, boundMs);
      const finish = () => {
        clearTimeout(timer);
        this.idle = null;
        resolve();
      };
      this.idle = finish;
    });
  }
}

/** smtp-server takes replies as errors with a responseCode; the text carries our enhanced code. */
function wireError(reply: SmtpReply): Error {
  return Object.assign(new Error(reply.line), { responseCode: reply.code });
}

/** The whole DATA stream as one buffer, or null once it exceeds `limit` (the rest is drained). */
function readMessage(stream: SMTPServerDataStream, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    stream.once('end', () => resolve(size <= limit ? Buffer.concat(chunks, size) : null));
    stream.once('error', reject);
  });
}
