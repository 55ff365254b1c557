// When the 220 greeting goes out. smtp-server 3.21.6 holds every greeting back 100 ms to catch early
// talkers (`SMTPConnection.init`), which caps one connection at ~9 messages a second and has no
// option to turn it off. This module is the one override of that: a connection class whose init()
// greets at once, or after the pause the caller planned (Postfix postscreen's greet_wait), refusing a
// client that sends anything before it.
//
// Implementation notes:
// - Pinned to smtp-server 3.21.6 (package.json pins it exactly; test/server/smtp/greeting.test.ts
//   fails on any other version): init() below is the library's init() with the timer made a plan,
//   and createConnection() is the library's SMTPServer.connect() with our class. Both use the
//   library's own internals (_setListeners, _onError, _onClientConnect, _closing) and nothing else.
// - The library's maxClients check stays where it was (before the greeting, a 421 and close).
// - Early talk is seen on the socket itself, so a partial line counts as well as a whole command;
//   the library's own "You talk too soon" reply for a whole command is left as it is, ours is only
//   sent when it has not answered.
import type { Socket } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';

export const PINNED_SMTP_SERVER_VERSION = '3.21.6';

export interface GreetingPlan {
  /** How long to hold the greeting back; 0 greets at once. */
  pauseMs: number;
  /** Called once when a paused client talked first (it is refused and closed). */
  onEarlyTalker(bytes: number): void;
}

class PlannedGreetingConnection extends SMTPConnection {
  constructor(
    server: SMTPServer,
    socket: Socket,
    options: SMTPConnectionOptions | null | undefined,
    private readonly plan: GreetingPlan,
  ) {
    super(server, socket, options);
  }

  override init(): void {
    this._setListeners(() => {
      const { maxClients } = this._server.options;
      if (maxClients && this._server.connections.size > maxClients) {
        return this.send(421, this.name + ' Too many connected clients, try again in a moment', false);
      }
      if (this.plan.pauseMs === 0) return this.connectionReady();
      this.pauseThenGreet(this.plan.pauseMs);
    });
  }

  private pauseThenGreet(pauseMs: number): void {
    const socket = this._socket;
    const onData = (chunk: Buffer) => {
      clearTimeout(timer);
      socket.off('data', onData);
      this.plan.onEarlyTalker(chunk.length);
      if (!this._closing) this.send(421, `${this.name} You talk too soon`, false);
    };
    const timer = setTimeout(() => {
      socket.off('data', onData);
      if (!this._closing) this.connectionReady();
    }, pauseMs);
    timer.unref();
    socket.on('data', onData);
  }
}

/** SMTPServer.connect() of smtp-server 3.21.6, with a connection that greets as `plan` says. */
export function createConnection(server: SMTPServer, socket: Socket, socketOptions: SMTPConnectionOptions | null | undefined, plan: GreetingPlan): SMTPConnection {
  const connection = new PlannedGreetingConnection(server, socket, socketOptions, plan);
  server.connections.add(connection);
  connection.on('error', (error: Error) => server._onError(error));
  connection.on('connect', (data: Parameters<SMTPServer['_onClientConnect']>[0]) => server._onClientConnect(data));
  connection.init();
  return connection;
}
