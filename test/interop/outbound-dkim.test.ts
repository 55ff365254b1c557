// DKIM signing of outbound mail, checked by independent verifiers: mailauth (through the fake DNS
// server, as a receiving MX would) and, when Debian's python3-dkim is installed, dkimpy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dkimVerify } from 'mailauth';
import { createQueueRunner } from '../../server/delivery/outbound/index.js';
import { startFakeSmtp } from '../helpers/fake-smtp.js';
import { enqueue, outboundFixture, sampleMessage } from '../helpers/outbound.js';

const PYTHON = '/usr/bin/python3';
const hasDkimpy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import dkim'], { stdio: 'ignore' }).status === 0;

const DKIMPY_VERIFY = `
import sys, dkim
record = sys.argv[1].encode()
ok = dkim.verify(sys.stdin.buffer.read(), dnsfunc=lambda name, timeout=5: record)
print('pass' if ok else 'fail')
`;

async function signedDelivery(t: Parameters<typeof outboundFixture>[0], algorithm: 'rsa' | 'ed25519', selector?: string) {
  const f = await outboundFixture(t);
  await f.admin.addDomain({ name: 'local.test' });
  await f.admin.addAccount({ address: 'alice@local.test', password: 'password1' });
  const key = await f.admin.generateDkimKey({ domain: 'local.test', algorithm, selector });
  f.dns.zone[key.dnsName] = { TXT: [key.dnsValue] };
  const remote = await startFakeSmtp(t);
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('Alice <alice@local.test>', 'bob@remote.test', 'Signed'));
  assert.deepEqual(await createQueueRunner(f.ctx, { resolver: f.resolver }).runOnce(), { delivered: 1, deferred: 0, bounced: 0 });
  const raw = remote.received[0].raw;
  return { f, key, raw, resolver: (name: string, type: string) => f.resolver.resolve(name, type) as Promise<string[][]> };
}

test('outbound mail from a domain with an RSA key is signed, and mailauth verifies it through DNS', async (t) => {
  const { key, raw, resolver } = await signedDelivery(t, 'rsa');
  assert.match(key.dnsValue, /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{300,}={0,2}$/, 'a 2048-bit key');
  assert.match(raw.toString(), /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=local\.test;/);
  const result = await dkimVerify(raw, { resolver });
  assert.equal(result.results.length, 1);
  assert.equal(result.results[0].status.result, 'pass', result.results[0].status.comment);
  assert.equal(result.results[0].signingDomain, 'local.test');
  assert.equal(result.results[0].selector, 'mailroom');

  const tampered = Buffer.from(raw.toString().replace('Hello there.', 'Hello there!'));
  assert.equal((await dkimVerify(tampered, { resolver })).results[0].status.result, 'neutral', 'body hash mismatch is not a pass');
});

test('dkimpy (python3-dkim) verifies our RSA signature', { skip: !hasDkimpy && 'python3-dkim is not installed' }, async (t) => {
  const { key, raw } = await signedDelivery(t, 'rsa');
  const run = spawnSync(PYTHON, ['-c', DKIMPY_VERIFY, key.dnsValue], { input: raw, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'pass');
});

test('an Ed25519 key signs with ed25519-sha256 (RFC 8463) under the chosen selector', async (t) => {
  const { key, raw, resolver } = await signedDelivery(t, 'ed25519', 'ed2026');
  assert.equal(key.dnsName, 'ed2026._domainkey.local.test');
  assert.match(key.dnsValue, /^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$/);
  const result = await dkimVerify(raw, { resolver });
  assert.equal(result.results[0].status.result, 'pass', result.results[0].status.comment);
  assert.match(raw.toString(), /a=ed25519-sha256/);
});

test('mail whose From domain has no key goes out unsigned', async (t) => {
  const f = await outboundFixture(t);
  await f.admin.addDomain({ name: 'local.test' });
  const remote = await startFakeSmtp(t);
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test'));
  await createQueueRunner(f.ctx, { resolver: f.resolver }).runOnce();
  assert.doesNotMatch(remote.received[0].raw.toString(), /DKIM-Signature/i);
});
