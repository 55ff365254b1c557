import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mailboxAccess } from '../../../server/policy/networks.js';
import type { Network } from '../../../server/store/networks.js';

const NOW = Date.UTC(2026, 0, 1);

function network(cidr: string, overrides: Partial<Network> = {}): Network {
  return {
    id: 1,
    cidr,
    description: '',
    allowSmtp: true,
    allowImap: true,
    allowPop3: true,
    relay: false,
    requireTlsForAuth: false,
    expiresAt: null,
    createdAt: 0,
    ...overrides,
  };
}

const decide = (remoteIp: string, networks: Network[], allowPlaintextFromTrusted = true, protocol: 'imap' | 'pop3' = 'pop3') =>
  mailboxAccess(protocol, { remoteIp, networks, now: NOW, allowPlaintextFromTrusted });

test('the host itself is trusted without a network row: exactly 127.0.0.1 and ::1', () => {
  assert.deepEqual(decide('127.0.0.1', []), { allowed: true, plaintextLogin: true, network: 'loopback' });
  assert.deepEqual(decide('::ffff:127.0.0.1', []), { allowed: true, plaintextLogin: true, network: 'loopback' });
  assert.deepEqual(decide('::1', []), { allowed: true, plaintextLogin: true, network: 'loopback' });
  assert.deepEqual(decide('127.0.0.9', []), { allowed: true, plaintextLogin: false, network: null });
  assert.deepEqual(decide('203.0.113.5', []), { allowed: true, plaintextLogin: false, network: null });
});

test('plaintext login needs the setting, whatever the network', () => {
  assert.equal(decide('127.0.0.1', [], false).plaintextLogin, false);
  assert.equal(decide('192.168.1.20', [network('192.168.1.0/24')], false).plaintextLogin, false);
  assert.equal(decide('192.168.1.20', [network('192.168.1.0/24')]).plaintextLogin, true);
});

test('a network that requires TLS for auth, or forbids POP3, does not allow plaintext login', () => {
  assert.equal(decide('192.168.1.20', [network('192.168.1.0/24', { requireTlsForAuth: true })]).plaintextLogin, false);
  assert.deepEqual(decide('192.168.1.20', [network('192.168.1.0/24', { allowPop3: false })]), {
    allowed: false,
    plaintextLogin: false,
    network: '192.168.1.0/24',
  });
  assert.equal(decide('127.0.0.1', [network('127.0.0.1/32', { allowPop3: false })]).allowed, false, 'a row for the host itself overrides the built-in loopback');
  assert.equal(decide('127.0.0.1', [network('127.0.0.0/8', { allowPop3: false })]).allowed, true, 'a wider row does not: the most specific range decides, as for SMTP');
  assert.equal(decide('127.0.0.5', [network('127.0.0.0/8', { allowPop3: false })]).allowed, false);
});

test('the most specific unexpired network governs', () => {
  const lan = network('10.0.0.0/8', { allowPop3: false });
  const office = network('10.1.2.0/24');
  assert.equal(decide('10.1.2.3', [lan, office]).allowed, true);
  assert.equal(decide('10.9.9.9', [lan, office]).allowed, false);
  const expired = network('10.1.2.0/24', { expiresAt: NOW - 1 });
  assert.deepEqual(decide('10.1.2.3', [lan, expired]), { allowed: false, plaintextLogin: false, network: '10.0.0.0/8' });
  assert.equal(decide('2001:db8::5', [network('2001:db8::/32')]).plaintextLogin, true);
  assert.equal(decide('::ffff:10.1.2.3', [office]).network, '10.1.2.0/24');
});

test('IMAP follows the same rule with allowImap', () => {
  const office = network('192.168.1.0/24', { allowImap: false });
  assert.deepEqual(decide('192.168.1.20', [office], true, 'imap'), { allowed: false, plaintextLogin: false, network: '192.168.1.0/24' });
  assert.deepEqual(decide('192.168.1.20', [office], true, 'pop3'), { allowed: true, plaintextLogin: true, network: '192.168.1.0/24' });
  assert.deepEqual(decide('::1', [], true, 'imap'), { allowed: true, plaintextLogin: true, network: 'loopback' });
});
