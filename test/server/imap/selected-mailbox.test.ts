// The per-session view of the selected mailbox: stable sequence numbers, and other sessions' changes
// turned into responses only where they may be sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EventBus } from '../../../server/events.js';
import { ImapBad, SelectedMailboxGone } from '../../../server/imap/errors.js';
import { MailboxView } from '../../../server/imap/selected-mailbox.js';
import { parseSequenceSet } from '../../../server/imap/wire/index.js';
import { openStore, type StoreChange } from '../../../server/store/index.js';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { tempDir, fakeClock } from '../../helpers/temp.js';

const ALL = { expunges: true, condstore: false, qresync: false };

async function setup(t: Parameters<typeof tempDir>[0], messages = 4) {
  const store = openStore(join(tempDir(t), 'store.sqlite'), fakeClock());
  t.after(async () => await store.close());
  const bus = new EventBus();
  const domain = await store.domains.add('example.com', 0);
  const account = await store.accounts.add({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  await store.mailboxes.createDefaults(account.id);
  const inbox = await store.mailboxes.require(account.id, 'INBOX');
  const publish = (changes: StoreChange[]) => changes.forEach((c) => bus.emit('change', c));
  const deliver = async () => {
    const local = { mailboxId: inbox.id, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' };
    const { result, changes } = await store.deliver({ bytes: Buffer.from(`Subject: ${Math.random()}\r\n\r\n.`), local: [local] });
    publish(changes);
    return result.uids[0].uid;
  };
  for (let i = 0; i < messages; i++) await deliver();
  const open = async (readOnly = false) => {
    const { view } = (await MailboxView.open(store, bus, account.id, 'INBOX', { readOnly, changedSince: null }))!;
    t.after(() => view.close());
    return view;
  };
  return { store, bus, inbox, account, publish, deliver, open };
}

test('resolve: sequence numbers must exist, * of an empty mailbox names nothing, UIDs outside are ignored', async (t) => {
  const { open } = await setup(t);
  const view = await open();
  assert.deepEqual(view.resolve(parseSequenceSet('4:2'), false), { seqs: [2, 3, 4], uids: [2, 3, 4] });
  assert.throws(() => view.resolve(parseSequenceSet('5'), false), ImapBad);
  assert.deepEqual(view.resolve(parseSequenceSet('3:99'), true).uids, [3, 4]);
  const empty = await (await setup(t, 0)).open();
  assert.deepEqual(empty.resolve(parseSequenceSet('1:*'), false), { seqs: [], uids: [] });
});

test('another session’s expunge keeps its number until a flush that may report it', async (t) => {
  const { store, inbox, publish, open } = await setup(t);
  const view = await open();
  publish((await store.messages.expunge(inbox.id, [2, 3])).changes);
  assert.deepEqual(await view.flush({ ...ALL, expunges: false }), []);
  assert.equal(view.count, 4);
  assert.equal(view.seqOf(4), 4);
  assert.deepEqual(await view.flush(ALL), [
    { kind: 'expunge', number: 3 },
    { kind: 'expunge', number: 2 },
  ]);
  assert.deepEqual([...view.allUids], [1, 4]);
  assert.deepEqual(await view.flush(ALL), [], 'reported once');
});

test('with QRESYNC, expunges are one VANISHED of UIDs', async (t) => {
  const { store, inbox, publish, open } = await setup(t);
  const view = await open();
  publish((await store.messages.expunge(inbox.id, [1, 4])).changes);
  assert.deepEqual(await view.flush({ ...ALL, qresync: true }), [{ kind: 'vanished', earlier: false, uids: [1, 4] }]);
});

test('new mail: EXISTS and RECENT, \\Recent only for the first read-write view', async (t) => {
  const { deliver, open } = await setup(t, 1);
  const first = await open();
  const readOnly = await open(true);
  assert.equal(first.recentCount, 1);
  assert.equal(readOnly.recentCount, 0);
  const uid = await deliver();
  assert.deepEqual(await readOnly.flush(ALL), [
    { kind: 'exists', number: 2 },
    { kind: 'recent', number: 0 },
  ]);
  assert.deepEqual(await first.flush(ALL), [
    { kind: 'exists', number: 2 },
    { kind: 'recent', number: 2 },
  ]);
  assert.ok(first.isRecent(uid));
});

test('flag changes become FETCH FLAGS (with MODSEQ under CONDSTORE); the session’s own are muted', async (t) => {
  const { store, inbox, publish, open } = await setup(t);
  const view = await open(true);
  const changed = view.changed();
  const { changes } = await store.messages.updateFlags(inbox.id, [3], { action: 'add', flags: FLAG_BITS['\\Seen'], keywords: [] }, null);
  publish(changes);
  await changed;
  const modseq = (await store.mailboxes.byId(inbox.id))!.highestModseq;
  assert.deepEqual(await view.flush({ ...ALL, condstore: true }), [
    // Read-only, yet no session claimed message 3: it shows \Recent as EXAMINE's count says.
    { kind: 'fetch', seq: 3, items: [{ item: 'UID', value: 3 }, { item: 'FLAGS', flags: ['\\Seen', '\\Recent'] }, { item: 'MODSEQ', value: modseq }] },
  ]);
  const own = await store.messages.updateFlags(inbox.id, [1], { action: 'add', flags: FLAG_BITS['\\Seen'], keywords: [] }, null);
  view.muteOwn(() => publish(own.changes));
  const expunged = await store.messages.expunge(inbox.id, [2]);
  view.muteOwn(() => publish(expunged.changes));
  assert.deepEqual(await view.flush(ALL), []);
  assert.deepEqual(view.expunged(expunged.result, false), [{ kind: 'expunge', number: 2 }]);
});

test('a deleted mailbox makes the next flush fail', async (t) => {
  const { store, inbox, publish, open } = await setup(t);
  const view = await open();
  publish((await store.deleteMailbox(inbox.id)).changes);
  await assert.rejects(view.flush(ALL), SelectedMailboxGone);
});
