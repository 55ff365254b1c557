// One IMAP client connection: the shared line-protocol connection (server/net/client-connection.ts:
// pulled reads, bounded input, backpressured writes, TLS switch, autologout) over the IMAP framer.
// STARTTLS replaces the framer, so any plaintext queued after the command is dropped (RFC 3501
// §6.2.1); COMPRESS replaces it too (the client sends nothing after COMPRESS before the answer). Idle clients are logged out after IDLE_TIMEOUT_MS (RFC 3501 §5.4: at least 30 minutes).
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { ClientConnection } from '../net/client-connection.js';
import { ImapFramer, type FramerEvent, type FramerLimits } from './wire/index.js';

export const MAX_BUFFERED_BYTES = 256 * 1024;
export const IDLE_TIMEOUT_MS = 30 * 60_000 + 10_000;

const AUTOLOGOUT = Buffer.from('* BYE Autologout: idle for too long\r\n');
const TOO_SLOW = Buffer.from('* BYE Data too slow\r\n');

export class ImapConnection extends ClientConnection<ImapFramer> {
  constructor(
    socket: Socket,
    secure: boolean,
    private readonly limits: Partial<FramerLimits>,
    /** settings.limits.minDataBytesPerSecond: the slowest a started command or literal may arrive. */
    minBytesPerSecond = 0,
  ) {
    super(socket, secure, new ImapFramer(limits), { maxBufferedBytes: MAX_BUFFERED_BYTES, idleTimeoutMs: IDLE_TIMEOUT_MS, autologout: AUTOLOGOUT, minBytesPerSecond, tooSlow: TOO_SLOW });
  }

  /** The next framer event, or null once the connection is over. */
  next(): Promise<FramerEvent | null> {
    return this.pull(() => this.framer.next());
  }

  /** The next line is raw (a SASL response, IDLE's DONE): see ImapFramer.expectLine. */
  expectLine(): void {
    this.framer.expectLine();
  }

  /** Sends the STARTTLS go-ahead and performs the server side of the handshake; false if it failed. */
  startTls(goAhead: Buffer, secureContext: SecureContext): Promise<boolean> {
    return this.upgrade(goAhead, secureContext, () => (this.framer = new ImapFramer(this.limits)));
  }

  /** Sends COMPRESS's tagged OK uncompressed and compresses both directions after it (RFC 4978 §3). */
  compress(goAhead: Buffer): void {
    this.startDeflate(goAhead, () => (this.framer = new ImapFramer(this.limits)));
  }
}
