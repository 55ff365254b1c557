// Input checks of the admin contract (issue 11 §4): what may never be stored, whoever asks (GUI, CLI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminError, type AdminErrorCode } from '../../../server/admin/contract.js';
import { isPrivateRange } from '../../../server/policy/private-range.js';
import { adminFixture } from '../../helpers/admin.js';

async function refuses(promise: Promise<unknown>, code: AdminErrorCode, message: RegExp, field?: string) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof AdminError, `expected AdminError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    if (field !== undefined) assert.equal(e.field, field);
    return true;
  });
}

test('transport routes refuse CR/LF, spaces and bad hosts or ports', async (t) => {
  const { api } = await adminFixture(t);
  await refuses(api.setTransport({ domain: 'partner.test', route: 'smtp:evil\r\nhost:25' }), 'invalid', /not a route/, 'route');
  await refuses(api.setTransport({ domain: 'partner.test', route: 'smtp:[evil host]:25' }), 'invalid', /not a route/);
  await refuses(api.setTransport({ domain: 'partner.test', route: 'smtp: evil:25' }), 'invalid', /not a route/);
  await refuses(api.setTransport({ domain: 'partner.test', route: 'smtp:[192.0.2.1]:0' }), 'invalid', /Port 0 is out of range/);
  await refuses(api.setTransport({ domain: 'partner.test', route: 'smtp:under_score.test' }), 'invalid', /not a route/);
  assert.equal((await api.setTransport({ domain: 'partner.test', route: 'smtp:[192.0.2.1]:2525' })).route, 'smtp:[192.0.2.1]:2525');
  assert.equal((await api.setTransport({ domain: 'other.test', route: 'smtp:mx.other.test' })).route, 'smtp:mx.other.test:25');
  assert.equal((await api.setTransport({ domain: 'v6.test', route: 'smtp:[2001:db8::25]:25' })).route, 'smtp:[2001:db8::25]:25');
});

test('display names refuse control characters; passwords refuse NUL, CR and LF', async (t) => {
  const { api } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  await refuses(api.addAccount({ address: 'a@example.com', password: 'long enough', displayName: 'Alice\r\nBcc: x@y' }), 'invalid', /control characters/, 'displayName');
  await refuses(api.addAccount({ address: 'a@example.com', password: 'long enough', displayName: 'Alice\u001b[2J' }), 'invalid', /control characters/);
  await refuses(api.addAccount({ address: 'a@example.com', password: 'long\0enough' }), 'invalid', /NUL/, 'password');
  await api.addAccount({ address: 'a@example.com', password: 'long enough', displayName: 'Älice Ünicode' });
  await refuses(api.updateAccount({ address: 'a@example.com', displayName: 'tab\there' }), 'invalid', /control characters/);
  await refuses(api.setPassword({ address: 'a@example.com', password: 'new password\n' }), 'invalid', /CR or LF/);
});

test('*@domain is an alias (the catch-all), never an account', async (t) => {
  const { api } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  await refuses(api.addAccount({ address: '*@example.com', password: 'long enough' }), 'invalid', /catch-all/, 'address');
  assert.deepEqual(await api.listAccounts(), []);
});

test('relay for a range beyond the private ones needs an explicit confirmation', async (t) => {
  const { api } = await adminFixture(t);
  for (const cidr of ['0.0.0.0/0', '::/0', '8.8.8.0/24', '192.168.0.0/15', '2001:db8::/32']) {
    await refuses(api.addNetwork({ cidr, relay: true }), 'invalid', /open relay/, 'relay');
  }
  assert.deepEqual(await api.listNetworks(), [], 'nothing stored');
  for (const cidr of ['192.168.1.0/24', '10.0.0.0/8', '172.16.5.0/24', 'fd00:1::/64', '127.0.0.1']) assert.equal((await api.addNetwork({ cidr, relay: true })).relay, true);
  // Not relaying, a public range is just a trusted range; turning relay on later is checked too.
  await api.addNetwork({ cidr: '203.0.113.0/24' });
  await refuses(api.updateNetwork({ cidr: '203.0.113.0/24', relay: true }), 'invalid', /open relay/);
  assert.equal((await api.updateNetwork({ cidr: '203.0.113.0/24', relay: true, confirmOpenRelay: true })).relay, true);
  assert.equal((await api.addNetwork({ cidr: '0.0.0.0/0', relay: true, confirmOpenRelay: true })).relay, true);
});

test('private ranges: RFC 1918, loopback, link-local, CGNAT and IPv6 ULA, and nothing wider', () => {
  assert.deepEqual(
    ['10.1.0.0/16', '172.31.0.0/16', '192.168.0.1', '127.0.0.0/8', '169.254.1.0/24', '100.64.0.0/10', '::1', 'fc00::/7', 'fe80::/64'].map(isPrivateRange),
    Array(9).fill(true),
  );
  assert.deepEqual(['0.0.0.0/0', '10.0.0.0/7', '172.32.0.0/16', '100.0.0.0/8', '::/0', 'fe00::/7', '2001:db8::1'].map(isPrivateRange), Array(7).fill(false));
  assert.equal(isPrivateRange('not a range'), undefined);
});
