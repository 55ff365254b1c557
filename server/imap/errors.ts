// The errors an IMAP command throws; the session's one catch turns them into the tagged response
// (RFC 3501 §7.1): ImapNo → `tag NO [code] text` (the command failed, nothing changed), ImapBad →
// `tag BAD [code] text` (the client sent something invalid for this state or arguments). Store
// errors for a missing or duplicate mailbox map to NO [NONEXISTENT] / NO [ALREADYEXISTS] there too;
// anything else is a bug, logged with its stack and answered with NO [SERVERBUG].
import type { ResponseCode, SimpleResponseCode } from './wire/index.js';

export class ImapNo extends Error {
  override readonly name = 'ImapNo';
  readonly code: ResponseCode | undefined;

  constructor(
    readonly text: string,
    code?: ResponseCode | SimpleResponseCode,
  ) {
    super(text);
    this.code = typeof code === 'string' ? { code } : code;
  }
}

export class ImapBad extends Error {
  override readonly name = 'ImapBad';
  readonly code: ResponseCode | undefined;

  constructor(
    readonly text: string,
    code?: SimpleResponseCode,
  ) {
    super(text);
    this.code = code === undefined ? undefined : { code };
  }
}

/** The connection closed in the middle of a command (during AUTHENTICATE or IDLE). */
export class ConnectionLost extends Error {
  override readonly name = 'ConnectionLost';
}

/** The selected mailbox was deleted by another session: the session says BYE (RFC 3501 §7.1.5). */
export class SelectedMailboxGone extends Error {
  override readonly name = 'SelectedMailboxGone';
}
