// `mailroom config list|get|set|unset` (issue 11 §4), in-process over an admin service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminFixture } from '../../../helpers/admin.js';
import { runCliOn } from '../../../helpers/cli.js';

test('config set, get, unset and list', async (t) => {
  const { api } = await adminFixture(t);
  const cli = (...args: string[]) => runCliOn(api, ['config', ...args]);

  assert.deepEqual((await cli('set', 'ports.smtp', '2525')).lines, ['ports.smtp = 2525 (takes effect at the next start)']);
  assert.deepEqual((await cli('get', 'ports.smtp')).lines, ['2525']);
  assert.equal((await api.getSettings()).ports.imap, 143, 'the other ports stay');
  assert.deepEqual((await cli('set', 'dnsServers', '192.0.2.53, [2001:db8::53]:53')).lines, ['dnsServers = 192.0.2.53,[2001:db8::53]:53']);
  assert.deepEqual((await api.getSettings()).dnsServers, ['192.0.2.53', '[2001:db8::53]:53']);
  assert.equal((await cli('set', 'limits.maxMessageBytes', '50M')).code, 0);
  assert.equal((await api.getSettings()).limits.maxMessageBytes, 50 * 1024 ** 2);
  assert.equal((await cli('set', 'allowPlaintextAuthFromTrusted', 'yes')).code, 0);
  assert.equal((await cli('set', 'hostname', 'MX.Example.com')).code, 0);
  assert.deepEqual((await cli('get', 'hostname')).lines, ['mx.example.com']);

  assert.equal((await cli('set', 'relayHost', '{"host":"smtp.example.net","username":"u","password":"secret pw"}')).code, 0);
  assert.equal((await cli('set', 'relayHost.port', '2525')).code, 0);
  assert.deepEqual((await cli('get', 'relayHost', '--json')).lines.map((l) => JSON.parse(l)), [
    { host: 'smtp.example.net', port: 2525, tls: 'starttls', username: 'u', password: 'secret pw' },
  ]);

  const list = await cli('list');
  assert.ok(list.lines.includes('ports.smtp = 2525'));
  assert.ok(list.lines.includes('relayHost.password = (set)'), 'list does not print the relay password');
  assert.doesNotMatch(list.stdout, /secret pw/);
  assert.ok(list.lines.includes('listenHost = 0.0.0.0'));

  assert.deepEqual((await cli('unset', 'ports.smtp')).lines, ['ports.smtp = 25 (the default) (takes effect at the next start)']);
  assert.equal((await cli('unset', 'relayHost')).code, 0);
  assert.equal((await api.getSettings()).relayHost, null);
});

test('config set refuses what the schema refuses, naming the setting, and changes nothing', async (t) => {
  const { api } = await adminFixture(t);
  const before = await api.getSettings();
  const cases: Array<[string, string, RegExp]> = [
    ['listenHost', 'not an ip', /^mailroom: listenHost: "not an ip" is not an IP address/],
    ['dnsServers', '192.0.2.53,not-an-ip', /dnsServers: "not-an-ip" is not a DNS server address/],
    ['ports.smtp', '70000', /ports\.smtp: A port is 1 to 65535/],
    ['ports.imap', '25', /cannot share a port/],
    ['limits.maxRecipients', '0', /at least 1/],
    ['queue.minRetryMs', '999999999999', /at most/],
    ['hostname', 'bad host name', /hostname: .*not a domain name/],
    ['relayHost.port', '587', /relay host/],
  ];
  for (const [key, value, message] of cases) {
    const result = await runCliOn(api, ['config', 'set', key, value]);
    assert.equal(result.code, 1, `${key} ${value}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.deepEqual(await api.getSettings(), before);
});
