// nodemailer as the mail client: AUTH PLAIN and LOGIN on 587 (STARTTLS) and 465 (implicit TLS),
// failures, relay refusal, sender ownership and size limits as a real client reports them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTransport } from 'nodemailer';
import { smtpFixture, standardDomains, type SmtpFixture } from '../protocol/smtp/harness.js';

type Method = 'PLAIN' | 'LOGIN';

function transport(f: SmtpFixture, listener: 'submission' | 'submissions' | 'smtp', auth?: { user: string; pass: string; method: Method }, from = '127.0.0.9') {
  const t = createTransport({
    host: '127.0.0.1',
    port: f.ports[listener],
    secure: listener === 'submissions',
    requireTLS: listener === 'submission',
    ignoreTLS: listener === 'smtp',
    localAddress: from,
    name: 'client.example',
    tls: { rejectUnauthorized: false },
    ...(auth ? { auth: { user: auth.user, pass: auth.pass }, authMethod: auth.method } : {}),
  });
  return t;
}

const mail = (to: string | string[], from = 'alice@local.example', text = 'Hello from nodemailer.') => ({ from, to, subject: 'interop', text });

async function smtpError(promise: Promise<unknown>): Promise<{ responseCode?: number; response?: string; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { responseCode?: number; response?: string; code?: string };
  }
  assert.fail('expected the send to fail');
}

for (const listener of ['submission', 'submissions'] as const) {
  for (const method of ['PLAIN', 'LOGIN'] as const) {
    test(`nodemailer: AUTH ${method} on ${listener} delivers; a wrong password fails with 535`, async (t) => {
      const f = await smtpFixture(t);
      await standardDomains(f.admin);
      const good = transport(f, listener, { user: 'alice@local.example', pass: 'alice-password', method });
      const info = await good.sendMail(mail(['bob@local.example', 'friend@remote.example']));
      assert.deepEqual(info.accepted, ['bob@local.example', 'friend@remote.example']);
      assert.match(info.response, /^250 2\.6\.0 Ok: queued as [0-9A-F]+$/);
      good.close();
      assert.equal((await f.inbox('bob@local.example')).length, 1);
      assert.equal(await f.ctx.store.queue.count(), 1);
      const bad = transport(f, listener, { user: 'alice@local.example', pass: 'not-it', method });
      const err = await smtpError(bad.sendMail(mail('bob@local.example')));
      bad.close();
      assert.equal(err.code, 'EAUTH');
      assert.equal(err.responseCode, 535);
      assert.match(err.response ?? '', /^535 5\.7\.8 /);
    });
  }
}

test('nodemailer: MX refuses relay for an anonymous client, accepts local mail', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const mx = transport(f, 'smtp');
  const err = await smtpError(mx.sendMail(mail('victim@other.example', 'x@outside.example')));
  assert.equal(err.responseCode, 554);
  assert.match(err.response ?? '', /5\.7\.1 .*Relay access denied/);
  const info = await mx.sendMail(mail('carol@local.example', 'x@outside.example'));
  assert.deepEqual(info.accepted, ['carol@local.example']);
  mx.close();
});

test('nodemailer: sender ownership and oversize are reported as the client sees them', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { maxMessageBytes: 4096 } } });
  await standardDomains(f.admin);
  const alice = transport(f, 'submissions', { user: 'alice@local.example', pass: 'alice-password', method: 'PLAIN' });
  const notHers = await smtpError(alice.sendMail(mail('bob@local.example', 'bob@local.example')));
  assert.equal(notHers.responseCode, 553);
  const big = await smtpError(alice.sendMail(mail('bob@local.example', 'alice@local.example', 'z'.repeat(10_000))));
  assert.equal(big.responseCode, 552);
  assert.match(big.response ?? '', /5\.3\.4/);
  alice.close();
  assert.equal((await f.inbox('bob@local.example')).length, 0);
});
