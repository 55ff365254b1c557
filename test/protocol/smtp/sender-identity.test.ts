// Issue 11 §3: on submission the envelope sender must be non-empty and owned, the From: header's
// addresses owned too, unless the admin granted "send as"; AUTH PLAIN with an authzid other than the
// authcid only for master users.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SmtpClient } from './client.js';
import { plain } from './client.js';
import { smtpFixture, standardDomains, type SmtpFixture } from './harness.js';

const mail = (from: string, subject: string) =>
  `From: ${from}\r\nTo: <bob@local.example>\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@test>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\nHello.\r\n`;

const plainAs = (authzid: string, user: string, password: string) => Buffer.from(`${authzid}\0${user}\0${password}`).toString('base64');

async function asAlice(f: SmtpFixture): Promise<SmtpClient> {
  const { client } = await f.connect(f.ports.submissions, { tls: true });
  await client.ehlo();
  assert.equal((await client.send(`AUTH PLAIN ${plain('alice@local.example', 'alice-password')}`)).code, 235);
  return client;
}

/** MAIL FROM, RCPT bob, DATA: the final reply. */
async function send(client: SmtpClient, envelope: string, body: string) {
  const from = await client.send(`MAIL FROM:<${envelope}>`);
  if (from.code !== 250) return from;
  assert.equal((await client.send('RCPT TO:<bob@local.example>')).code, 250);
  return client.data(body);
}

test('submission refuses the null sender with 553 5.7.1 naming the reason', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const client = await asAlice(f);
  const r = await client.send('MAIL FROM:<>');
  assert.deepEqual([r.code, r.enhanced], [553, '5.7.1']);
  assert.match(r.text, /null sender/i);
});

test("a From: header naming someone else's address is refused at DATA with 553 5.7.1, and nothing is stored", async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const client = await asAlice(f);
  for (const from of ['<bob@local.example>', 'Postmaster <postmaster@local.example>', '"CEO" <ceo@bank.example>', '<alice@local.example>, <bob@local.example>']) {
    const r = await send(client, 'alice@local.example', mail(from, 'spoof'));
    assert.deepEqual([r.code, r.enhanced], [553, '5.7.1'], from);
    assert.match(r.text, /From: header/);
    await client.send('RSET');
  }
  assert.deepEqual(await f.inbox('bob@local.example'), []);
  await f.logRow('smtp.sender-refused', (x) => x.reason === 'from-not-owned');
  for (const from of ['Alice <alice@local.example>', '<ALICE@LOCAL.EXAMPLE>', 'alias-of-alice@local.example', 'The team <team@local.example>']) {
    assert.equal((await send(client, 'alice@local.example', mail(from, `own ${from}`))).code, 250, from);
  }
  assert.equal((await f.inbox('bob@local.example')).length, 4);
});

test('"send as" grants let a user send as an address or a whole domain it does not own', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await f.admin.grantSendAs({ user: 'alice@local.example', address: 'bob@local.example' });
  await f.admin.grantSendAs({ user: 'alice@local.example', address: '*@bank.example' });
  assert.deepEqual(
    (await f.admin.listSenderGrants({ user: 'alice@local.example' })).map((g) => g.address),
    ['*@bank.example', 'bob@local.example'],
  );
  const client = await asAlice(f);
  assert.equal((await send(client, 'bob@local.example', mail('<bob@local.example>', 'granted'))).code, 250);
  assert.equal((await send(client, 'ceo@bank.example', mail('CEO <ceo@bank.example>', 'granted domain'))).code, 250);
  assert.equal((await client.send('MAIL FROM:<carol@local.example>')).code, 553, 'no grant for carol');
  await client.send('RSET');
  assert.deepEqual(await f.admin.revokeSendAs({ user: 'alice@local.example', address: 'bob@local.example' }), { removed: true });
  assert.equal((await client.send('MAIL FROM:<bob@local.example>')).code, 553);
});

test('AUTH PLAIN with an authzid other than the authcid is refused with 535, unless the authcid is a master user', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.submissions, { tls: true });
  await client.ehlo();
  const refused = await client.send(`AUTH PLAIN ${plainAs('bob@local.example', 'alice@local.example', 'alice-password')}`);
  assert.deepEqual([refused.code, refused.enhanced], [535, '5.7.8']);
  assert.match(refused.text, /authoriz/i);
  assert.equal((await client.send(`AUTH PLAIN ${plainAs('ALICE@local.example', 'alice@local.example', 'alice-password')}`)).code, 235, 'the same identity is fine');

  await f.admin.setMasterUser({ address: 'alice@local.example', master: true });
  assert.deepEqual(await f.admin.listMasterUsers(), ['alice@local.example']);
  const { client: master } = await f.connect(f.ports.submissions, { tls: true });
  await master.ehlo();
  assert.equal((await master.send(`AUTH PLAIN ${plainAs('bob@local.example', 'alice@local.example', 'wrong')}`)).code, 535, 'the master password is still checked');
  assert.equal((await master.send(`AUTH PLAIN ${plainAs('nobody@local.example', 'alice@local.example', 'alice-password')}`)).code, 535, 'the target must exist');
  assert.equal((await master.send(`AUTH PLAIN ${plainAs('bob@local.example', 'alice@local.example', 'alice-password')}`)).code, 235);
  assert.equal((await send(master, 'bob@local.example', mail('<bob@local.example>', 'on behalf'))).code, 250, 'the session acts as bob');
  const [stored] = await f.inbox('bob@local.example');
  assert.match(stored, /\(Authenticated sender: bob@local\.example\)/);
  await f.logRow('smtp.auth', (x) => x.ok === true && x.masterUser === 'alice@local.example');
});
