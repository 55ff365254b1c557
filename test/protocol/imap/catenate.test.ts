// CATENATE (RFC 4469): a message built from TEXT literals and URLs of the user's own messages, on a
// real server over a raw socket; the §5 example (a draft re-sent with a part replaced) and the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER, startImap } from './harness.js';
import { fetches, untagged } from './client.js';

const BOUNDARY = '------------030308070208000400050907';
const DRAFT = [
  'From: Fred Foobar <foobar@example.com>',
  'Subject: draft',
  'MIME-Version: 1.0',
  `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
  '',
  `--${BOUNDARY}`,
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'The body of the draft.',
  `--${BOUNDARY}`,
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAw==',
  `--${BOUNDARY}--`,
  '',
].join('\r\n');

/** `TEXT {n+}` CRLF text: a non-synchronizing literal (LITERAL+). */
function text(s: string): string {
  return `TEXT {${Buffer.byteLength(s)}+}\r\n${s}`;
}

test('RFC 4469 §5: a draft re-sent with its first part from the URL and a new second part', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('CATENATE'));
  const uid = await f.deliver(DRAFT, { mailbox: 'Drafts' });
  const drafts = (await f.ctx.store.mailboxes.get(f.accountId, 'Drafts'))!;
  const base = `/Drafts;UIDVALIDITY=${drafts.uidValidity}/;UID=${uid}`;
  const tail = `\r\n--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nA new second part.\r\n--${BOUNDARY}--\r\n`;
  c.send(
    `A003 APPEND Drafts (\\Seen \\Draft $MDNSent) CATENATE (URL "${base}/;section=HEADER" ${text(`--${BOUNDARY}\r\n`)} ` +
      `URL "${base}/;section=1.MIME" URL "${base}/;section=1" ${text(tail)})\r\n`,
  );
  const done = await c.until('A003');
  assert.equal(done.tagged.status, 'OK', done.tagged.text);
  assert.equal(done.tagged.code, `APPENDUID ${drafts.uidValidity} ${uid + 1}`);

  await c.transact('OK', 'SELECT Drafts');
  const [made] = fetches(await c.transact('OK', `UID FETCH ${uid + 1} (FLAGS BODY.PEEK[])`));
  const header = DRAFT.slice(0, DRAFT.indexOf('\r\n\r\n') + 4);
  const expected = `${header}--${BOUNDARY}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe body of the draft.${tail}`;
  assert.equal(made.items['BODY[]'], expected);
  assert.deepEqual(made.items.FLAGS, ['\\Seen', '\\Draft', '\\Recent', '$MDNSent']);
  // The new message's structure is its own: two text parts.
  const [structure] = fetches(await c.transact('OK', `UID FETCH ${uid + 1} BODY.PEEK[2]`));
  assert.equal(structure.items['BODY[2]'], 'A new second part.');

  // A URL of the whole message, a partial, and an absolute URL naming the logged-in user.
  c.send(`A4 APPEND Drafts CATENATE (URL "${base}" URL "imap://alice%40example.com@localhost/Drafts/;UID=${uid}/;SECTION=1/;PARTIAL=4.4")\r\n`);
  assert.equal((await c.until('A4')).tagged.status, 'OK');
  const [whole] = fetches(await c.transact('OK', `UID FETCH ${uid + 2} BODY.PEEK[]`));
  assert.equal(whole.items['BODY[]'], `${DRAFT}body`);
  await c.logout();
});

test('RFC 4469 §5: a bad URL is NO [BADURL] and stores nothing; a missing mailbox is NO [TRYCREATE]', async (t) => {
  const f = await startImap(t);
  const uid = await f.deliver(DRAFT);
  const other = await f.deliver(DRAFT, { accountId: (await f.ctx.store.accounts.find('bob', 'example.com'))!.id });
  const c = await f.selected();
  const inbox = (await f.ctx.store.mailboxes.get(f.accountId, 'INBOX'))!;
  const bad = [
    `/INBOX;UIDVALIDITY=${inbox.uidValidity + 1}/;UID=${uid}`, // UIDVALIDITY changed
    `/INBOX/;UID=${uid + 5}`, // no such message
    '/Nowhere/;UID=1', // no such mailbox
    `imap://${encodeURIComponent(OTHER)}@localhost/INBOX/;UID=${other}`, // bob's mailbox
    `/INBOX/;UID=${uid}/;URLAUTH=anonymous:internal:0123`, // URLAUTH is not offered
  ];
  for (const [i, url] of bad.entries()) {
    c.send(`B${i} APPEND INBOX CATENATE (${text('Subject: x\r\n\r\n')} URL "${url}") CATENATE (URL "/INBOX/;UID=${uid}")\r\n`);
    const no = await c.until(`B${i}`);
    assert.equal(no.tagged.status, 'NO', url);
    assert.equal(no.tagged.code, `BADURL ${url}`);
  }
  c.send(`C1 APPEND Missing CATENATE (URL "/INBOX;UIDVALIDITY=1/;UID=${uid}")\r\n`);
  assert.equal((await c.until('C1')).tagged.code, 'TRYCREATE');
  c.send(`C2 APPEND INBOX CATENATE (URL "/INBOX/;UID=${uid}/;SECTION=5")\r\n`);
  assert.equal((await c.until('C2')).tagged.text, 'Cannot append an empty message');
  assert.deepEqual(untagged(await c.transact('OK', 'NOOP'), '*', 'EXISTS'), [], 'nothing was stored');
  await c.transact('BAD', 'APPEND INBOX CATENATE (TEXT "quoted")');
  await c.logout();
});
