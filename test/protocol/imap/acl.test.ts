// ACL (RFC 4314) and the Other Users / Shared namespaces (RFC 2342) over a raw socket: SETACL,
// DELETEACL, GETACL, LISTRIGHTS, MYRIGHTS; every mailbox command reaching another user's mailbox
// through the store's access checks; without a right nothing leaks (LIST, STATUS, SELECT, FETCH,
// COPY, MOVE, SEARCH, IDLE). Runs on PostgreSQL too (node test/run-postgres.mjs test/protocol/imap/acl).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER, PASSWORD, message, startImap, type ImapFixture } from './harness.js';
import { fetches, untagged, type Result } from './client.js';

const SECRET = '"Other Users/alice@example.com/Secret"';
const NOWHERE = '"Other Users/alice@example.com/Nowhere"';

/** FETCH FLAGS of each message, \\Recent left out. */
const flagsOf = (r: Result) => fetches(r).map((m) => (m.items.FLAGS as string[]).filter((flag) => flag !== '\\Recent'));
const lines = (r: Result) => r.untagged.map((u) => u.raw.toString());
/** The tagged answer without its tag, and with the names in it made equal (to compare two answers). */
const answer = (r: Result, ...names: string[]) => names.reduce((text, n) => text.replaceAll(n.replaceAll('"', ''), 'NAME'), r.tagged.raw.toString().replace(/^\S+ /, ''));

async function bob(f: ImapFixture) {
  const c = await f.connect();
  await c.login(OTHER, PASSWORD);
  return c;
}

test('ACL and NAMESPACE: capabilities, SETACL/GETACL/MYRIGHTS/LISTRIGHTS/DELETEACL, errors as RFC 4314 says', async (t) => {
  const f = await startImap(t);
  const a = await f.login();
  const caps = untagged(await a.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values;
  assert.ok(caps.includes('ACL') && caps.includes('RIGHTS=texk'));
  assert.deepEqual(lines(await a.transact('OK', 'NAMESPACE')), ['* NAMESPACE (("" "/")) (("Other Users/" "/")) (("Shared/" "/"))']);

  await a.transact('OK', 'CREATE Secret');
  assert.deepEqual(lines(await a.transact('OK', 'MYRIGHTS Secret')), ['* MYRIGHTS "Secret" lrswipkxtecda']);
  assert.deepEqual(lines(await a.transact('OK', 'GETACL Secret')), ['* ACL "Secret" "alice@example.com" lrswipkxtecda']);
  await a.transact('OK', 'SETACL Secret bob@example.com lr');
  await a.transact('OK', 'SETACL Secret bob@example.com +w');
  await a.transact('OK', 'SETACL Secret anyone l');
  assert.deepEqual(lines(await a.transact('OK', 'GETACL Secret')), ['* ACL "Secret" "alice@example.com" lrswipkxtecda "anyone" l "bob@example.com" lrw']);
  assert.deepEqual(lines(await a.transact('OK', 'LISTRIGHTS Secret bob@example.com')), ['* LISTRIGHTS "Secret" "bob@example.com" "" l r s w i p k x t e c d a']);
  assert.deepEqual(lines(await a.transact('OK', 'LISTRIGHTS Secret alice@example.com')), ['* LISTRIGHTS "Secret" "alice@example.com" lrswipkxtecda']);
  await a.transact('BAD', 'SETACL Secret bob@example.com lz');
  await a.transact('BAD', 'SETACL Secret nobody l');
  await a.transact('BAD', 'SETACL Secret alice@example.com l');
  assert.equal((await a.transact('NO', 'GETACL Nowhere')).tagged.code, 'NONEXISTENT');

  const b = await bob(f);
  assert.deepEqual(lines(await b.transact('OK', `MYRIGHTS ${SECRET}`)), ['* MYRIGHTS "Other Users/alice@example.com/Secret" lrw']);
  assert.equal((await b.transact('NO', `GETACL ${SECRET}`)).tagged.code, 'NOPERM', 'GETACL needs a');
  assert.equal((await b.transact('NO', `SETACL ${SECRET} bob@example.com lrswipkxtea`)).tagged.code, 'NOPERM', 'no one grants himself rights');
  await a.transact('OK', 'DELETEACL Secret bob@example.com');
  assert.deepEqual(lines(await b.transact('OK', `MYRIGHTS ${SECRET}`)), ['* MYRIGHTS "Other Users/alice@example.com/Secret" l'], 'anyone still holds l');
  await a.transact('OK', 'DELETEACL Secret anyone');
  assert.equal((await b.transact('NO', `MYRIGHTS ${SECRET}`)).tagged.code, 'NONEXISTENT');
  await a.logout();
  await b.logout();
});

test('without a right nothing leaks: a hidden mailbox is answered exactly as a missing one', async (t) => {
  const f = await startImap(t);
  const a = await f.login();
  await a.transact('OK', 'CREATE Secret');
  await f.deliver(message('confidential'), { mailbox: 'Secret' });
  const b = await bob(f);
  await f.deliver(message('mine'), { accountId: (await f.ctx.store.accounts.find('bob', 'example.com'))!.id });

  assert.deepEqual(lines(await b.transact('OK', 'LIST "" "*"')).filter((l) => l.includes('Other Users') || l.includes('Secret')), [], 'LIST');
  assert.deepEqual(lines(await b.transact('OK', 'LIST "" "Other Users/*" RETURN (STATUS (MESSAGES))')), []);
  for (const command of ['STATUS $M (MESSAGES)', 'SELECT $M', 'EXAMINE $M', 'MYRIGHTS $M', 'GETACL $M', 'DELETE $M', 'RENAME $M "Other Users/alice@example.com/Moved"']) {
    const hidden = await b.command(command.replace('$M', SECRET));
    const missing = await b.command(command.replace('$M', NOWHERE));
    assert.equal(hidden.tagged.status, 'NO', command);
    assert.equal(answer(hidden, SECRET), answer(missing, NOWHERE), `${command}: hidden = missing`);
    assert.deepEqual(hidden.untagged.filter((u) => !u.code?.startsWith('CLOSED')).length, 0, `${command}: nothing untagged`);
  }
  // CREATE below it, APPEND, COPY and MOVE into it: the same answer as for a missing mailbox.
  const createHidden = await b.command(`CREATE "Other Users/alice@example.com/Secret/Sub"`);
  const createMissing = await b.command(`CREATE "Other Users/alice@example.com/Nowhere/Sub"`);
  assert.equal(answer(createHidden, 'Secret'), answer(createMissing, 'Nowhere'));
  assert.equal(createHidden.tagged.code, 'NOPERM');
  assert.equal(answer(await b.append(SECRET, message('x')), SECRET), answer(await b.append(NOWHERE, message('x')), NOWHERE));
  await b.transact('OK', 'SELECT INBOX');
  for (const command of ['COPY 1 $M', 'MOVE 1 $M', 'UID COPY 1:* $M']) {
    const hidden = await b.command(command.replace('$M', SECRET));
    assert.equal(hidden.tagged.code, 'TRYCREATE', command);
    assert.equal(answer(hidden, SECRET), answer(await b.command(command.replace('$M', NOWHERE)), NOWHERE), command);
  }
  // SEARCH and FETCH see only the selected (own) mailbox; IDLE hears nothing of alice's mail.
  assert.deepEqual(untagged(await b.transact('OK', 'SEARCH TEXT confidential'), 'SEARCH')[0].values, ['SEARCH']);
  assert.equal(fetches(await b.transact('OK', 'FETCH 1:* (ENVELOPE)')).length, 1);
  b.send('I1 IDLE\r\n');
  assert.equal((await b.read()).tag, '+');
  await f.deliver(message('more secrets'), { mailbox: 'Secret' });
  await f.deliver(message('more secrets 2'));
  await new Promise((r) => setTimeout(r, 200));
  b.send('DONE\r\n');
  assert.deepEqual(lines(await b.until('I1')), [], 'IDLE: nothing from alice\'s mailboxes');
  assert.equal(await f.ctx.store.messages.count((await f.ctx.store.mailboxes.require(f.accountId, 'Secret')).id), 2, 'nothing reached the hidden mailbox');

  // `l` alone lists it but opens nothing: NO [NOPERM] now that its existence is known.
  await a.transact('OK', 'SETACL Secret bob@example.com l');
  assert.deepEqual(lines(await b.transact('OK', 'LIST "" "Other Users/*" RETURN (STATUS (MESSAGES))')), [
    '* LIST (\\NonExistent \\HasChildren) "/" "Other Users/alice@example.com"',
    '* LIST (\\HasNoChildren) "/" "Other Users/alice@example.com/Secret"',
  ], 'no STATUS without r');
  assert.equal((await b.transact('NO', `STATUS ${SECRET} (MESSAGES)`)).tagged.code, 'NOPERM');
  assert.equal((await b.transact('NO', `COPY 1 ${SECRET}`)).tagged.code, 'NOPERM', 'COPY needs i');
  assert.equal((await b.transact('NO', `SELECT ${SECRET}`)).tagged.code, 'NOPERM');
  await a.logout();
  await b.logout();
});

test('rights decide what a user may do in another\'s mailbox: r reads, s \\Seen, w other flags, t/e delete and expunge, i insert', async (t) => {
  const f = await startImap(t);
  const a = await f.login();
  await a.transact('OK', 'CREATE Team');
  await f.deliver(message('one'), { mailbox: 'Team' });
  await f.deliver(message('two'), { mailbox: 'Team' });
  const team = '"Other Users/alice@example.com/Team"';
  const b = await bob(f);

  await a.transact('OK', 'SETACL Team bob@example.com lr');
  const selected = await b.transact('OK', `SELECT ${team}`);
  assert.equal(selected.tagged.code, 'READ-ONLY', 'no right to change anything: read-only');
  assert.equal(fetches(await b.transact('OK', 'FETCH 1:* (UID FLAGS BODY[HEADER.FIELDS (SUBJECT)])')).length, 2);
  assert.equal(fetches(await b.transact('OK', 'FETCH 1 BODY[]')).length, 1);
  assert.deepEqual(flagsOf(await b.transact('OK', 'FETCH 1 FLAGS'))[0], [], 'no \\Seen set without s');
  assert.deepEqual(untagged(await b.transact('OK', 'SEARCH SUBJECT two'), 'SEARCH')[0].values, ['SEARCH', 2]);
  assert.equal((await b.transact('NO', 'STORE 1 +FLAGS (\\Seen)')).tagged.code, 'READ-ONLY');
  assert.equal((await b.transact('NO', 'MOVE 1 INBOX')).tagged.code, 'READ-ONLY');
  assert.match((await b.transact('OK', 'COPY 1 INBOX')).tagged.code ?? '', /^COPYUID /, 'r is enough to copy out');

  // IDLE in a shared mailbox hears the owner's new mail.
  b.send('I1 IDLE\r\n');
  assert.equal((await b.read()).tag, '+');
  await f.deliver(message('three'), { mailbox: 'Team' });
  assert.equal((await b.read()).raw.toString(), '* 3 EXISTS');
  b.send('DONE\r\n');
  await b.until('I1');

  await a.transact('OK', 'SETACL Team bob@example.com lrs');
  const rw = await b.transact('OK', `SELECT ${team}`);
  assert.equal(rw.tagged.code, 'READ-WRITE');
  assert.ok(lines(rw).includes('* OK [PERMANENTFLAGS (\\Seen)] Flags permitted'), lines(rw).join('\n'));
  assert.deepEqual(flagsOf(await b.transact('OK', 'STORE 1 +FLAGS (\\Seen \\Flagged)'))[0], ['\\Seen'], 'only \\Seen: the rest silently left');
  assert.equal((await b.transact('NO', 'STORE 2 +FLAGS (\\Flagged)')).tagged.code, 'NOPERM');
  assert.equal((await b.transact('NO', 'STORE 2 +FLAGS (\\Deleted)')).tagged.code, 'NOPERM');
  assert.deepEqual(flagsOf(await b.transact('OK', 'FETCH 2 (FLAGS BODY[TEXT])'))[0], ['\\Seen'], 'FETCH BODY[] sets \\Seen with s');
  assert.deepEqual(flagsOf(await b.transact('OK', 'STORE 1 FLAGS ()'))[0], [], 'replace changes only \\Seen');
  assert.equal((await b.transact('NO', `MOVE 1 INBOX`)).tagged.code, 'NOPERM', 'MOVE needs t and e');

  await a.transact('OK', 'SETACL Team bob@example.com lrswte');
  await b.transact('OK', `SELECT ${team}`);
  await b.transact('OK', 'STORE 1 +FLAGS (\\Deleted \\Flagged $Work)');
  await b.transact('OK', 'EXPUNGE');
  assert.equal(await f.ctx.store.messages.count((await f.ctx.store.mailboxes.require(f.accountId, 'Team')).id), 2);
  await b.transact('OK', `MOVE 1 INBOX`);
  await b.transact('OK', 'UNSELECT');

  // i: APPEND and COPY in, flags kept only where the rights allow; quota charged to the owner.
  await a.transact('OK', 'SETACL Team bob@example.com lri');
  const appended = await b.append(team, message('from bob'), '(\\Seen \\Flagged)');
  assert.match(appended.tagged.code ?? '', /^APPENDUID /);
  const aliceBefore = (await f.ctx.store.accounts.get(f.accountId))!.usedBytes;
  await b.transact('OK', 'SELECT INBOX');
  await b.transact('OK', 'STORE 1 +FLAGS (\\Flagged)');
  await b.transact('OK', `COPY 1 ${team}`);
  assert.ok((await f.ctx.store.accounts.get(f.accountId))!.usedBytes > aliceBefore, "the copy counts against alice's quota");
  await b.transact('OK', `EXAMINE ${team}`);
  const flags = flagsOf(await b.transact('OK', 'FETCH 1:* FLAGS'));
  assert.deepEqual(flags.slice(-2), [[], []], 'no flag bob may not set came along');
  await a.logout();
  await b.logout();
});

test('CREATE/DELETE/RENAME in another\'s tree need k and x; a shared mailbox is its account\'s INBOX under Shared/', async (t) => {
  const f = await startImap(t);
  const { store } = f.ctx;
  const domainId = (await store.domains.get('example.com'))!.id;
  const sales = await store.createAccount({ domainId, localPart: 'sales', displayName: 'Sales', passwordHash: '!', scramSecret: null, quotaBytes: 0 });
  await store.acl.addShared('sales', sales.id);
  const inbox = await store.mailboxes.require(sales.id, 'INBOX');
  await store.acl.grant(inbox.id, 'alice@example.com', 'lrswi');
  await f.deliver(message('request'), { accountId: sales.id });

  const a = await f.login();
  assert.deepEqual(lines(await a.transact('OK', 'LIST "" "Shared*"')), ['* LIST (\\Noselect \\HasChildren) "/" Shared', '* LIST (\\HasNoChildren) "/" Shared/sales']);
  assert.deepEqual(lines(await a.transact('OK', 'STATUS Shared/sales (MESSAGES UNSEEN)')), ['* STATUS Shared/sales (MESSAGES 1 UNSEEN 1)']);
  await a.transact('OK', 'SELECT Shared/sales');
  await a.transact('OK', 'FETCH 1 BODY[]');
  assert.equal((await a.transact('NO', 'CREATE Shared/sales/Done')).tagged.code, 'NOPERM', 'CREATE needs k on the parent');
  await store.acl.grant(inbox.id, 'alice@example.com', 'lrswikx');
  await a.transact('OK', 'CREATE Shared/sales/Done');
  assert.ok(await store.mailboxes.get(sales.id, 'Done'), "made in the shared account's tree");
  assert.equal((await a.transact('NO', 'DELETE Shared/sales/Done')).tagged.code, 'NONEXISTENT', 'no rights on the new folder yet');
  await store.acl.grant((await store.mailboxes.require(sales.id, 'Done')).id, 'alice@example.com', 'lrx');
  await a.transact('OK', 'RENAME Shared/sales/Done Shared/sales/Closed');
  assert.equal((await a.transact('NO', 'RENAME Shared/sales/Closed Closed')).tagged.code, 'NOPERM', "not out of another's tree");
  await a.transact('OK', 'DELETE Shared/sales/Closed');
  assert.equal((await a.transact('NO', 'DELETE Shared/sales')).tagged.code, 'NOPERM', 'never the INBOX');
  assert.equal((await a.transact('NO', 'CREATE "Other Users/sales@example.com"')).tagged.code, 'NOPERM');
  assert.equal((await a.transact('NO', 'CREATE Shared/new')).tagged.code, 'NOPERM');
  const seen = await store.messages.list(inbox.id);
  assert.equal(seen[0].flags & 1, 1, '\\Seen is shared: set in the shared mailbox itself');
  await a.logout();
});
