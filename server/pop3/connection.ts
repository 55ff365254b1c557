// One POP3 client connection: the shared line-protocol connection (server/net/client-connection.ts:
// pulled reads, bounded input, backpressured writes, TLS switch, autologout) over the POP3 line
// framer. STLS discards the framer's queued plaintext (RFC 2595 §4). Idle clients are logged out after
// IDLE_TIMEOUT_MS (RFC 1939 §3: at least 10 minutes) without entering the UPDATE state.
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { ClientConnection } from '../net/client-connection.js';
import { LineFramer, type FramedLine } from './wire.js';

export const MAX_BUFFERED_BYTES = 64 * 1024;
export const IDLE_TIMEOUT_MS = 10 * 60_000;

const AUTOLOGOUT = Buffer.from('-ERR Autologout: idle for too long\r\n');
const TOO_SLOW = Buffer.from('-ERR [SYS/TEMP] Data too slow\r\n');

export class Pop3Connection extends ClientConnection<LineFramer> {
  /** `minBytesPerSecond`: settings.limits.minDataBytesPerSecond, the slowest a started line may arrive. */
  constructor(socket: Socket, secure: boolean, minBytesPerSecond = 0) {
    super(socket, secure, new LineFramer(), { maxBufferedBytes: MAX_BUFFERED_BYTES, idleTimeoutMs: IDLE_TIMEOUT_MS, autologout: AUTOLOGOUT, minBytesPerSecond, tooSlow: TOO_SLOW });
  }

  /** The next line within `limit` bytes, or null once the connection is over. */
  readLine(limit: number): Promise<FramedLine | null> {
    return this.pull(() => this.framer.next(limit));
  }

  /** Sends the STLS go-ahead and performs the server side of the handshake. Returns the dropped plaintext's length. */
  async startTls(goAhead: Buffer, secureContext: SecureContext): Promise<number> {
    let dropped = 0;
    await this.upgrade(goAhead, secureContext, () => (dropped = this.framer.discard()));
    return dropped;
  }
}
