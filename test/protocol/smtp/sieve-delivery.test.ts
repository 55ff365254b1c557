// Sieve at local delivery, end to end through SMTP: scripts stored as ManageSieve and the admin
// store them, mail sent over a real socket, and the result read back from mailboxes, the queue and
// the message trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectDatabase } from '../../../server/store/db.js';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { createSrs, SRS_KEY } from '../../../server/delivery/srs.js';
import { storedKey } from '../../../server/auth/stored-key.js';
import { createQueueRunner } from '../../../server/delivery/outbound/runner.js';
import { rcpt, smtpFixture, standardDomains, type SmtpFixture } from './harness.js';

const mail = (subject: string, extra = '', from = 'x@outside.example', to = 'alice@local.example') =>
  `From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${Math.random().toString(36).slice(2)}@test>\r\n${extra}Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\nHello.\r\n`;

async function send(f: SmtpFixture, body: string, options: { from?: string; to?: string } = {}) {
  const { client } = await f.connect(f.ports.smtp);
  const reply = await rcpt(client, options.from ?? 'x@outside.example', options.to ?? 'alice@local.example');
  assert.equal(reply.code, 250, reply.text);
  const done = await client.data(body);
  assert.equal(done.code, 250, done.text);
  await client.send('QUIT');
}

async function activate(f: SmtpFixture, user: string, script: string) {
  const account = (await f.ctx.store.accounts.find(user, 'local.example'))!;
  assert.equal(await f.ctx.store.sieve.put(account.id, 'rules', script, 10), 'ok');
  assert.equal(await f.ctx.store.sieve.setActive(account.id, 'rules'), 'ok');
  return account;
}

async function mailbox(f: SmtpFixture, accountId: number, name: string) {
  const box = await f.ctx.store.mailboxes.get(accountId, name);
  if (box === undefined) return [];
  const metas = await f.ctx.store.messages.list(box.id);
  const db = inspectDatabase(f.ctx.store);
  return metas.map((m) => ({ ...m, id: (db.prepare('SELECT id FROM messages WHERE mailbox_id = ? AND uid = ?').get(box.id, m.uid) as { id: number }).id }));
}

async function subjects(f: SmtpFixture, accountId: number, name: string): Promise<string[]> {
  const out: string[] = [];
  for (const m of await mailbox(f, accountId, name)) out.push(/^Subject: (.*)\r$/m.exec((await f.ctx.store.messages.read(m.id))!.toString())![1]);
  return out;
}

async function queued(f: SmtpFixture) {
  const out = [];
  for (const e of await f.ctx.store.queue.list()) out.push({ sender: e.sender, recipient: e.recipient, text: (await f.ctx.store.blobs.read(e.blobId)).toString('utf8') });
  return out;
}

test('fileinto (:create), keep with imap4flags, discard and a missing mailbox land where the script says, each traced', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const alice = await activate(
    f,
    'alice',
    `require ["fileinto", "mailbox", "imap4flags"];
if header :contains "subject" "newsletter" { fileinto :create "Newsletters"; stop; }
if header :contains "subject" "spam" { discard; stop; }
if header :contains "subject" "flag me" { addflag ["\\\\Flagged", "$Important"]; keep; stop; }
if header :contains "subject" "nowhere" { fileinto "Missing"; }
`,
  );
  const created: string[] = [];
  t.after(f.ctx.bus.on('change', (c) => void (c.kind === 'mailbox-created' && c.accountId === alice.id && created.push(c.name))));
  await send(f, mail('weekly newsletter'));
  assert.deepEqual(created, ['Newsletters'], 'the folder fileinto :create made is announced as an IMAP CREATE is');
  await send(f, mail('pure spam'));
  await send(f, mail('flag me please'));
  await send(f, mail('going nowhere'));
  await send(f, mail('plain mail'));
  assert.deepEqual(await subjects(f, alice.id, 'Newsletters'), ['weekly newsletter']);
  assert.deepEqual(await subjects(f, alice.id, 'INBOX'), ['flag me please', 'going nowhere', 'plain mail']);
  const [flagged] = await mailbox(f, alice.id, 'INBOX');
  assert.equal(flagged.flags, FLAG_BITS['\\Flagged']);
  assert.deepEqual(flagged.keywords, ['$Important']);

  const filed = await f.logRow('sieve.action', (x) => x.action === 'fileinto' && x.mailbox === 'Newsletters');
  assert.equal(filed.fields.trace, 'sieve: fileinto Newsletters (created) by script "rules" at line 2');
  assert.ok(filed.messageId?.startsWith('<weeklynewsletter.'), 'traced on the message');
  const discarded = await f.logRow('sieve.action', (x) => x.action === 'discard');
  assert.equal(discarded.fields.trace, 'sieve: discard by script "rules" at line 3');
  const missing = await f.logRow('sieve.action', (x) => x.mailbox === 'Missing');
  assert.match(String(missing.fields.trace), /fileinto Missing failed \(no such mailbox\); kept in INBOX instead by script "rules" at line 5/);
  assert.deepEqual(await f.ctx.store.queue.list(), [], 'nothing leaves');
});

test('reject sends an MDN-style notice to the sender through the queue, never to <>', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const alice = await activate(f, 'alice', 'require "reject";\nreject "I do not take mail from you.";\n');
  await send(f, mail('first try'));
  await send(f, mail('a bounce'), { from: '' });
  assert.deepEqual(await subjects(f, alice.id, 'INBOX'), []);
  const [notice, ...more] = await queued(f);
  assert.equal(more.length, 0, 'no notice to the null sender');
  assert.equal(notice.sender, '');
  assert.equal(notice.recipient, 'x@outside.example');
  assert.match(notice.text, /^Auto-Submitted: auto-replied \(rejected\)\r$/m);
  assert.match(notice.text, /report-type=disposition-notification/);
  assert.match(notice.text, /I do not take mail from you\./);
  assert.match(notice.text, /Disposition: automatic-action\/MDN-sent-automatically; deleted/);
  await f.logRow('sieve.action', (x) => x.action === 'reject' && /no notice to the null sender/.test(String(x.trace)));
});

test('ereject refuses at DATA when every recipient refuses; with a recipient that takes it, the message is accepted and a DSN goes to the sender', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const alice = await activate(f, 'alice', 'require "ereject";\nif header :contains "subject" "offer" { ereject "No offers,\r\n please."; }\n');
  const carol = await activate(f, 'carol', 'require "ereject";\nereject "Carol takes nothing.";\n');
  const bob = (await f.ctx.store.accounts.find('bob', 'local.example'))!;

  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'alice@local.example')).code, 250);
  assert.equal((await client.send('RCPT TO:<carol@local.example>')).code, 250);
  const refused = await client.data(mail('special offer'));
  assert.equal(refused.code, 550, refused.text);
  assert.equal(refused.enhanced, '5.7.1');
  assert.match(refused.text, /No offers, please\.$/, 'the reason on one line');
  // the session goes on: the next transaction, for a recipient without a script, is accepted
  assert.equal((await client.send('MAIL FROM:<x@outside.example>')).code, 250);
  assert.equal((await client.send('RCPT TO:<alice@local.example>')).code, 250);
  assert.equal((await client.send('RCPT TO:<bob@local.example>')).code, 250);
  const accepted = await client.data(mail('another offer'));
  assert.equal(accepted.code, 250, accepted.text);
  await client.send('QUIT');

  assert.deepEqual(await subjects(f, alice.id, 'INBOX'), []);
  assert.deepEqual(await subjects(f, carol.id, 'INBOX'), []);
  assert.deepEqual(await subjects(f, bob.id, 'INBOX'), ['another offer'], 'bob is not robbed of his copy');
  const [dsn, ...more] = await queued(f);
  assert.equal(more.length, 0, 'one DSN, for the accepted transaction only');
  assert.deepEqual([dsn.sender, dsn.recipient], ['', 'x@outside.example']);
  assert.match(dsn.text, /report-type=delivery-status/);
  assert.match(dsn.text, /^Final-Recipient: rfc822; alice@local\.example\r$/m);
  assert.match(dsn.text, /^Status: 5\.7\.1\r$/m);
  assert.match(dsn.text, /No offers, +please\./);
  assert.doesNotMatch(dsn.text, /X-Mailroom-Queue-ID/, 'made at delivery time: no queue row to name');
  const row = await f.logRow('sieve.refused');
  assert.match(String(row.fields.trace), /refused at SMTP time \(550 5\.7\.1\), nothing stored/);
});

test('a redirect to a local user is delivered by the queue through that user\'s Sieve; a redirect loop ends in INBOX, an ereject fails the row with a DSN', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const alice = await activate(f, 'alice', 'redirect "bob@local.example";\n');
  const bob = await activate(
    f,
    'bob',
    'require ["fileinto", "mailbox", "ereject"];\nif header :contains "subject" "loop" { redirect "alice@local.example"; }\nelsif header :contains "subject" "refuse" { ereject "Bob refuses."; }\nelse { fileinto :create "FromAlice"; }\n',
  );
  const runner = createQueueRunner(f.ctx, { resolver: f.ctx.resolver });
  const drain = async () => {
    for (let i = 0; i < 5 && (await f.ctx.store.queue.list()).length > 0; i++) await runner.runOnce();
  };
  await send(f, mail('hello bob'));
  await drain();
  assert.deepEqual(await subjects(f, bob.id, 'FromAlice'), ['hello bob'], "bob's fileinto :create ran on the queued redirect");
  assert.deepEqual(await subjects(f, bob.id, 'INBOX'), []);

  await send(f, mail('a loop'));
  await drain();
  assert.deepEqual(await subjects(f, alice.id, 'INBOX'), ['a loop'], 'back at alice, the loop is noticed and the mail kept');
  assert.deepEqual(await f.ctx.store.queue.list(), [], 'nothing keeps circling');
  const loop = await f.logRow('sieve.loop');
  assert.match(String(loop.fields.trace), /already delivered to alice@local\.example/);

  await send(f, mail('please refuse'));
  await drain();
  const dsn = (await mailbox(f, alice.id, 'INBOX')).length;
  assert.equal(dsn, 1, 'nothing new at alice');
  const bounced = await f.logRow('queue.bounced');
  assert.ok(bounced, 'the ereject failed the row, and the queue bounced it');
  assert.match(JSON.stringify(await f.logRow('queue.failed')), /Bob refuses\./);
});

test('a script that fails at run time keeps the mail in INBOX and logs where it failed', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const redirects = ['a', 'b', 'c', 'd', 'e'].map((u) => `redirect "${u}@elsewhere.example";`).join('\n');
  const alice = await activate(f, 'alice', `require "fileinto";\nfileinto "Trash";\n${redirects}\n`);
  await send(f, mail('too many redirects'));
  assert.deepEqual(await subjects(f, alice.id, 'INBOX'), ['too many redirects']);
  assert.deepEqual(await subjects(f, alice.id, 'Trash'), []);
  assert.deepEqual(await f.ctx.store.queue.list(), []);
  const failed = await f.logRow('sieve.failed');
  assert.deepEqual([failed.fields.script, failed.fields.line, failed.fields.column], ['script "rules"', 7, 1]);
  assert.match(String(failed.fields.trace), /failed at line 7, column 1: more than 4 redirects; kept in INBOX/);
});

test('global before and after scripts run around the user\'s script as one run', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await f.ctx.store.sieve.putGlobal('tag', 'require "imap4flags";\nif header :contains "subject" "urgent" { addflag "\\\\Flagged"; }\n', 'before');
  await f.ctx.store.sieve.putGlobal('archive', 'require ["fileinto", "copy"];\nfileinto :copy "Archive";\n', 'after');
  const alice = await activate(f, 'alice', 'require "fileinto";\nif header :contains "subject" "work" { fileinto "Work"; }\n');
  await f.ctx.store.mailboxes.create(alice.id, 'Work', null);
  const bob = (await f.ctx.store.accounts.find('bob', 'local.example'))!;
  await send(f, mail('urgent work'));
  await send(f, mail('urgent note'), { to: 'bob@local.example' });
  assert.deepEqual(await subjects(f, alice.id, 'Work'), ['urgent work']);
  assert.equal((await mailbox(f, alice.id, 'Work'))[0].flags, FLAG_BITS['\\Flagged'], 'the before script\'s flag applies to the user\'s fileinto');
  assert.deepEqual(await subjects(f, alice.id, 'INBOX'), [], 'the user\'s fileinto cancelled the implicit keep');
  assert.deepEqual(await subjects(f, alice.id, 'Archive'), ['urgent work']);
  assert.deepEqual(await subjects(f, bob.id, 'INBOX'), ['urgent note'], 'bob has no script: global ones still run');
  assert.deepEqual(await subjects(f, bob.id, 'Archive'), ['urgent note']);
  const archived = await f.logRow('sieve.action', (x) => x.mailbox === 'Archive');
  assert.equal(archived.fields.script, 'global script "archive" (after)');
});

test('redirect queues the message unchanged, with an SRS sender that validates towards another domain', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await activate(f, 'alice', 'require "copy";\nredirect :copy "alice@phone.example";\nredirect "bob@local.example";\n');
  const body = mail('forward me', 'DKIM-Signature: v=1; a=rsa-sha256; d=outside.example; s=s; h=from; bh=x; b=y\r\n');
  await send(f, body);
  const rows = await queued(f);
  const outside = rows.find((r) => r.recipient === 'alice@phone.example')!;
  const inside = rows.find((r) => r.recipient === 'bob@local.example')!;
  assert.equal(inside.sender, 'x@outside.example', 'no rewriting towards a hosted domain');
  assert.match(outside.sender, /^SRS0=[^=]{4}=[A-Z2-7]{2}=outside\.example=x@local\.example$/);
  const srs = createSrs(await storedKey(f.ctx.settingsCache, SRS_KEY), () => f.clock.now());
  assert.deepEqual(srs.reverse(outside.sender.slice(0, outside.sender.lastIndexOf('@'))), { ok: true, address: 'x@outside.example' });
  assert.ok(outside.text.endsWith(body.slice(body.indexOf('From:'))), 'the original bytes, DKIM-Signature included, follow our Received header');
  const alice = (await f.ctx.store.accounts.find('alice', 'local.example'))!;
  assert.deepEqual(await subjects(f, alice.id, 'INBOX'), [], 'the redirect without :copy cancelled the implicit keep');
});

test('bounces to an SRS address go back to the original sender; forged and expired ones are refused', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const srs = createSrs(await storedKey(f.ctx.settingsCache, SRS_KEY), () => f.clock.now());
  const address = srs.forward('carol@outside.example', 'local.example');
  await send(f, mail('Undelivered Mail Returned to Sender', '', 'MAILER-DAEMON@phone.example', address), { from: '', to: address });
  const [bounce] = await queued(f);
  assert.deepEqual([bounce.sender, bounce.recipient], ['', 'carol@outside.example']);

  const { client } = await f.connect(f.ports.smtp);
  const forged = address.replace(/^SRS0=..../, 'SRS0=AAAA');
  assert.equal((await rcpt(client, '', forged)).code, 550);
  f.clock.advance(30 * 86_400_000);
  const expired = await client.send(`RCPT TO:<${address}>`);
  assert.deepEqual([expired.code, /expired|forged/.test(expired.text)], [550, true]);
});

test('vacation answers once per sender and period, never to a list or to <>', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await activate(f, 'alice', 'require "vacation";\nvacation :days 7 :subject "Away" "I am away until Monday.";\n');
  await send(f, mail('first'));
  await send(f, mail('second'));
  await send(f, mail('from a list', 'List-Id: <news.outside.example>\r\n', 'news@outside.example'), { from: 'news@outside.example' });
  await send(f, mail('bulk', 'Precedence: bulk\r\n', 'promo@outside.example'), { from: 'promo@outside.example' });
  await send(f, mail('bounce'), { from: '' });
  await send(f, mail('not to me', '', 'y@outside.example', 'someone@elsewhere.example'), { from: 'y@outside.example' });
  const replies = await queued(f);
  assert.deepEqual(replies.map((r) => [r.sender, r.recipient]), [['', 'x@outside.example']]);
  const [reply] = replies;
  assert.match(reply.text, /^Subject: Away\r$/m);
  assert.match(reply.text, /^Auto-Submitted: auto-replied\r$/m);
  assert.match(reply.text, /^In-Reply-To: <first\./m);
  assert.match(reply.text, /^From: <alice@local\.example>\r$/m);
  assert.match(reply.text, /I am away until Monday\./);
  await f.logRow('sieve.action', (x) => /already answered x@outside\.example/.test(String(x.trace)));
  await f.logRow('sieve.action', (x) => /mailing list/.test(String(x.trace)));
  f.clock.advance(8 * 86_400_000);
  await send(f, mail('a week later'));
  assert.equal((await queued(f)).length, 2, 'a new period, a new answer');
});

test('the managed part (set by the admin) runs before the user\'s own script, which is kept', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const alice = await activate(f, 'alice', 'require "fileinto";\nfileinto "Archive";\n');
  await f.admin.setForwarding({ address: 'alice@local.example', forward: { to: ['alice@phone.example'], keepCopy: true } });
  await send(f, mail('hello'));
  assert.deepEqual(await subjects(f, alice.id, 'Archive'), ['hello'], 'the user\'s script still files');
  assert.deepEqual(await subjects(f, alice.id, 'INBOX'), []);
  const [forward] = await queued(f);
  assert.equal(forward.recipient, 'alice@phone.example');
  assert.match(forward.sender, /^SRS0=/);
  const row = await f.logRow('sieve.action', (x) => x.action === 'redirect');
  assert.equal(row.fields.script, 'managed rules (out-of-office, forwarding)');
});
