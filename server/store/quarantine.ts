// Messages a milter quarantined (SMFIR_QUARANTINE; Postfix puts them on hold): the bytes as they would
// have been delivered (a blob reference held by the row), the envelope, and the facts the Received
// header is written from, so a release delivers exactly what would have been delivered then.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { BlobRepo } from './blobs.js';
import type { Db } from './db.js';

export interface QuarantinedMessage {
  id: number;
  quarantineId: string;
  blobId: number;
  sender: string;
  recipients: string[];
  /** The transaction facts (delivery's TransactionInfo) as JSON-able data. */
  info: unknown;
  milter: string;
  reason: string;
  messageId: string | null;
  size: number;
  createdAt: number;
}

export type NewQuarantined = Omit<QuarantinedMessage, 'id' | 'quarantineId' | 'blobId' | 'size' | 'createdAt'> & { bytes: Buffer };

export interface QuarantineRepo {
  hold(message: NewQuarantined): QuarantinedMessage;
  list(): QuarantinedMessage[];
  get(quarantineId: string): QuarantinedMessage | undefined;
  /** Drops the row and its blob reference; false when it was gone already. */
  remove(quarantineId: string): boolean;
}

export interface Row {
  id: number;
  quarantine_id: string;
  blob_id: number;
  sender: string;
  recipients: string;
  info: string;
  milter: string;
  reason: string;
  message_id: string | null;
  size: number;
  created_at: number;
}

export const toMessage = (r: Row): QuarantinedMessage => ({
  id: r.id,
  quarantineId: r.quarantine_id,
  blobId: r.blob_id,
  sender: r.sender,
  recipients: JSON.parse(r.recipients) as string[],
  info: JSON.parse(r.info) as unknown,
  milter: r.milter,
  reason: r.reason,
  messageId: r.message_id,
  size: r.size,
  createdAt: r.created_at,
});

export function createQuarantineRepo(db: Db, clock: Clock, blobs: BlobRepo): QuarantineRepo {
  const insert = db.prepare<[string, number, string, string, string, string, string, string | null, number, number], Row>(
    `INSERT INTO quarantine (quarantine_id, blob_id, sender, recipients, info, milter, reason, message_id, size, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const all = db.prepare<[], Row>('SELECT * FROM quarantine ORDER BY created_at, id');
  const one = db.prepare<[string], Row>('SELECT * FROM quarantine WHERE quarantine_id = ?');
  const del = db.prepare<[number]>('DELETE FROM quarantine WHERE id = ?');
  return {
    hold(m) {
      const blobId = blobs.acquire(m.bytes, 1);
      const id = `Q${randomBytes(6).toString('hex').toUpperCase()}`;
      const row = insert.get(id, blobId, m.sender, JSON.stringify(m.recipients), JSON.stringify(m.info), m.milter, m.reason, m.messageId, m.bytes.length, clock.now())!;
      return toMessage(row);
    },
    list: () => all.all().map(toMessage),
    get(quarantineId) {
      const row = one.get(quarantineId);
      return row && toMessage(row);
    },
    remove(quarantineId) {
      const row = one.get(quarantineId);
      if (!row) return false;
      del.run(row.id);
      blobs.release(row.blob_id);
      return true;
    },
  };
}
