// Save dates (RFC 8514; SQLite 0022, PostgreSQL 0010): written with the row by delivery, COPY and MOVE
// at the store's clock, kept by flag changes; rows without one (made before the column) count by
// their internal date in uidsBetween.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../../server/clock.js';
import { storeTest, type Backend } from '../../helpers/store-backends.js';
import { fakeClock } from '../../helpers/temp.js';

const DAY = 86_400_000;
const MARCH_1 = Date.UTC(2026, 2, 1, 10);

async function setup(t: TestContext, backend: Backend, clock: Clock) {
  const store = await backend.open(t, clock);
  const domain = await store.domains.add('example.com', 0);
  const account = await store.accounts.add({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  await store.mailboxes.createDefaults(account.id);
  const inbox = (await store.mailboxes.require(account.id, 'INBOX')).id;
  const archive = (await store.mailboxes.create(account.id, 'Kept', null)).id;
  const deliver = async (internalDate: number) =>
    (
      await store.deliver({
        bytes: Buffer.from(`Subject: ${internalDate}\r\n\r\n.`),
        local: [{ mailboxId: inbox, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' }],
      })
    ).result.uids[0].uid;
  return { store, inbox, archive, deliver };
}

storeTest('a row gets its save date when made (delivery, COPY, MOVE), not from its internal date; flags keep it', async (t, backend) => {
  const clock = fakeClock(MARCH_1);
  const { store, inbox, archive, deliver } = await setup(t, backend, clock);
  const uid = await deliver(Date.UTC(2020, 0, 2));
  assert.deepEqual(await store.saveDates.of(inbox, [uid, 99]), [{ uid, saveDate: MARCH_1 }]);

  clock.advance(4 * DAY);
  const copied = (await store.messages.copy(inbox, [uid], archive)).result.destinationUids[0];
  await store.messages.updateFlags(inbox, [uid], { action: 'add', flags: 1, keywords: [] }, null);
  assert.deepEqual(await store.saveDates.of(inbox, [uid]), [{ uid, saveDate: MARCH_1 }], 'kept by a flag change');
  assert.deepEqual(await store.saveDates.of(archive, [copied]), [{ uid: copied, saveDate: MARCH_1 + 4 * DAY }], 'a copy is a new save');

  clock.advance(4 * DAY);
  const moved = (await store.messages.move(archive, [copied], inbox)).result.destinationUids[0];
  assert.deepEqual(await store.saveDates.of(inbox, [moved]), [{ uid: moved, saveDate: MARCH_1 + 8 * DAY }]);

  // [from, to): the first message on March 1st, the moved one on March 9th.
  const day = (d: number) => Date.UTC(2026, 2, d);
  assert.deepEqual(await store.saveDates.uidsBetween(inbox, day(1), day(2)), [uid]);
  assert.deepEqual(await store.saveDates.uidsBetween(inbox, null, day(9)), [uid]);
  assert.deepEqual(await store.saveDates.uidsBetween(inbox, day(2), null), [moved]);
  assert.deepEqual(await store.saveDates.uidsBetween(inbox, null, null), [uid, moved]);
});

storeTest('a row without a save date reads as null and is searched by its internal date', async (t, backend) => {
  const { store, inbox, deliver } = await setup(t, backend, fakeClock(MARCH_1));
  const old = await deliver(Date.UTC(2020, 0, 2, 12));
  const recent = await deliver(Date.UTC(2020, 0, 3));
  await backend.rows(store, `UPDATE messages SET save_date = NULL WHERE mailbox_id = ${inbox} AND uid = ${old} RETURNING uid`);
  assert.deepEqual(await store.saveDates.of(inbox, [old, recent]), [
    { uid: old, saveDate: null },
    { uid: recent, saveDate: MARCH_1 },
  ]);
  assert.deepEqual(await store.saveDates.uidsBetween(inbox, Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 3)), [old]);
  assert.deepEqual(await store.saveDates.uidsBetween(inbox, Date.UTC(2026, 2, 1), null), [recent]);
});
