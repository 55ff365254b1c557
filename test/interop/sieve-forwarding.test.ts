// Forwarding and out-of-office through real sockets: mail arrives over SMTP, the user's Sieve
// redirects it to another domain and answers it, the queue runner delivers both to a loopback SMTP
// server (smtp-server) that stands for the other domains. The forward carries an SRS sender that
// validates and the sender's own DKIM signature still verifies (mailauth, through the fake DNS);
// the reply is DKIM-signed by us; a bounce to the SRS address comes back to the original sender.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dkimVerify } from 'mailauth';
import { createQueueRunner } from '../../server/delivery/outbound/index.js';
import { dkimRecord, generateDkimKey, signOutbound } from '../../server/delivery/outbound/dkim.js';
import { createSrs, SRS_KEY } from '../../server/delivery/srs.js';
import { storedKey } from '../../server/auth/stored-key.js';
import { startFakeSmtp } from '../helpers/fake-smtp.js';
import { rcpt, smtpFixture } from '../protocol/smtp/harness.js';

test('a redirect to another domain leaves with SRS and the original DKIM signature; the vacation reply is signed; the bounce comes home', async (t) => {
  const f = await smtpFixture(t);
  await f.admin.addDomain({ name: 'local.example' });
  await f.admin.addAccount({ address: 'alice@local.example', password: 'alice-password' });
  const ours = await f.admin.generateDkimKey({ domain: 'local.example', algorithm: 'ed25519' });
  f.dns.zone[ours.dnsName] = { TXT: [ours.dnsValue] };
  const theirs = await generateDkimKey('outside.example', 'sel', 'ed25519', f.clock.now());
  const theirRecord = dkimRecord(theirs);
  f.dns.zone[theirRecord.name] = { TXT: [theirRecord.value] };
  const remote = await startFakeSmtp(t);
  for (const domain of ['phone.example', 'outside.example']) await f.admin.setTransport({ domain, route: `smtp:[127.0.0.1]:${remote.port}` });

  const alice = (await f.ctx.store.accounts.find('alice', 'local.example'))!;
  await f.ctx.store.sieve.put(alice.id, 'away', 'require ["vacation", "copy"];\nredirect :copy "alice@phone.example";\nvacation :days 3 :subject "Out of office" "Back on Monday.";\n', 10);
  await f.ctx.store.sieve.setActive(alice.id, 'away');

  const original = 'From: Xavier <x@outside.example>\r\nTo: <alice@local.example>\r\nSubject: Lunch?\r\nMessage-ID: <lunch@outside.example>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\nShall we?\r\n';
  const signed = (await signOutbound(Buffer.from(original), { domains: { dkimKey: async () => theirs }, now: f.clock.now() })).bytes.toString();
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'alice@local.example')).code, 250);
  assert.equal((await client.data(signed)).code, 250);

  const runner = createQueueRunner(f.ctx, { resolver: f.ctx.resolver });
  assert.deepEqual(await runner.runOnce(), { delivered: 2, deferred: 0, bounced: 0 });
  const resolver = (name: string, type: string) => f.ctx.resolver.resolve(name, type) as Promise<string[][]>;

  const forward = remote.received.find((m) => m.to.includes('alice@phone.example'))!;
  assert.match(forward.from, /^SRS0=[^=]{4}=[A-Z2-7]{2}=outside\.example=x@local\.example$/);
  const srs = createSrs(await storedKey(f.ctx.settingsCache, SRS_KEY), () => f.clock.now());
  assert.deepEqual(srs.reverse(forward.from.slice(0, forward.from.lastIndexOf('@'))), { ok: true, address: 'x@outside.example' });
  const forwardCheck = await dkimVerify(forward.raw, { resolver });
  assert.deepEqual(forwardCheck.results.map((r) => [r.signingDomain, r.status.result]), [['outside.example', 'pass']], 'the sender\'s signature survives the forward');

  const reply = remote.received.find((m) => m.to.includes('x@outside.example'))!;
  assert.equal(reply.from, '');
  assert.match(reply.raw.toString(), /^Auto-Submitted: auto-replied\r$/m);
  assert.match(reply.raw.toString(), /^In-Reply-To: <lunch@outside\.example>\r$/m);
  const replyCheck = await dkimVerify(reply.raw, { resolver });
  assert.deepEqual(replyCheck.results.map((r) => [r.signingDomain, r.status.result]), [['local.example', 'pass']]);

  // The phone's server bounces the forward: to the SRS address, which we unwrap to Xavier.
  const bounce = 'From: MAILER-DAEMON@phone.example\r\nTo: <' + forward.from + '>\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b1@phone.example>\r\n\r\nMailbox full.\r\n';
  const second = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(second.client, '', forward.from)).code, 250);
  assert.equal((await second.client.data(bounce)).code, 250);
  assert.deepEqual(await runner.runOnce(), { delivered: 1, deferred: 0, bounced: 0 });
  const back = remote.received.at(-1)!;
  assert.deepEqual([back.from, back.to], ['', ['x@outside.example']]);
  assert.match(back.raw.toString(), /Mailbox full\./);
});
