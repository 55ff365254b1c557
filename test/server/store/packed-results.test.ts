// Bulk write results cross from the writer thread packed in columns (packed-results.ts): what comes
// out is exactly what went in, in the same order, and what is packed really is columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreChange } from '../../../server/store/changes.js';
import type { FlagUpdate } from '../../../server/store/message-types.js';
import { packChanges, packFlagUpdate, unpackChanges, unpackFlagUpdate } from '../../../server/store/packed-results.js';

test('flag states round-trip, keywords and the MODIFIED list included', () => {
  const update: FlagUpdate = {
    messages: [
      { uid: 3, modseq: 17, flags: 5, keywords: [], changed: true },
      { uid: 9, modseq: 2 ** 40, flags: 0, keywords: ['$Bulk', 'Ärger'], changed: false },
      { uid: 2 ** 32 - 1, modseq: 17, flags: 31, keywords: ['x'], changed: true },
    ],
    modified: [4, 5],
  };
  const packed = structuredClone(packFlagUpdate(update));
  assert.ok(packed.uids instanceof Float64Array && packed.changed instanceof Uint8Array);
  assert.deepEqual(packed.keywords, [[1, ['$Bulk', 'Ärger']], [2, ['x']]]);
  assert.deepEqual(unpackFlagUpdate(packed), update);
  assert.deepEqual(unpackFlagUpdate(packFlagUpdate({ messages: [], modified: [] })), { messages: [], modified: [] });
});

test('changes round-trip in order; runs of message-added per mailbox become columns', () => {
  const added = (mailboxId: number, uid: number): StoreChange => ({ kind: 'message-added', accountId: 1, mailboxId, uid, modseq: uid * 10 });
  const changes: StoreChange[] = [
    added(7, 1),
    added(7, 2),
    { kind: 'flags-changed', accountId: 1, mailboxId: 7, uids: [1, 2], modseq: 30 },
    added(7, 3),
    added(8, 1),
    added(8, 2),
    { kind: 'messages-expunged', accountId: 1, mailboxId: 7, uids: [1], modseq: 40 },
    { kind: 'mailbox-renamed', accountId: 1, mailboxId: 8, name: 'B' },
  ];
  const packed = structuredClone(packChanges(changes));
  assert.deepEqual(
    packed.map((c) => (c.kind === 'added-run' ? `run ${c.mailboxId}:${[...c.uids].join(',')}` : c.kind)),
    ['run 7:1,2', 'flags-changed', 'run 7:3', 'run 8:1,2', 'messages-expunged', 'mailbox-renamed'],
  );
  assert.deepEqual(unpackChanges(packed), changes);
});
