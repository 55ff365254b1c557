// What OBJECTID (RFC 8474) needs of message rows: each message's EMAILID and its cached search header
// text (migrations/0002), from which the IMAP layer derives the THREADID.
//
// EMAILID names the message's bytes: a hash of its per-delivery prefix and its blob's SHA-256. COPY
// and MOVE keep both (the blob is shared), so the copy has the EMAILID of the original (§5.1); two
// deliveries of the same bytes to one mailbox share it too, which JMAP's model allows (the content is
// the same), and different bytes can never share one. Nothing is stored: the id follows from the row.
import { createHash } from 'node:crypto';
import type { Db } from './db.js';

export interface ObjectIdRow {
  id: number;
  uid: number;
  emailId: string;
  /** As SearchRow.searchHeaders: null when not computed yet. */
  searchHeaders: string | null;
}

export interface ObjectIdRepo {
  /** The rows of the given UIDs that exist, ascending by UID. */
  rows(mailboxId: number, uids: readonly number[]): ObjectIdRow[];
}

/** Hex digits of an EMAILID after its letter: 96 bits, far from any collision in one store. */
const EMAILID_HEX = 24;

/** The EMAILID of a message whose bytes are `prefix` then the blob with digest `sha256`. */
export function emailIdOf(prefix: Buffer, sha256: Buffer): string {
  return `M${createHash('sha256').update(prefix).update(sha256).digest('hex').slice(0, EMAILID_HEX)}`;
}

export interface RawObjectIdRow {
  id: number;
  uid: number;
  prefix: Buffer;
  sha256: Buffer;
  search_headers: string | null;
}

export function toObjectIdRow(r: RawObjectIdRow): ObjectIdRow {
  return { id: r.id, uid: r.uid, emailId: emailIdOf(r.prefix, r.sha256), searchHeaders: r.search_headers };
}

export const OBJECT_ID_COLUMNS = 'm.id, m.uid, m.prefix, b.sha256, c.search_headers FROM messages m JOIN blobs b ON b.id = m.blob_id JOIN message_mime c ON c.id = m.id';

export function createObjectIdRepo(db: Db): ObjectIdRepo {
  const one = db.prepare<[number, number], RawObjectIdRow>(`SELECT ${OBJECT_ID_COLUMNS} WHERE m.mailbox_id = ? AND m.uid = ?`);
  return {
    rows(mailboxId, uids) {
      const rows: ObjectIdRow[] = [];
      for (const uid of [...uids].sort((a, b) => a - b)) {
        const r = one.get(mailboxId, uid);
        if (r !== undefined) rows.push(toObjectIdRow(r));
      }
      return rows;
    },
  };
}
