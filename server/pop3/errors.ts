// The one error type a POP3 command throws: it becomes `-ERR [CODE] text` in the session's single
// catch. Response codes are the ones RFC 2449 §8 (IN-USE, LOGIN-DELAY), RFC 3206 (SYS/TEMP, SYS/PERM,
// AUTH) define; clients use them to decide whether to tell the user their password is wrong.

export type Pop3ResponseCode = 'IN-USE' | 'LOGIN-DELAY' | 'SYS/TEMP' | 'SYS/PERM' | 'AUTH';

export class Pop3Error extends Error {
  override readonly name = 'Pop3Error';

  constructor(
    /** Human-readable reason, sent after `-ERR`. */
    readonly text: string,
    readonly code: Pop3ResponseCode | null = null,
    /** After this reply the connection is closed (the session cannot usefully go on). */
    readonly closes = false,
  ) {
    super(text);
  }
}
