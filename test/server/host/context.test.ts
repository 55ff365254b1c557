import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openContext } from '../../../server/index.js';
import { createAdminApi } from '../../../server/admin/api.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { tempDir } from '../../helpers/temp.js';

async function setup(t: Parameters<typeof tempDir>[0]) {
  const ctx = await openContext(tempDir(t), { hasher: createPasswordHasher({ cost: 'test' }) });
  t.after(() => ctx.close());
  const api = createAdminApi({ ...ctx, log: ctx.log, status: () => ({ version: 't', startedAt: 0, listeners: {} }) });
  return { ctx, api };
}

const imap = { protocol: 'imap' as const, remoteIp: '127.0.0.1', secure: true };

test('the context authenticates accounts made by the admin service, case-insensitively', async (t) => {
  const { ctx, api } = await setup(t);
  await api.addDomain({ name: 'example.com' });
  await api.addAccount({ address: 'Alice@example.com', password: 'correct horse' });
  assert.deepEqual(await ctx.auth.verify({ username: 'alice@EXAMPLE.com', password: 'correct horse' }, imap), {
    ok: true,
    accountId: (await ctx.store.accounts.find('alice', 'example.com'))!.id,
    address: 'Alice@example.com',
  });
  assert.equal((await ctx.auth.verify({ username: 'alice@example.com', password: 'wrong horse' }, imap)).ok, false);
  assert.equal((await ctx.auth.verify({ username: 'not an address', password: 'x' }, imap)).ok, false);
  assert.ok((await ctx.store.accounts.find('alice', 'example.com'))!.lastLoginAt, 'last login recorded');

  await api.updateAccount({ address: 'alice@example.com', active: false });
  assert.deepEqual(await ctx.auth.verify({ username: 'alice@example.com', password: 'correct horse' }, imap), { ok: false, reason: 'disabled' });
  await api.updateAccount({ address: 'alice@example.com', active: true });
  await api.updateDomain({ name: 'example.com', active: false });
  assert.deepEqual(await ctx.auth.verify({ username: 'alice@example.com', password: 'correct horse' }, imap), { ok: false, reason: 'disabled' });
});

test('an imported {SHA512-CRYPT} hash made by openssl verifies and is rehashed to scrypt on login', async (t) => {
  const { ctx, api } = await setup(t);
  await api.addDomain({ name: 'example.com' });
  await api.addAccount({ address: 'bob@example.com', password: 'placeholder' });
  const crypt = execFileSync('openssl', ['passwd', '-6', '-salt', 'Zq8mR2vT', 'imported secret']).toString().trim();
  const bob = (await ctx.store.accounts.find('bob', 'example.com'))!;
  await ctx.store.accounts.update(bob.id, { passwordHash: `{SHA512-CRYPT}${crypt}`, scramSecret: null });

  assert.equal((await ctx.auth.verify({ username: 'bob@example.com', password: 'wrong' }, imap)).ok, false);
  assert.equal((await ctx.auth.verify({ username: 'bob@example.com', password: 'imported secret' }, imap)).ok, true);
  const after = (await ctx.store.accounts.secrets('bob', 'example.com'))!;
  assert.match(after.passwordHash, /^\{SCRYPT\}/);
  assert.match(after.scramSecret ?? '', /^\{SCRAM-SHA-256\}/);
  assert.equal((await ctx.auth.verify({ username: 'bob@example.com', password: 'imported secret' }, imap)).ok, true);
});
