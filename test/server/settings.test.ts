// Settings validation (issue 11 §4): every value checked with bounds at write time, never clamped;
// stored values that fail fall back to their default field by field and are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySettingsPatch, checkStoredSettings, defaultSettings, type SettingsPatch } from '../../server/settings.js';

const refused = (patch: SettingsPatch, message: RegExp) =>
  assert.throws(() => applySettingsPatch(defaultSettings(), patch), (e: { issues?: Array<{ message: string }> }) => {
    assert.match(e.issues?.[0]?.message ?? String(e), message);
    return true;
  });

test('listen addresses and DNS servers must be IP literals', () => {
  refused({ listenHost: 'not an ip' }, /not an IP address/);
  refused({ adminHost: 'localhost' }, /not an IP address/);
  refused({ dnsServers: ['not-an-ip'] }, /not a DNS server address/);
  refused({ dnsServers: ['192.0.2.53:99999'] }, /not a DNS server address/);
  const ok = applySettingsPatch(defaultSettings(), { listenHost: '::', adminHost: '192.168.1.2', dnsServers: ['192.0.2.53', '192.0.2.54:5353', '[2001:db8::53]:53', '2001:db8::54'] });
  assert.deepEqual([ok.listenHost, ok.adminHost, ok.dnsServers.length], ['::', '192.168.1.2', 4]);
});

test('ports are 1 to 65535 and distinct; host names are host names', () => {
  refused({ ports: { smtp: 0 } }, /1 to 65535/);
  refused({ ports: { imap: 70000 } }, /1 to 65535/);
  refused({ ports: { imap: 25 } }, /cannot share a port/);
  refused({ hostname: 'mail server' }, /Not a host name/);
  refused({ relayHost: { host: 'smtp.example.net\r\nRCPT' } }, /host name or an IP address/);
  refused({ relayHost: { host: 'smtp.example.net', port: 0 } }, /1 to 65535/);
  assert.equal(applySettingsPatch(defaultSettings(), { relayHost: { host: '192.0.2.25' } }).relayHost?.port, 587);
});

test('ranges have upper bounds and consistent pairs, refused rather than clamped', () => {
  refused({ limits: { maxRecipients: 1_000_000 } }, /at most 100000/);
  refused({ limits: { errorDelayMs: 3_600_000 } }, /at most 60000/);
  refused({ limits: { softErrorLimit: 20, hardErrorLimit: 10 } }, /soft error limit cannot be above/);
  refused({ queue: { minRetryMs: 2 * 3600_000, maxRetryMs: 3600_000 } }, /shortest retry interval cannot be longer/);
  refused({ queue: { lifetimeMs: 365 * 24 * 3600_000 } }, /at most/);
  refused({ logRetentionDays: 0 }, /at least 1/);
  refused({ dnsServers: Array.from({ length: 9 }, (_, i) => `192.0.2.${i + 1}`) }, /at most 8/);
});

test('connection caps, session time, data rate and greeting pause are bounded on both sides', () => {
  refused({ limits: { maxSmtpConnections: 0 } }, /SMTP connections is at least 1/);
  refused({ limits: { maxImapConnections: 100_001 } }, /IMAP connections is at most 100000/);
  refused({ limits: { maxPop3Connections: 1.5 } }, /whole number/);
  refused({ limits: { maxSmtpSessionMs: 1000 } }, /session time limit \(ms\) is at least 60000/);
  refused({ limits: { maxSmtpSessionMs: 2 * 24 * 3600_000 } }, /at most 86400000/);
  refused({ limits: { minDataBytesPerSecond: -1 } }, /at least 0/);
  refused({ limits: { minDataBytesPerSecond: 2 * 1024 * 1024 } }, /at most 1048576/);
  refused({ greetPauseMs: 60_000 }, /greeting pause \(ms\) is at most 30000/);
  const ok = applySettingsPatch(defaultSettings(), { greetPauseMs: 6000, limits: { maxSmtpConnections: 10, minDataBytesPerSecond: 0 } });
  assert.deepEqual([ok.greetPauseMs, ok.limits.maxSmtpConnections, ok.limits.minDataBytesPerSecond, ok.limits.maxImapConnections], [6000, 10, 0, 1000]);
});

test('a stored value that fails falls back to its default, field by field, and is reported', () => {
  const { settings, problems } = checkStoredSettings({
    listenHost: 'not an ip',
    ports: { smtp: 2525, imap: 'x', pop3: 0 },
    hostname: 'mx.example.com',
    limits: { maxRecipients: 50 },
  });
  assert.equal(settings.listenHost, '0.0.0.0');
  assert.deepEqual([settings.ports.smtp, settings.ports.imap, settings.ports.pop3], [2525, 143, 110], 'the valid field is kept, the bad ones default');
  assert.equal(settings.hostname, 'mx.example.com');
  assert.equal(settings.limits.maxRecipients, 50);
  assert.deepEqual(
    problems.map((p) => [p.key, p.value]),
    [
      ['listenHost', 'not an ip'],
      ['ports.imap', 'x'],
      ['ports.pop3', 0],
    ],
  );
  assert.match(problems[0].message, /not an IP address/);
  assert.deepEqual(checkStoredSettings({}).problems, []);
});
