// The SMTP listeners (DESIGN §3) on the `smtp-server` package: MX (25), submission (587, STARTTLS
// then AUTH before MAIL) and submissions (465, implicit TLS, AUTH required). smtp-server owns the
// wire (parsing, PIPELINING, STARTTLS, SASL PLAIN/LOGIN framing, DATA dot-unstuffing); its hooks here
// are thin adapters to the async domain functions of session.ts.
//
// Implementation notes:
// - Replies: every refusal of ours is an SmtpReply whose text already starts with its enhanced code;
//   the connection's `send` is wrapped once (MailroomSmtpServer.connect) so such a reply goes out as
//   `550 5.1.1 text` instead of getting smtp-server's generic code for the number as well. Replies
//   smtp-server makes itself keep its own enhanced codes (ENHANCEDSTATUSCODES is on). A reply of
//   several lines (a milter's) arrives as lines joined by LF and goes out as a multi-line reply.
// - The same wrapper counts 4xx/5xx replies: past the soft limit our refusals are delayed by
//   errorDelayMs, at the hard limit the client gets 421 and is disconnected; an accepted message
//   resets the count (Postfix's smtpd_soft/hard_error_limit).
// - AUTH is enabled per session (session.disabledCommands): after TLS always, before TLS only from a
//   trusted network that may authenticate in plaintext; so it is not even advertised otherwise.
// - The banner names the host and ESMTP only, never the software or its version.
// - Settings and the policy snapshot are read once per connection, before it is greeted (the
//   greeting pause depends on the client's network): the hostname, size limit and connection cap are
//   set on the server options then, so a change applies to the next connection without a restart.
// - The greeting goes out at once (greeting.ts overrides smtp-server's fixed 100 ms pause) unless
//   settings.greetPauseMs asks for early-talker detection on MX for untrusted clients.
// - Memory per connection is bounded: DATA past SPILL_THRESHOLD goes to a file in <data>/tmp
//   (data-spool.ts), and spilled messages are read back for delivery one at a time. A session ends
//   after limits.maxSmtpSessionMs, and DATA slower than limits.minDataBytesPerSecond ends it too.
// - At most limits.maxSmtpConnections connections per listener (smtp-server's maxClients: 421).
// - smtp-server has no hook for a per-connection hostname, size limit, connection cap or reply
//   rewriting, so accept() uses its internals (options read by the SMTPConnection constructor,
//   the connections Set, SMTPConnection.send) and the package is pinned exactly (3.21.6);
//   test/server/smtp/smtp-server-internals.test.ts checks each internal on the installed version.
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { Listener, SmtpContext, SmtpListenerName } from '../context.js';
import { Replies, SmtpReply } from '../policy/smtp-reply.js';
import { RateWindow } from '../policy/limits.js';
import { createDnsblLookup, type DnsblLookup } from '../policy/dnsbl.js';
import { createPolicySnapshots, type Policy } from '../policy/index.js';
import { greetPauseMs } from '../policy/greet-wait.js';
import { ConnectionCounter } from '../net/connection-counter.js';
import { createDnsCache } from '../dns/cache.js';
import { createDeliveryAgent, type DeliveryAgent } from '../delivery/index.js';
import { createSessionLogic, type ConnectSnapshot, type SessionLogic, type SessionState, type SmtpAuth } from './session.js';
import { createConnection } from './greeting.js';
import { prepareSpool, spoolMessage } from './data-spool.js';

export interface SmtpListenerOptions {
  /** DNSBL lookups for rules that name a zone (default: the configured DNS servers, answers cached). */
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
  ctx: SmtpContext;
  logic: SessionLogic;
  states: Map<string, SessionState>;
  /** Where DATA past the in-memory threshold is spooled. */
  spoolDir: string;
  /** Runs `fn` once the spilled messages before it are done (one read back into memory at a time). */
  oneAtATime<T>(fn: () => Promise<T>): Promise<T>;
  /** The policy snapshot for a new connection (read again only when its tables changed). */
  policy(now: number): Promise<Policy>;
}

/** A connection from accept to close: what was read for it, and its session deadline. */
interface Live {
  /** Null only while createConnection runs. */
  connection: SMTPConnection | null;
  snapshot: ConnectSnapshot;
  deadline: NodeJS.Timeout;
}

/** The three SMTP listeners, sharing one delivery agent, per-IP connection count and send-rate window. */
export function createSmtpListeners(ctx: SmtpContext, auth: SmtpAuth, options: SmtpListenerOptions = {}): Listener[] {
  const agent = options.agent ?? createDeliveryAgent({ ...ctx, log: ctx.log.child({ component: 'delivery' }) });
  const resolver = createDnsCache(ctx.resolver, { clock: ctx.clock });
  const logic = createSessionLogic({
    ctx,
    auth,
    agent,
    // DNSBL answers are kept for their TTL like the others; their lookups get a short deadline of
    // their own, as they run before the greeting.
    dnsbl: options.dnsbl ?? createDnsblLookup(resolver),
    resolver,
    connections: new ConnectionCounter(),
    rate: new RateWindow(ctx.clock),
  });
  const spoolDir = join(ctx.dataDir, 'tmp');
  prepareSpool(spoolDir);
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };
  const shared: Shared = { ctx, logic, states: new Map(), spoolDir, oneAtATime, policy: createPolicySnapshots(ctx.store) };
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
  private readonly live = new Map<string, Live>();
  /** Sockets accepted whose policy snapshot is still being read (close() destroys them). */
  private readonly reading = new Set<Socket>();
  private closing = false;
  private idle: (() => void) | null = null;
  /** The certificate the TLS contexts were built from; a changed ctx.tls rebuilds them for new connections. */
  private certificate: string;

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
    this.certificate = config.cert as string;
    // Before smtp-server's own listener, which starts an implicit-TLS handshake with the current context.
    this.server.prependListener('connection', () => this.followCertificate());
    this.on('error', (error: Error) => ctx.log.child({ component: 'smtp' }).debug('smtp.socket-error', { listener, error: error.message }));
  }

  /** A certificate imported or renewed since the last connection is used from this one on (STARTTLS and implicit TLS). */
  private followCertificate(): void {
    const { key, cert } = this.shared.ctx.tls;
    if (cert === this.certificate) return;
    this.certificate = cert;
    this.updateSecureContext({ key, cert });
  }

  override connect(socket: Socket, socketOptions?: Parameters<SMTPServer['connect']>[1]): void {
    const { ctx } = this.shared;
    // The socket waits here, unread, while the snapshot comes from the asynchronous store; a client
    // that resets meanwhile is no error worth reporting.
    const ignore = () => {};
    socket.on('error', ignore);
    this.reading.add(socket);
    this.shared.policy(ctx.clock.now()).then(
      (policy) => {
        this.reading.delete(socket);
        socket.off('error', ignore);
        if (this.closing || socket.destroyed) socket.destroy();
        else this.accept(socket, socketOptions, policy);
      },
      (error: unknown) => {
        this.reading.delete(socket);
        ctx.log.child({ component: 'smtp' }).error('smtp.internal-error', { listener: this.listener, error });
        socket.end(`421 ${Replies.localError().line}\r\n`);
      },
    );
  }

  override close(callback?: (() => void) | null): void {
    this.closing = true;
    for (const socket of this.reading) socket.destroy();
    this.reading.clear();
    super.close(callback);
  }

  /** The connection for `socket`, greeted as its network and the settings say. */
  private accept(socket: Socket, socketOptions: Parameters<SMTPServer['connect']>[1], policy: Policy): void {
    const { ctx } = this.shared;
    const settings = ctx.settings();
    this.options.name = settings.hostname;
    this.options.size = settings.limits.maxMessageBytes;
    this.options.maxClients = settings.limits.maxSmtpConnections;
    const ip = socketOptions?.remoteAddress ?? socket.remoteAddress ?? '';
    const network = policy.networks.lookup(ip);
    const pauseMs = greetPauseMs({ mx: this.listener === 'smtp', network, configuredMs: settings.greetPauseMs });
    const snapshot: ConnectSnapshot = { settings, policy, network, greetPauseMs: pauseMs };
    const full = this.connections.size >= settings.limits.maxSmtpConnections;
    // The id is known before createConnection returns (with no pause, onConnect runs inside it):
    // smtp-server's own, made as it accepted the socket, or ours where a caller passed none.
    const id = socketOptions?.id ?? BigInt(`0x${randomBytes(10).toString('hex')}`).toString(32).padStart(16, '0');
    const deadline = setTimeout(() => {
      this.shared.states.get(id)?.log.info('smtp.session-limit', { limitMs: settings.limits.maxSmtpSessionMs });
      this.live.get(id)?.connection?.send(421, Replies.sessionTooLong().line, false);
    }, settings.limits.maxSmtpSessionMs).unref();
    const live: Live = { connection: null, snapshot, deadline };
    this.live.set(id, live);
    const conn = createConnection(this, socket, { ...socketOptions, id }, {
      pauseMs,
      onEarlyTalker: (bytes) => this.connectionLog(id, ip).warn('smtp.refused', { reason: 'early-talker', greetPauseMs: pauseMs, bytes }),
    });
    live.connection = conn;
    if (full) this.connectionLog(id, ip).warn('smtp.refused', { reason: 'listener-full', limit: settings.limits.maxSmtpConnections });
    const send = conn.send.bind(conn);
    conn.send = (code, data, context) => {
      const ours = typeof data === 'string' && ENHANCED_PREFIX.test(data);
      send(code, ours && data.includes('\n') ? data.split('\n') : data, ours ? false : context);
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

  private connectionLog(id: string, ip: string) {
    return this.shared.ctx.log.child({ component: 'smtp', sessionId: id, fields: { proto: this.listener, remote: ip } });
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
    const live = this.live.get(session.id);
    if (!live) return callback(wireError(Replies.localError()));
    const state = logic.open(this.listener, session.id, session.remoteAddress, session.secure, live.snapshot);
    states.set(session.id, state);
    const hostname = session.clientHostname && !session.clientHostname.startsWith('[') ? session.clientHostname : null;
    logic.admit(state, { hostname, port: session.remotePort }).then(
      () => {
        session.disabledCommands = logic.authOffered(state) ? [] : ['AUTH'];
        callback();
      },
      (error: unknown) => {
        const reply = error instanceof SmtpReply ? error : Replies.localError();
        if (!(error instanceof SmtpReply)) state.log.error('smtp.internal-error', { error });
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
    const tls = session.tlsOptions ? { version: session.tlsOptions.version, cipher: session.tlsOptions.name } : null;
    const mail = { helo: session.hostNameAppearsAs, declaredSize: size, params: esmtpParams(address.args), transaction: session.transaction, tls };
    this.run(session, (state) => this.shared.logic.mailFrom(state, address.address, mail), callback);
  }

  override onRcptTo(address: Parameters<SMTPServer['onRcptTo']>[0], session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    this.run(session, (state) => this.shared.logic.rcptTo(state, address.address, esmtpParams(address.args)), callback);
  }

  override onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): void {
    const limit = this.options.size ?? Infinity;
    this.run(
      session,
      async (state) => {
        const spooled = await spoolMessage(stream, {
          limit,
          dir: this.shared.spoolDir,
          name: `${session.id}.${session.transaction}`,
          minBytesPerSecond: state.settings.limits.minDataBytesPerSecond,
          onTooSlow: (bytes) => {
            state.log.info('smtp.data-too-slow', { bytesInWindow: bytes, minBytesPerSecond: state.settings.limits.minDataBytesPerSecond });
            this.live.get(session.id)?.connection?.send(421, Replies.dataTooSlow().line, false);
          },
        }).catch((error: unknown) => {
          state.log.info('smtp.data-aborted', { bytes: stream.byteLength, error: error instanceof Error ? error.message : String(error) });
          throw Replies.localError();
        });
        if (stream.sizeExceeded || spooled === null) {
          await spooled?.discard();
          state.log.warn('smtp.data-refused', { reason: 'oversize', bytes: stream.byteLength, limit });
          throw Replies.messageTooBig(limit);
        }
        const tls = session.tlsOptions ? { version: session.tlsOptions.version, cipher: session.tlsOptions.name } : null;
        const context = { helo: session.hostNameAppearsAs, clientHostname: session.clientHostname, protocol: session.transmissionType, tls, transaction: session.transaction };
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const deliver = async () => {
          try {
            return await this.shared.logic.data(state, await spooled.read(), recipients, context);
          } finally {
            await spooled.discard();
          }
        };
        const accepted = spooled.spilled ? await this.shared.oneAtATime(deliver) : await deliver();
        // A quarantined message is "queued" to the client, as Postfix's hold queue is.
        if (accepted.quarantineId) return `Ok: queued as ${accepted.quarantineId}`;
        if (accepted.discarded) return 'Ok';
        return accepted.queueId ? `Ok: queued as ${accepted.queueId}` : 'Ok: delivered';
      },
      callback,
    );
  }

  override onClose(session: SMTPServerSession): void {
    const live = this.live.get(session.id);
    if (!live) return;
    clearTimeout(live.deadline);
    this.live.delete(session.id);
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

/** ESMTP parameters as written on the command line (`SIZE=1234`, `SMTPUTF8`), for the milters. */
function esmtpParams(args: unknown): string[] {
  if (!args || typeof args !== 'object') return [];
  return Object.entries(args as Record<string, unknown>).map(([key, value]) => (value === true ? key : `${key}=${String(value)}`));
}

/** smtp-server takes replies as errors with a responseCode; the text carries our enhanced code. */
function wireError(reply: SmtpReply): Error {
  return Object.assign(new Error(reply.line), { responseCode: reply.code });
}
