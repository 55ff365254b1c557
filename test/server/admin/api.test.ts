import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminError, type AdminErrorCode } from '../../../server/admin/contract.js';
import { adminFixture } from '../../helpers/admin.js';
import { inspectDatabase } from '../../../server/store/db.js';

async function refuses(promise: Promise<unknown>, code: AdminErrorCode, message: RegExp) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof AdminError, `expected AdminError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

test('domains: add (IDN, case), list with counts, disable, refuse duplicates and bad names', async (t) => {
  const { api } = await adminFixture(t);
  const d = await api.addDomain({ name: 'Bücher.Example' });
  assert.equal(d.name, 'xn--bcher-kva.example');
  assert.equal(d.displayName, 'bücher.example');
  await refuses(api.addDomain({ name: 'bücher.example' }), 'conflict', /already exists/);
  await refuses(api.addDomain({ name: 'nodot' }), 'invalid', /two labels/);
  await refuses(api.addDomain({ name: '' }), 'invalid', /required/);
  await refuses(api.addDomain({ name: 'a.example', defaultQuota: -1 }), 'invalid', /negative/);
  assert.equal((await api.updateDomain({ name: 'BÜCHER.example', active: false })).active, false);
  await refuses(api.updateDomain({ name: 'missing.example', active: false }), 'not-found', /no domain missing.example/);
  assert.deepEqual((await api.listDomains()).map((x) => [x.name, x.accounts, x.active]), [['xn--bcher-kva.example', 0, false]]);
});

test('domains: removal refuses a domain with accounts unless cascading', async (t) => {
  const { api, store } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  await api.addAccount({ address: 'alice@example.com', password: 'correct horse' });
  await api.addAlias({ address: 'info@example.com', destinations: ['alice@example.com'] });
  await refuses(api.removeDomain({ name: 'example.com' }), 'conflict', /still has 1 account\(s\) and 1 alias\(es\)/);
  assert.deepEqual(await api.removeDomain({ name: 'example.com', cascade: true }), { removedAccounts: 1, removedAliases: 1 });
  assert.deepEqual(await api.listDomains(), []);
  assert.equal((inspectDatabase(store).prepare('SELECT count(*) AS n FROM mailboxes').get() as { n: number }).n, 0);
  await api.addDomain({ name: 'empty.example' });
  assert.deepEqual(await api.removeDomain({ name: 'empty.example' }), { removedAccounts: 0, removedAliases: 0 });
});

test('accounts: add with default mailboxes and domain quota, list with usage, change, remove', async (t) => {
  const { api, store } = await adminFixture(t);
  await api.addDomain({ name: 'example.com', defaultQuota: 1024 ** 3 });
  const a = await api.addAccount({ address: 'Alice@Example.com', password: 'correct horse', displayName: 'Alice' });
  assert.equal(a.address, 'Alice@example.com');
  assert.equal(a.quota, 1024 ** 3);
  assert.equal(a.usedBytes, 0);
  const id = (await store.accounts.find('alice', 'example.com'))!.id;
  assert.deepEqual((await store.mailboxes.list(id)).map((m) => m.name).sort(), ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
  assert.equal((await store.accounts.secrets('alice', 'example.com'))!.passwordHash, '{PLAIN}correct horse');

  assert.equal((await api.updateAccount({ address: 'alice@example.com', quota: 500 * 1024 ** 2 })).quota, 500 * 1024 ** 2);
  assert.equal((await api.updateAccount({ address: 'alice@example.com', active: false })).active, false);
  await api.setPassword({ address: 'ALICE@example.com', password: 'battery staple' });
  assert.equal((await store.accounts.secrets('alice', 'example.com'))!.passwordHash, '{PLAIN}battery staple');
  assert.deepEqual((await api.listAccounts({ domain: 'example.com' })).map((x) => x.address), ['Alice@example.com']);
  assert.deepEqual(await api.removeAccount({ address: 'alice@example.com' }), { removedMessages: 0 });
  assert.deepEqual(await api.listAccounts(), []);
});

test('accounts: refusals name the problem', async (t) => {
  const { api } = await adminFixture(t);
  await refuses(api.addAccount({ address: 'bob@nowhere.example', password: 'long enough' }), 'not-found', /no domain nowhere.example. Add it first/);
  await api.addDomain({ name: 'example.com' });
  await refuses(api.addAccount({ address: 'bob@example.com', password: 'short' }), 'invalid', /at least 8 characters/);
  await refuses(api.addAccount({ address: 'bob', password: 'long enough' }), 'invalid', /no @/);
  await refuses(api.addAccount({ address: 'b%c@example.com', password: 'long enough' }), 'invalid', /"%"/);
  await api.addAccount({ address: 'bob@example.com', password: 'long enough' });
  await refuses(api.addAccount({ address: 'BOB@example.com', password: 'long enough' }), 'conflict', /already exists/);
  await api.addAlias({ address: 'sales@example.com', destinations: ['bob@example.com'] });
  await refuses(api.addAccount({ address: 'sales@example.com', password: 'long enough' }), 'conflict', /already an alias/);
  await refuses(api.removeAccount({ address: 'bob@example.com' }), 'conflict', /destination of sales@example.com/);
  await refuses(api.setPassword({ address: 'nobody@example.com', password: 'long enough' }), 'not-found', /no account/);
  await refuses(api.updateAccount({ address: 'bob@example.com', quota: 1.5 }), 'invalid', /quota|integer|int/i);
});

test('aliases: several destinations, external forwards, catch-all, loops and unknown targets refused', async (t) => {
  const { api } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  await api.addDomain({ name: 'example.org' });
  await api.addAccount({ address: 'alice@example.com', password: 'long enough' });
  await api.addAccount({ address: 'bob@example.org', password: 'long enough' });

  const team = await api.addAlias({ address: 'team@example.com', destinations: ['alice@example.com', 'Bob@Example.org', 'partner@remote.test'] });
  assert.deepEqual(team.destinations, ['alice@example.com', 'Bob@example.org', 'partner@remote.test']);
  const all = await api.addAlias({ address: '*@example.org', destinations: ['bob@example.org'] });
  assert.equal(all.catchAll, true);
  await api.addAlias({ address: 'info@example.com', destinations: ['team@example.com'] });

  await refuses(api.addAlias({ address: 'x@example.com', destinations: ['ghost@example.com'] }), 'invalid', /ghost@example.com is on a local domain but is neither an account nor an alias/);
  await refuses(api.addAlias({ address: 'self@example.com', destinations: ['self@example.com'] }), 'invalid', /loop: self@example.com → self@example.com/);
  await api.addAlias({ address: 'a@example.com', destinations: ['alice@example.com'] });
  await api.addAlias({ address: 'b@example.com', destinations: ['a@example.com'] });
  await refuses(api.updateAlias({ address: 'a@example.com', destinations: ['b@example.com'] }), 'invalid', /loop: a@example.com → b@example.com → a@example.com/);
  await refuses(api.addAlias({ address: 'alice@example.com', destinations: ['bob@example.org'] }), 'conflict', /is an account/);
  await refuses(api.addAlias({ address: 'team@example.com', destinations: ['bob@example.org'] }), 'conflict', /already exists/);
  await refuses(api.addAlias({ address: 'y@example.com', destinations: [] }), 'invalid', /at least one destination/);
  await refuses(api.addAlias({ address: 'y@nowhere.example', destinations: ['alice@example.com'] }), 'not-found', /no domain/);
  await refuses(api.addAlias({ address: 'y@example.com', destinations: ['not an address'] }), 'invalid', /no @/);
  await refuses(api.removeAlias({ address: 'team@example.com' }), 'conflict', /destination of info@example.com/);

  await api.removeAlias({ address: 'info@example.com' });
  await api.removeAlias({ address: 'team@example.com' });
  await refuses(api.removeAlias({ address: 'team@example.com' }), 'not-found', /no alias/);
  assert.deepEqual((await api.listAliases({ domain: 'example.org' })).map((a) => a.address), ['*@example.org']);
});

test('transports: Postfix route syntax, bad routes refused', async (t) => {
  const { api } = await adminFixture(t);
  assert.deepEqual(await api.setTransport({ domain: 'Partner.test', route: 'smtp:[192.0.2.10]:2525' }), { domain: 'partner.test', route: 'smtp:[192.0.2.10]:2525' });
  assert.deepEqual(await api.setTransport({ domain: 'partner.test', route: 'smtp:relay.partner.test' }), { domain: 'partner.test', route: 'smtp:relay.partner.test:25' });
  await api.setTransport({ domain: 'blocked.test', route: 'reject' });
  assert.deepEqual((await api.listTransports()).map((x) => x.route), ['reject', 'smtp:relay.partner.test:25']);
  await refuses(api.setTransport({ domain: 'x.test', route: 'smtp:[host]:99999' }), 'invalid', /out of range/);
  await refuses(api.setTransport({ domain: 'x.test', route: 'ftp://x' }), 'invalid', /is not a route/);
  await api.removeTransport({ domain: 'blocked.test' });
  await refuses(api.removeTransport({ domain: 'blocked.test' }), 'not-found', /no transport entry/);
});

test('networks: canonical CIDR, permissions, expiry, refusals', async (t) => {
  const { api, clock } = await adminFixture(t);
  const n = await api.addNetwork({ cidr: '192.168.1.50/24', description: 'office', relay: true, expiresAt: clock.now() + 1000 });
  assert.equal(n.cidr, '192.168.1.0/24');
  assert.equal(n.relay, true);
  assert.equal(n.expired, false);
  clock.advance(2000);
  assert.equal((await api.listNetworks())[0].expired, true);
  await refuses(api.addNetwork({ cidr: '192.168.1.0/24' }), 'conflict', /already listed/);
  await refuses(api.addNetwork({ cidr: '300.1.1.1/8' }), 'invalid', /not an IPv4 or IPv6/);
  assert.equal((await api.updateNetwork({ cidr: '192.168.1.0/24', allowPop3: false })).allowPop3, false);
  await api.addNetwork({ cidr: '2001:db8::/48' });
  await api.removeNetwork({ cidr: '192.168.1.7/24' });
  assert.deepEqual((await api.listNetworks()).map((x) => x.cidr), ['2001:db8::/48']);
  await refuses(api.removeNetwork({ cidr: '10.0.0.0/8' }), 'not-found', /not listed/);
});

test('settings: defaults, validated partial updates', async (t) => {
  const { api } = await adminFixture(t);
  const s = await api.getSettings();
  assert.equal(s.ports.smtp, 25);
  assert.equal(s.overQuotaReply, '452');
  const updated = await api.updateSettings({ hostname: 'Mail.Example.com', overQuotaReply: '552' });
  assert.equal(updated.hostname, 'mail.example.com');
  assert.equal(updated.overQuotaReply, '552');
  assert.equal((await api.getSettings()).overQuotaReply, '552');
  await refuses(api.updateSettings({ overQuotaReply: '500' as never }), 'invalid', /.+/);
  await refuses(api.updateSettings({ relayHost: { host: '' } }), 'invalid', /relay host/);
});

test('every change is logged and queryable; queue actions refuse unknown ids', async (t) => {
  const { api, flushLog } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  await flushLog();
  const rows = await api.queryLog({ event: 'admin.domain.add' });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].fields.domain, 'example.com');
  assert.deepEqual(await api.listQueue(), []);
  await refuses(api.retryQueue({ queueId: 'NOPE' }), 'not-found', /Nothing is queued/);
  await refuses(api.deleteQueued({ queueId: 'NOPE' }), 'not-found', /Nothing is queued/);
});

test('settings: a patch changes only what it names, nested objects included', async (t) => {
  const { api } = await adminFixture(t);
  await api.updateSettings({ allowPlaintextAuthFromTrusted: true, limits: { maxRecipients: 7 } });
  const after = await api.updateSettings({ limits: { hardErrorLimit: 4 } });
  assert.equal(after.allowPlaintextAuthFromTrusted, true, 'an unnamed key keeps its stored value');
  assert.equal(after.limits.maxRecipients, 7, 'an unnamed nested field keeps its stored value');
  assert.equal(after.limits.hardErrorLimit, 4);
  await refuses(api.updateSettings({ limits: { maxRecipients: 0 } }), 'invalid', /.+/);
  await refuses(api.updateSettings({ noSuchSetting: 1 } as never), 'invalid', /Only known settings/);
  assert.equal((await api.getSettings()).limits.maxRecipients, 7, 'a refused patch changes nothing');
});
