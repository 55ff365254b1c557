// One ManageSieve client connection: the shared line-protocol connection (server/net: pulled reads,
// bounded input, backpressured writes, the STARTTLS switch, autologout) over the request framer.

import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { ClientConnection } from '../../net/client-connection.js';
import { response } from './responses.js';
import { RequestFramer, type Framed } from './wire.js';

export const MAX_BUFFERED_BYTES = 64 * 1024;
/** RFC 5804 §2: the server may close idle connections; 30 minutes as IMAP's autologout. */
export const IDLE_TIMEOUT_MS = 30 * 60_000;

export class ManageSieveConnection extends ClientConnection<RequestFramer> {
  /** `minBytesPerSecond`: the slowest a started command may arrive (0: no check). */
  constructor(socket: Socket, secure: boolean, minBytesPerSecond = 0) {
    super(socket, secure, new RequestFramer(), {
      maxBufferedBytes: MAX_BUFFERED_BYTES,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
      autologout: response('BYE', 'Idle for too long', 'TRYLATER'),
      minBytesPerSecond,
      tooSlow: response('BYE', 'Data too slow', 'TRYLATER'),
    });
  }

  /** The next command (or, with `bare`, SASL response line); null once the connection is over. */
  next(bare = false): Promise<Framed | null> {
    return this.pull(() => this.framer.next(bare));
  }

  /** Sends the STARTTLS go-ahead and performs the handshake; queued plaintext is dropped first. */
  startTls(goAhead: Buffer, secureContext: SecureContext): Promise<boolean> {
    return this.upgrade(goAhead, secureContext, () => this.framer.discard());
  }
}
