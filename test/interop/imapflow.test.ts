// imapflow (the Node IMAP client) against the IMAP listeners, through every command family: login
// over STARTTLS, mailbox management and subscriptions, STATUS, QUOTA, APPEND, FETCH, STORE, SEARCH,
// COPY/MOVE, EXPUNGE, IDLE with a delivery through the SMTP listener, CONDSTORE/QRESYNC.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import nodemailer from 'nodemailer';
import { createSmtpListeners } from '../../server/smtp/index.js';
import { ADDRESS, PASSWORD, message, startImap, type ImapFixture } from '../protocol/imap/harness.js';

function client(t: TestContext, f: ImapFixture, options: Partial<ImapFlowOptions> = {}): ImapFlow {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port: f.ports.imap,
    secure: false,
    auth: { user: ADDRESS, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
    ...options,
    ...(process.env.IMAPFLOW_LOG ? { logger: undefined, logRaw: true } : {}),
  });
  c.on('error', () => {});
  t.after(() => c.close());
  return c;
}

test('imapflow: STARTTLS login, LIST, CREATE/RENAME/DELETE, STATUS, QUOTA', async (t) => {
  const f = await startImap(t, { plaintextFromTrusted: false, quotaBytes: 5 * 1024 * 1024 });
  const c = client(t, f);
  await c.connect();
  assert.equal(c.secureConnection, true, 'upgraded with STARTTLS before logging in');
  const boxes = await c.list();
  assert.deepEqual(
    boxes.map((b) => [b.path, b.specialUse ?? null]).sort(),
    [['Archive', '\\Archive'], ['Drafts', '\\Drafts'], ['INBOX', '\\Inbox'], ['Junk', '\\Junk'], ['Sent', '\\Sent'], ['Trash', '\\Trash']],
  );
  await c.mailboxCreate(['Projects', 'Mailroom']);
  await c.mailboxRename('Projects/Mailroom', 'Projects/Done');
  assert.ok((await c.list()).some((b) => b.path === 'Projects/Done'));
  await c.mailboxUnsubscribe('Projects/Done');
  assert.notEqual((await c.list()).find((b) => b.path === 'Projects/Done')?.subscribed, true);
  await c.mailboxSubscribe('Projects/Done');
  assert.equal((await c.list()).find((b) => b.path === 'Projects/Done')?.subscribed, true);
  await c.mailboxDelete('Projects/Done');
  assert.ok(!(await c.list()).some((b) => b.path === 'Projects/Done'));
  await f.deliver(message('one'));
  const status = await c.status('INBOX', { messages: true, unseen: true, uidNext: true, highestModseq: true });
  assert.equal(status && status.messages, 1);
  assert.equal(status && status.unseen, 1);
  const quota = await c.getQuota('INBOX');
  assert.ok(quota && quota.storage && quota.storage.limit === 5 * 1024 * 1024);
  await c.logout();
});

test('imapflow: APPEND, FETCH (envelope, structure, source, parts), STORE, SEARCH, COPY, MOVE, EXPUNGE', async (t) => {
  const f = await startImap(t);
  const c = client(t, f);
  await c.connect();
  const appended = await c.append('INBOX', message('hello', 'Body text here.\r\n'), ['\\Seen'], new Date('2026-02-03T04:05:06Z'));
  assert.ok(appended && appended.uid === 1);
  await c.append('INBOX', message('second', 'Other words.\r\n'));
  const lock = await c.getMailboxLock('INBOX');
  try {
    const all = await c.fetchAll('1:*', { uid: true, flags: true, envelope: true, bodyStructure: true, internalDate: true, size: true });
    const flags = (m: (typeof all)[number]) => [...(m.flags ?? [])].filter((flag) => flag !== '\\Recent');
    assert.deepEqual(all.map((m) => [m.uid, m.envelope?.subject, flags(m)]), [[1, 'hello', ['\\Seen']], [2, 'second', []]]);
    assert.equal(new Date(all[0].internalDate!).toISOString(), '2026-02-03T04:05:06.000Z');
    assert.equal(all[0].bodyStructure?.type, 'text/plain');
    const one = await c.fetchOne('2', { source: true, bodyParts: ['1'], headers: ['subject'] });
    assert.ok(one && one.source?.toString().includes('Other words.'));
    assert.match(one && one.headers ? one.headers.toString() : '', /^Subject: second/);
    await c.messageFlagsAdd('2', ['\\Flagged', '$Important']);
    assert.deepEqual(await c.search({ flagged: true }), [2]);
    assert.deepEqual(await c.search({ body: 'words' }), [2]);
    assert.deepEqual(await c.search({ subject: 'HELLO' }, { uid: true }), [1]);
    assert.deepEqual(await c.search({ seen: false }), [2]);
    const copied = await c.messageCopy('1:2', 'Archive');
    assert.ok(copied && copied.uidMap?.size === 2);
    const moved = await c.messageMove('1', 'Trash');
    assert.ok(moved && moved.uidMap?.get(1) === 1);
    assert.equal(c.mailbox && c.mailbox.exists, 1);
    await c.messageDelete('1');
    assert.equal(c.mailbox && c.mailbox.exists, 0);
  } finally {
    lock.release();
  }
  const archive = await c.status('Archive', { messages: true });
  assert.equal(archive && archive.messages, 2);
  await c.logout();
});

test('imapflow: IDLE is told of a message delivered over SMTP, and of another session’s changes', async (t) => {
  const f = await startImap(t);
  const [smtp] = createSmtpListeners(f.ctx, f.ctx.auth, { reverseLookup: false, closeTimeoutMs: 100 });
  const smtpPort = await smtp.start('127.0.0.1', 0);
  t.after(() => smtp.stop());
  await f.deliver(message('first'));
  const watcher = client(t, f);
  await watcher.connect();
  await watcher.mailboxOpen('INBOX');
  const events: string[] = [];
  let wake: (() => void) | null = null;
  // Bounded so a missing notification fails the test rather than hanging it (a guard, not a timing check).
  const waitFor = (what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${what}" event; got ${JSON.stringify(events)}`)), 10_000);
      const check = () => {
        if (!events.some((e) => e.startsWith(what))) return void (wake = check);
        clearTimeout(timer);
        resolve();
      };
      check();
    });
  watcher.on('exists', (e: { count: number }) => {
    events.push(`exists ${e.count}`);
    wake?.();
  });
  watcher.on('flags', (e: { uid?: number; flags: Set<string> }) => {
    events.push(`flags ${e.uid} ${[...e.flags].join(' ')}`);
    wake?.();
  });
  watcher.on('expunge', (e: { seq: number }) => {
    events.push(`expunge ${e.seq}`);
    wake?.();
  });
  const idling = watcher.idle();

  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
  await transport.sendMail({ from: 'bob@example.net', to: ADDRESS, subject: 'via smtp', text: 'pushed' });
  await waitFor('exists 2');

  const other = client(t, f);
  await other.connect();
  await other.mailboxOpen('INBOX');
  await other.messageFlagsAdd('1', ['\\Seen']);
  await waitFor('flags 1 \\Seen');
  await other.messageDelete('1');
  await waitFor('expunge 1');
  await other.logout();
  await watcher.logout();
  await idling.catch(() => undefined);
});

test('imapflow with QRESYNC: reopening a mailbox resynchronises', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 3; i++) await f.deliver(message(`m${i}`));
  const c = client(t, f, { qresync: true });
  await c.connect();
  assert.ok(c.enabled.has('QRESYNC'));
  const box = await c.mailboxOpen('INBOX');
  assert.equal(box.exists, 3);
  assert.ok(typeof box.highestModseq === 'bigint' && box.highestModseq > 0n);
  const expunged: number[] = [];
  c.on('expunge', (e: { uid?: number; vanished?: boolean }) => expunged.push(e.uid ?? -1));
  await c.messageDelete('2:3', { uid: true });
  assert.deepEqual(expunged.sort(), [2, 3]);
  await c.logout();
});
