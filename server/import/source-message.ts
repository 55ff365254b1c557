// What every mail reader (Maildir, mbox, later IMAP) yields: one item at a time, either a message whose
// bytes are read only when asked (so a reader holds no more than one message in memory) or a problem
// with a file it could not read, which the caller must list in its report. Nothing is skipped silently.

/** IMAP system flags as the store keeps them. */
export type SystemFlag = '\\Seen' | '\\Answered' | '\\Flagged' | '\\Deleted' | '\\Draft';

export interface SourceMessage {
  kind: 'message';
  /** Mailbox name with `/` as the hierarchy delimiter, UTF-8, `INBOX` for the inbox. */
  folder: string;
  flags: SystemFlag[];
  /** IMAP keywords (`$Forwarded`, `Junk`, ...), as the source named them. */
  keywords: string[];
  /** Milliseconds since the epoch. */
  internalDate: number;
  /** The UID the old server gave the message, when it kept one (dovecot-uidlist, courierimapuidlist). */
  sourceUid?: number;
  /** Size in bytes known without reading: as IMAP reports it (W=, mbox after CRLF) or else the file size. */
  size?: number;
  /** Where the message came from, for the report (file path, or `mbox-file#n`). */
  origin: string;
  /** The raw RFC 5322 bytes; rejects when the file has become unreadable. */
  read(): Promise<Buffer>;
  /**
   * The file read() reads (Maildir): a writer may read it itself instead, off this thread — its bytes
   * with bare LFs as CRLF, exactly what read() returns.
   */
  file?: string;
}

export interface UnreadableItem {
  kind: 'unreadable';
  /** File or folder that could not be read. */
  path: string;
  folder?: string;
  reason: string;
}

/** Comes before the messages of its folder (a folder with no messages still gets one). */
export interface SourceFolder {
  kind: 'folder';
  name: string;
  uidValidity?: number;
  /** A lower bound: some sources update it lazily, so a writer takes max(uidNext, highest sourceUid + 1). */
  uidNext?: number;
}

export type SourceItem = SourceFolder | SourceMessage | UnreadableItem;

/**
 * Bare LF line ends as CRLF: Maildir and mbox files hold LF, while the old IMAP server showed clients
 * CRLF (RFC 5322) and reported that size (Dovecot's W=). Existing CRLFs are kept.
 */
export { toCrlf } from '../mime/crlf.js';

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
