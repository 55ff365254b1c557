import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { untagged, type Result, type Value } from './client.js';

const listed = (r: Result) => untagged(r, 'LIST').map((u) => [u.values[3], u.values[1]] as [Value, Value]);

test('LIST shows the default mailboxes with SPECIAL-USE and CHILDREN attributes, INBOX first', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "*"')), [
    ['INBOX', ['\\HasNoChildren']],
    ['Archive', ['\\HasNoChildren', '\\Archive']],
    ['Drafts', ['\\HasNoChildren', '\\Drafts']],
    ['Junk', ['\\HasNoChildren', '\\Junk']],
    ['Sent', ['\\HasNoChildren', '\\Sent']],
    ['Trash', ['\\HasNoChildren', '\\Trash']],
  ]);
  assert.deepEqual(untagged(await c.transact('OK', 'LIST "" ""'), 'LIST')[0].values, ['LIST', ['\\Noselect'], '/', '']);
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "inbox"')), [['INBOX', ['\\HasNoChildren']]]);
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "in*"')), [['INBOX', ['\\HasNoChildren']]]);
  assert.deepEqual(listed(await c.transact('OK', 'LIST (SPECIAL-USE) "" "*"')).map(([n]) => n), ['Archive', 'Drafts', 'Junk', 'Sent', 'Trash']);
  await c.logout();
});

test('CREATE makes superiors; LIST % walks one level; RENAME moves inferiors; DELETE of a parent leaves it \\Noselect', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  await c.transact('OK', 'CREATE Projects/2026/Q1');
  await c.transact('OK', 'CREATE "Caf&AOk-/"');
  const exists = await c.transact('NO', 'CREATE Projects/2026');
  assert.equal(exists.tagged.code, 'ALREADYEXISTS');
  assert.equal((await c.transact('NO', 'CREATE inbox')).tagged.code, 'ALREADYEXISTS');
  assert.equal((await c.transact('NO', 'CREATE "a//b"')).tagged.code, 'CANNOT');
  assert.equal((await c.transact('NO', 'CREATE "a*"')).tagged.code, 'CANNOT');
  await c.transact('NO', 'CREATE "&Jjo"');
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "Projects/%"')), [['Projects/2026', ['\\HasChildren']]]);
  assert.deepEqual(listed(await c.transact('OK', 'LIST "Projects/" "*"')).map(([n]) => n), ['Projects/2026', 'Projects/2026/Q1']);
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "Caf*"')), [['Caf&AOk-', ['\\HasNoChildren']]], 'names go out in modified UTF-7');
  assert.ok(await f.ctx.store.mailboxes.get(f.accountId, 'Café'), 'and are stored decoded');

  assert.equal((await c.transact('NO', 'DELETE INBOX')).tagged.code, 'CANNOT');
  assert.equal((await c.transact('NO', 'DELETE Nowhere')).tagged.code, 'NONEXISTENT');
  await c.transact('OK', 'RENAME Projects Work/Old');
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "Work*"')).map(([n]) => n), ['Work', 'Work/Old', 'Work/Old/2026', 'Work/Old/2026/Q1']);
  await c.transact('NO', 'RENAME Work Work/Inside');
  await c.transact('NO', 'RENAME Nowhere Else');
  await c.transact('NO', 'RENAME Work Archive');
  await c.transact('OK', 'DELETE Work/Old/2026/Q1');
  await c.transact('OK', 'DELETE Work/Old/2026');
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "Work*"')).map(([n]) => n), ['Work', 'Work/Old']);

  // RFC 3501 §6.3.4: a mailbox with inferiors is deleted; its name stays as their \Noselect superior.
  await c.transact('OK', 'CREATE Work/Old/Keep');
  await f.deliver(message('in the parent'), { mailbox: 'Work/Old' });
  await c.transact('OK', 'DELETE Work/Old');
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "Work/*"')), [
    ['Work/Old', ['\\Noselect', '\\HasChildren']],
    ['Work/Old/Keep', ['\\HasNoChildren']],
  ]);
  assert.equal((await c.transact('NO', 'SELECT Work/Old')).tagged.code, 'NONEXISTENT');
  await c.transact('OK', 'DELETE Work/Old/Keep');
  assert.deepEqual(listed(await c.transact('OK', 'LIST "" "Work*"')).map(([n]) => n), ['Work'], 'gone with its last inferior');
  await c.logout();
});

test('RENAME INBOX moves its messages to a new mailbox and leaves INBOX empty', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one'));
  await f.deliver(message('two'));
  const watcher = await f.selected();
  const c = await f.login();
  await c.transact('OK', 'RENAME INBOX Old-Inbox');
  const noop = await watcher.transact('OK', 'NOOP');
  assert.deepEqual(untagged(noop, '*', 'EXPUNGE').map((r) => r.values[0]), [2, 1]);
  const status = await c.transact('OK', 'STATUS Old-Inbox (MESSAGES UIDNEXT)');
  assert.deepEqual(untagged(status, 'STATUS')[0].values, ['STATUS', 'Old-Inbox', ['MESSAGES', 2, 'UIDNEXT', 3]]);
  const inbox = await c.transact('OK', 'STATUS INBOX (MESSAGES UIDNEXT)');
  assert.deepEqual(untagged(inbox, 'STATUS')[0].values[2], ['MESSAGES', 0, 'UIDNEXT', 3], 'INBOX keeps counting UIDs');
  await c.logout();
  await watcher.logout();
});

test('STATUS items; SUBSCRIBE, UNSUBSCRIBE, LSUB, LIST (SUBSCRIBED) and RETURN options', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one'));
  await f.deliver(message('two'), { flags: 1 });
  const c = await f.login();
  const s = await c.transact('OK', 'STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)');
  const inbox = await f.ctx.store.mailboxes.require(f.accountId, 'INBOX');
  assert.deepEqual(untagged(s, 'STATUS')[0].values[2], ['MESSAGES', 2, 'RECENT', 2, 'UIDNEXT', 3, 'UIDVALIDITY', inbox.uidValidity, 'UNSEEN', 1, 'HIGHESTMODSEQ', inbox.highestModseq]);
  assert.equal((await c.transact('NO', 'STATUS Nowhere (MESSAGES)')).tagged.code, 'NONEXISTENT');

  // Subscriptions are names (RFC 3501 §6.3.6): CREATE does not subscribe, a name need not exist.
  await c.transact('OK', 'CREATE Lists/Rust');
  await c.transact('OK', 'SUBSCRIBE Lists/Rust');
  await c.transact('OK', 'UNSUBSCRIBE Junk');
  await c.transact('OK', 'SUBSCRIBE Nowhere');
  await c.transact('OK', 'UNSUBSCRIBE Never-subscribed');
  assert.equal((await c.transact('NO', 'SUBSCRIBE "a*"')).tagged.code, 'CANNOT');
  const lsub = untagged(await c.transact('OK', 'LSUB "" "*"'), 'LSUB').map((u) => u.values[3]);
  assert.deepEqual(lsub, ['INBOX', 'Archive', 'Drafts', 'Lists/Rust', 'Nowhere', 'Sent', 'Trash']);
  assert.equal(listed(await c.transact('OK', 'LIST "" "*"')).find(([n]) => n === 'Nowhere'), undefined, 'not a mailbox');
  assert.deepEqual(listed(await c.transact('OK', 'LIST (SUBSCRIBED) "" "Nowhere"')), [['Nowhere', ['\\NonExistent', '\\HasNoChildren', '\\Subscribed']]]);
  await c.transact('OK', 'CREATE Gone');
  await c.transact('OK', 'SUBSCRIBE Gone');
  await c.transact('OK', 'DELETE Gone');
  assert.deepEqual(untagged(await c.transact('OK', 'LSUB "" "Gone"'), 'LSUB').map((u) => u.values[1]), [['\\Noselect']], 'DELETE keeps the subscription');
  await c.transact('OK', 'UNSUBSCRIBE Gone');
  const percent = untagged(await c.transact('OK', 'LSUB "" "%"'), 'LSUB').map((u) => [u.values[3], u.values[1]]);
  assert.deepEqual(percent.find(([n]) => n === 'Lists'), ['Lists', ['\\Noselect']], 'unsubscribed parent of a subscribed child');

  const subscribed = listed(await c.transact('OK', 'LIST (SUBSCRIBED) "" "*"'));
  assert.deepEqual(subscribed.find(([n]) => n === 'Sent'), ['Sent', ['\\HasNoChildren', '\\Sent', '\\Subscribed']]);
  assert.equal(subscribed.find(([n]) => n === 'Junk'), undefined);
  const recursive = await c.transact('OK', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"');
  const lists = untagged(recursive, 'LIST').find((u) => u.values[3] === 'Lists');
  assert.deepEqual(lists?.values, ['LIST', ['\\HasChildren'], '/', 'Lists', ['CHILDINFO', ['SUBSCRIBED']]]);

  const withStatus = await c.transact('OK', 'LIST "" "INBOX" RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN))');
  assert.deepEqual(untagged(withStatus, 'LIST')[0].values[1], ['\\HasNoChildren', '\\Subscribed']);
  assert.deepEqual(untagged(withStatus, 'STATUS')[0].values, ['STATUS', 'INBOX', ['MESSAGES', 2, 'UNSEEN', 1]]);
  await c.logout();
});

test('GETQUOTAROOT and GETQUOTA report the account quota in KiB', async (t) => {
  const f = await startImap(t, { quotaBytes: 10 * 1024 * 1024 });
  await f.deliver(message('one', 'x'.repeat(3000)));
  const c = await f.login();
  const root = await c.transact('OK', 'GETQUOTAROOT INBOX');
  assert.deepEqual(untagged(root, 'QUOTAROOT')[0].values, ['QUOTAROOT', 'INBOX', '']);
  const used = Math.ceil((await f.ctx.store.accounts.get(f.accountId))!.usedBytes / 1024);
  assert.deepEqual(untagged(root, 'QUOTA')[0].values, ['QUOTA', '', ['STORAGE', used, 10240]]);
  assert.deepEqual(untagged(await c.transact('OK', 'GETQUOTA ""'), 'QUOTA')[0].values[2], ['STORAGE', used, 10240]);
  await c.transact('NO', 'GETQUOTA "other"');
  await c.logout();
});
