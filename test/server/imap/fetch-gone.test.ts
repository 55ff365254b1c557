import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../../server/store/index.js';
import { describeMessage } from '../../../server/delivery/describe.js';
import { MessageGone, fetchItems, planFetch } from '../../../server/imap/fetch-data.js';
import { tempDir, fakeClock } from '../../helpers/temp.js';

// A FETCH reads a message's row, then its bytes when an item first needs them; with an asynchronous
// store another session may expunge the message in between. The bytes read must then say so
// (MessageGone), which FETCH answers like any message it finds gone, never with NO [SERVERBUG].
test('a message expunged between its row and its bytes makes fetchItems throw MessageGone', async (t) => {
  const store = openStore(join(tempDir(t), 'store.sqlite'), fakeClock());
  t.after(() => store.close());
  const domain = await store.domains.add('example.com', 0);
  const account = await store.createAccount({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  const inbox = (await store.mailboxes.get(account.id, 'INBOX'))!;
  const bytes = Buffer.from('Subject: going\r\n\r\nbody line\r\n');
  const copy = { ...describeMessage(bytes).forCopy(0), mailboxId: inbox.id, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1 };
  const { result } = await store.deliver({ bytes, local: [copy] });
  const uid = result.uids[0].uid;

  const plan = planFetch([{ item: 'BODY[section]', peek: true, section: { part: [], text: 'TEXT', fields: [] }, partial: null }], true);
  const [row] = await store.messages.rows(inbox.id, [uid], plan.columns);
  const items = { meta: row, row, flags: [], modseq: false, flagsChanged: false };
  assert.deepEqual((await fetchItems(store, plan, items)).map((i) => i.item), ['UID', 'BODY[section]'], 'while it exists');

  await store.messages.expunge(inbox.id, [uid]);
  assert.equal(await store.messages.read(row.id), null);
  assert.equal(await store.messages.readRange(row.id, 0, 4), null);
  await assert.rejects(async () => fetchItems(store, plan, items), MessageGone);
});
