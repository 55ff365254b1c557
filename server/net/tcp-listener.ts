// A plain or implicit-TLS TCP listener for a line protocol (IMAP, POP3): binds, tracks every accepted
// socket (including implicit-TLS ones still in their handshake) and every running session, and on
// stop() stops accepting, drops every connection and resolves once every session has finished.
// The TLS identity is read for every new connection (it follows tls/ without a restart: a changed one
// gets a new context, implicit TLS included, before the handshake); open connections keep theirs.
// At most `maxConnections()` sessions run at once: a connection beyond that gets the protocol's
// `busy` line (IMAP `* BYE`, POP3 `-ERR [SYS/TEMP]`) and is closed before any session starts.
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type SecureContext, type Server as TlsServer } from 'node:tls';
import type { Listener, PortName } from '../context.js';
import type { Logger } from '../log.js';

export interface TcpListenerOptions<C extends { destroy(): void }> {
  name: PortName;
  implicitTls: boolean;
  /** Read per connection; a changed certificate gets a new TLS context. */
  identity: () => { key: string; cert: string };
  /** Where a failed implicit-TLS handshake is logged, and under which event name. */
  log: Logger;
  tlsFailedEvent: string;
  /** The cap on concurrent sessions (read per connection, so a settings change applies at once). */
  maxConnections(): number;
  /** What a connection beyond the cap is told before it is closed. */
  busy: Buffer;
  connect(socket: Socket, secure: boolean): C;
  /** Runs one connection's session to its end. */
  serve(connection: C, secureContext: SecureContext): Promise<void>;
}

export function createTcpListener<C extends { destroy(): void }>(options: TcpListenerOptions<C>): Listener {
  let server: Server | null = null;
  const connections = new Set<C>();
  const sockets = new Set<Socket>();
  const sessions = new Set<Promise<void>>();
  let context: { cert: string; secureContext: SecureContext } | undefined;

  /** The context for a new connection, rebuilt when the identity changed (and handed to an implicit-TLS server before its handshake). */
  const currentContext = (tlsServer?: TlsServer): SecureContext => {
    const identity = options.identity();
    if (context?.cert !== identity.cert) {
      context = { cert: identity.cert, secureContext: createSecureContext(identity) };
      tlsServer?.setSecureContext(identity);
    }
    return context.secureContext;
  };

  const accept = (socket: Socket, secure: boolean, secureContext: SecureContext) => {
    const limit = options.maxConnections();
    if (connections.size >= limit) {
      options.log.info('listener.full', { listener: options.name, remote: socket.remoteAddress, limit });
      socket.on('error', () => {});
      socket.end(options.busy);
      return;
    }
    const connection = options.connect(socket, secure);
    connections.add(connection);
    const session = options.serve(connection, secureContext).finally(() => {
      connections.delete(connection);
      sessions.delete(session);
    });
    sessions.add(session);
  };

  return {
    name: options.name,
    async start(host, port) {
      const identity = options.identity();
      context = { cert: identity.cert, secureContext: createSecureContext(identity) };
      const tlsServer = options.implicitTls
        ? createTlsServer(identity, (socket) => accept(socket, true, context!.secureContext)).on('tlsClientError', (error, socket) =>
            options.log.info(options.tlsFailedEvent, { remote: socket.remoteAddress, error: error.message }),
          )
        : undefined;
      const created = tlsServer ?? createNetServer((socket) => accept(socket, false, currentContext()));
      // Before the TLS server's own connection listener starts the handshake with its context.
      if (tlsServer) tlsServer.prependListener('connection', () => currentContext(tlsServer));
      created.on('connection', (socket: Socket) => {
        // Responses are written whole; Nagle would hold a small one (an IDLE EXISTS) for the peer's delayed ACK.
        socket.setNoDelay(true);
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, host, () => {
          created.off('error', reject);
          resolve();
        });
      });
      server = created;
      return (created.address() as AddressInfo).port;
    },
    async stop() {
      const closing = server;
      server = null;
      if (!closing) return;
      const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
      for (const connection of connections) connection.destroy();
      for (const socket of sockets) socket.destroy();
      await Promise.all([...sessions]);
      await closed;
    },
  };
}
