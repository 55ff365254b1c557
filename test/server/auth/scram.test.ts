import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashFormatError } from '../../../server/auth/hash-format-error.js';
import { SaslError, type SaslMechanism, type SaslStep } from '../../../server/auth/sasl-mechanism.js';
import {
  SCRAM_ITERATIONS_DEFAULT,
  createScramSha256Server,
  deriveScramSecret,
  parseScramSecret,
  serializeScramSecret,
  verifyPasswordAgainstScram,
  type ScramSecret,
} from '../../../server/auth/scram.js';
import { scramClient } from './scram-client.js';
import { legacyFixture } from './vectors.js';

// RFC 7677 §3, the example exchange for user "user", password "pencil".
const RFC = {
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal: 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

const isSaslError = (reason: SaslError['reason']) => (e: unknown) => e instanceof SaslError && e.reason === reason;
const text = (s: string) => Buffer.from(s, 'utf8');

function challengeOf(step: SaslStep): Buffer {
  assert.equal(step.type, 'challenge');
  return step.challenge;
}

async function serverFor(secrets: Record<string, ScramSecret>, serverNonce?: () => string): Promise<SaslMechanism> {
  return createScramSha256Server({ lookupScram: async (username) => secrets[username], unknownUserKey: Buffer.alloc(32, 7), serverNonce });
}

/** Runs a full exchange with the independent test client. */
async function login(server: SaslMechanism, username: string, password: string) {
  const client = scramClient(username, password);
  const serverFirst = challengeOf(await server.start(client.first));
  const outcome = await server.step(client.final(serverFirst));
  assert.equal(outcome.type, 'outcome');
  return { outcome, client };
}

describe('scram', () => {
  it("derives RFC 7677's secret and replays its example exchange exactly", async () => {
    const secret = await deriveScramSecret('pencil', { salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64') });
    assert.equal(secret.iterations, 4096);
    const server = await serverFor({ user: secret }, () => RFC.serverNonce);
    assert.equal(challengeOf(await server.start(text(RFC.clientFirst))).toString(), RFC.serverFirst);
    const outcome = await server.step(text(RFC.clientFinal));
    assert.deepEqual(outcome, { type: 'outcome', ok: true, username: 'user', additionalData: text(RFC.serverFinal) });
  });

  it("checks the test client against RFC 7677: it produces the example's messages", async () => {
    const server = await serverFor({ user: await deriveScramSecret('pencil', { salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64') }) }, () => RFC.serverNonce);
    const client = scramClient('user', 'pencil', { nonce: 'rOprNGfwEbeRWgbNEkqO' });
    assert.equal(client.first.toString(), RFC.clientFirst);
    const serverFirst = challengeOf(await server.start(client.first));
    assert.equal(client.final(serverFirst).toString(), RFC.clientFinal);
    const outcome = await server.step(text(RFC.clientFinal));
    assert.ok(outcome.type === 'outcome' && outcome.ok && client.verifyServer(outcome.additionalData));
  });

  it('derives the same keys as Dovecot for its {SCRAM-SHA-256} secrets', async () => {
    const dovecot = legacyFixture.vectors.filter((v) => v.command.startsWith('doveadm pw -s SCRAM-SHA-256'));
    assert.ok(dovecot.length >= 3);
    for (const v of dovecot) {
      const theirs = parseScramSecret(v.hash);
      const ours = await deriveScramSecret(v.password, { iterations: theirs.iterations, salt: Buffer.from(theirs.salt, 'base64') });
      assert.deepEqual(ours, theirs, v.command);
      assert.equal(serializeScramSecret(ours), v.hash);
    }
  });

  it('serializes to one string and parses it back', async () => {
    const secret = await deriveScramSecret('s3cret', { iterations: 5000 });
    const stored = serializeScramSecret(secret);
    assert.match(stored, /^\{SCRAM-SHA-256\}5000,[^,]+,[^,]+,[^,]+$/);
    assert.deepEqual(parseScramSecret(stored), secret);
    assert.equal(Buffer.from(secret.salt, 'base64').length, 16);
    assert.equal((await deriveScramSecret('s3cret')).iterations, SCRAM_ITERATIONS_DEFAULT);
    assert.notEqual((await deriveScramSecret('s3cret')).salt, (await deriveScramSecret('s3cret')).salt);
  });

  it('refuses damaged stored secrets with HashFormatError', () => {
    for (const bad of ['4096,a,b,c', '{SCRAM-SHA-256}0,AAAA,x,y', '{SCRAM-SHA-256}4096,AAAA,AAAA,AAAA', '{SCRAM-SHA-256}4096,,', '{SCRAM-SHA-256}']) {
      assert.throws(() => parseScramSecret(bad), (e: unknown) => e instanceof HashFormatError && e.reason === 'malformed', bad);
    }
  });

  it('checks a plain password against a stored secret', async () => {
    const secret = await deriveScramSecret('pencil');
    assert.equal(await verifyPasswordAgainstScram(secret, 'pencil'), true);
    assert.equal(await verifyPasswordAgainstScram(secret, 'Pencil'), false);
  });

  it('normalizes passwords with NFKC (part of SASLprep)', async () => {
    const salt = Buffer.alloc(16, 7);
    const ascii = await deriveScramSecret('pencil', { salt });
    assert.deepEqual(await deriveScramSecret('ｐｅｎｃｉｌ', { salt }), ascii); // full-width forms
    assert.deepEqual(await deriveScramSecret('cafe\u0301', { salt }), await deriveScramSecret('caf\u00e9', { salt }));
  });

  it('authenticates an independent client and proves itself to it', async () => {
    const server = await serverFor({ 'alice@example.com': await deriveScramSecret('wonder land ü') });
    const { outcome, client } = await login(server, 'alice@example.com', 'wonder land ü');
    assert.ok(outcome.type === 'outcome' && outcome.ok);
    assert.equal(outcome.username, 'alice@example.com');
    assert.equal(client.verifyServer(outcome.additionalData), true);
  });

  it('answers a wrong password with a failed outcome, not an error', async () => {
    const server = await serverFor({ user: await deriveScramSecret('pencil') });
    const { outcome } = await login(server, 'user', 'crayon');
    assert.deepEqual(outcome, { type: 'outcome', ok: false, username: 'user' });
  });

  it('runs an unknown user through a normal-looking exchange with a stable salt, then fails', async () => {
    const firstMessages: string[] = [];
    for (let i = 0; i < 2; i++) {
      const server = await serverFor({});
      const client = scramClient('nobody@example.com', 'guess');
      const serverFirst = challengeOf(await server.start(client.first)).toString();
      firstMessages.push(serverFirst.replace(/^r=[^,]*,/, ''));
      assert.match(serverFirst, /,s=[A-Za-z0-9+/]{22}==,i=4096$/);
      assert.deepEqual(await server.step(client.final(text(serverFirst))), { type: 'outcome', ok: false, username: 'nobody@example.com' });
    }
    assert.equal(firstMessages[0], firstMessages[1]);
  });

  it('decodes =2C and =3D in the username and accepts an equal authzid', async () => {
    const server = await serverFor({ 'odd,name=x': await deriveScramSecret('pw') });
    const client = scramClient('odd,name=x', 'pw', { authzid: 'odd,name=x' });
    const outcome = await server.step(client.final(challengeOf(await server.start(client.first))));
    assert.ok(outcome.type === 'outcome' && outcome.ok);
  });

  it('passes on a different authzid in the outcome, for the authenticator to decide', async () => {
    const server = await serverFor({ user: await deriveScramSecret('pencil') });
    const client = scramClient('user', 'pencil', { authzid: 'boss' });
    const outcome = await server.step(client.final(challengeOf(await server.start(client.first))));
    assert.ok(outcome.type === 'outcome' && outcome.ok);
    assert.equal(outcome.authzid, 'boss');
  });

  it('waits for the client-first message when there is no initial response', async () => {
    const server = await serverFor({ user: await deriveScramSecret('pencil') });
    assert.equal(challengeOf(await server.start()).length, 0);
    const client = scramClient('user', 'pencil');
    const outcome = await server.step(client.final(challengeOf(await server.step(client.first))));
    assert.ok(outcome.type === 'outcome' && outcome.ok);
  });

  it('accepts the "y" channel-binding flag, since -PLUS is not offered', async () => {
    const server = await serverFor({ user: await deriveScramSecret('pencil') }, () => 'srv');
    const serverFirst = challengeOf(await server.start(text('y,,n=user,r=abc'))).toString();
    assert.ok(serverFirst.startsWith('r=abcsrv,'));
    // c= must then carry "y,,", not "n,,".
    await assert.rejects(server.step(text(`c=biws,r=abcsrv,p=${Buffer.alloc(32).toString('base64')}`)), isSaslError('malformed'));
  });

  const badFirst: [string, string | Buffer, SaslError['reason']][] = [
    ['channel binding requested', 'p=tls-unique,,n=user,r=abc', 'channel-binding-unsupported'],
    ['a mandatory extension', 'n,,m=ext,n=user,r=abc', 'unsupported-extension'],
    ['no GS2 header', 'n=user,r=abc', 'malformed'],
    ['an unknown GS2 flag', 'x,,n=user,r=abc', 'malformed'],
    ['a missing nonce', 'n,,n=user', 'malformed'],
    ['an empty username', 'n,,n=,r=abc', 'malformed'],
    ['a bad saslname escape', 'n,,n=us=2Xer,r=abc', 'malformed'],
    ['a nonce with a control character', 'n,,n=user,r=a\x01b', 'malformed'],
    ['invalid UTF-8', Buffer.from([0x6e, 0x2c, 0x2c, 0x6e, 0x3d, 0xff, 0x2c, 0x72, 0x3d, 0x61]), 'malformed'],
    ['an oversized message', `n,,n=user,r=${'a'.repeat(9000)}`, 'too-long'],
  ];
  for (const [what, message, reason] of badFirst) {
    it(`refuses a client-first message with ${what} (${reason})`, async () => {
      const server = await serverFor({ user: await deriveScramSecret('pencil') });
      await assert.rejects(server.start(typeof message === 'string' ? text(message) : message), isSaslError(reason));
      await assert.rejects(server.step(text('c=biws')), isSaslError('unexpected-response'));
    });
  }

  const badFinal: [string, (good: string) => string][] = [
    ['a changed nonce', (good) => good.replace(/r=([^,]*)/, 'r=$1x')],
    ['different channel-binding data', (good) => good.replace('c=biws', 'c=eSws')],
    ['no proof', (good) => good.replace(/,p=.*$/, '')],
    ['a short proof', (good) => good.replace(/p=.*$/, 'p=AAAA')],
    ['a proof that is not base64', (good) => good.replace(/p=.*$/, 'p=!!!!')],
    ['attributes out of order', (good) => good.split(',').reverse().join(',')],
  ];
  for (const [what, damage] of badFinal) {
    it(`refuses a client-final message with ${what}`, async () => {
      const server = await serverFor({ user: await deriveScramSecret('pencil') });
      const client = scramClient('user', 'pencil');
      const good = client.final(challengeOf(await server.start(client.first))).toString();
      await assert.rejects(server.step(text(damage(good))), isSaslError('malformed'));
    });
  }

  it('is finished after its outcome or a cancel', async () => {
    const server = await serverFor({ user: await deriveScramSecret('pencil') });
    await login(server, 'user', 'pencil');
    await assert.rejects(server.step(Buffer.alloc(0)), isSaslError('unexpected-response'));
    await assert.rejects(server.start(Buffer.alloc(0)), isSaslError('unexpected-response'));

    const cancelled = await serverFor({});
    await cancelled.start();
    assert.equal(cancelled.cancel().reason, 'cancelled');
    await assert.rejects(cancelled.step(scramClient('user', 'x').first), isSaslError('unexpected-response'));
  });
});
