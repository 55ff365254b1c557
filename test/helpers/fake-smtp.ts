// A remote SMTP server for outbound tests: an `smtp-server` instance on 127.0.0.1 (ephemeral port)
// with STARTTLS (or implicit TLS) on a self-signed certificate, optional AUTH, and per-recipient /
// per-message replies the test scripts. It records every accepted message with its envelope and
// whether the session was encrypted and authenticated.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createSelfSigned } from '../../server/tls/certificate.js';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  secure: boolean;
  user: string | null;
  helo: string;
}

/** A reply to force: `{ code: 550, message: '5.1.1 no such user' }`. */
export interface ScriptedReply {
  code: number;
  message: string;
}

export interface FakeSmtpOptions {
  /** Implicit TLS (465-style) instead of plain + STARTTLS. */
  secure?: boolean;
  /** Offer no STARTTLS. */
  noTls?: boolean;
  /** Offer STARTTLS but only TLS 1.0, which a current client refuses: the handshake fails. */
  brokenTls?: boolean;
  /** user → password; when set, AUTH is required before MAIL. */
  users?: Record<string, string>;
  /** Reply to RCPT TO; null accepts. */
  rcpt?: (address: string) => ScriptedReply | null;
  /** Reply to the end of DATA; null accepts. */
  data?: (message: ReceivedMessage) => ScriptedReply | null;
}

export interface FakeSmtp {
  port: number;
  /** The certificate the server presents (self-signed, for localhost and 127.0.0.1): a test's CA. */
  cert: string;
  received: ReceivedMessage[];
  /** Number of connections opened so far, and the most open at once. */
  connections: number;
  maxConcurrent: number;
  options: FakeSmtpOptions;
  close(): Promise<void>;
}

const replyError = (r: ScriptedReply) => Object.assign(new Error(r.message), { responseCode: r.code });

let identity: { key: string; cert: string } | null = null;

export async function startFakeSmtp(t: { after(fn: () => Promise<void> | void): void }, options: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  identity ??= createSelfSigned('localhost', Date.now());
  const state: FakeSmtp = { port: 0, cert: identity.cert, received: [], connections: 0, maxConcurrent: 0, options, close: async () => {} };
  let open = 0;
  const requireAuth = options.users !== undefined;
  const serverOptions: SMTPServerOptions = {
    secure: options.secure === true,
    key: identity.key,
    cert: identity.cert,
    hideSTARTTLS: options.noTls === true,
    ...(options.brokenTls ? { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1' as const } : {}),
    authOptional: !requireAuth,
    disabledCommands: requireAuth ? [] : ['AUTH'],
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      state.connections++;
      state.maxConcurrent = Math.max(state.maxConcurrent, ++open);
      callback();
    },
    onClose() {
      open--;
    },
    onAuth(auth, _session, callback) {
      const users = options.users ?? {};
      if (auth.username !== undefined && users[auth.username] === auth.password) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('5.7.8 Authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const reply = state.options.rcpt?.(address.address) ?? null;
      callback(reply ? replyError(reply) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const message: ReceivedMessage = {
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
          helo: session.hostNameAppearsAs,
        };
        const reply = state.options.data?.(message) ?? null;
        if (reply) return callback(replyError(reply));
        state.received.push(message);
        callback(null);
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => {
    // A client that drops the connection mid-session is a case the tests cause on purpose.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as { port: number }).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  t.after(() => state.close());
  return state;
}
