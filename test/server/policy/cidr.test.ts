import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCidr, cidrMatcher, CidrError } from '../../../server/policy/cidr.js';

test('canonicalises IPv4 and IPv6 ranges', () => {
  assert.equal(parseCidr('192.168.1.77/24').text, '192.168.1.0/24');
  assert.equal(parseCidr(' 10.0.0.1 ').text, '10.0.0.1/32');
  assert.equal(parseCidr('2001:DB8:0:0:1::5/32').text, '2001:db8::/32');
  assert.equal(parseCidr('::1').text, '::1/128');
  assert.equal(parseCidr('fe80::1:2:3:4/64').text, 'fe80::/64');
  assert.equal(parseCidr('::ffff:192.0.2.1/128').text, '::ffff:c000:201/128');
});

test('refuses malformed ranges with a reason', () => {
  assert.throws(() => parseCidr('192.168.1/24'), (e: Error) => e instanceof CidrError && /not an IPv4 or IPv6/.test(e.message));
  assert.throws(() => parseCidr('10.0.0.0/33'), /0 to 32/);
  assert.throws(() => parseCidr('10.0.0.0/-1'), /prefix/);
  assert.throws(() => parseCidr('10.0.0.0/8/9'), /more than one/);
  assert.throws(() => parseCidr('::/129'), /0 to 128/);
});

test('matches v4, v6 and IPv4-mapped client addresses', () => {
  const match = cidrMatcher([parseCidr('192.168.0.0/16'), parseCidr('2001:db8::/32'), parseCidr('127.0.0.1')]);
  assert.equal(match('192.168.44.3'), true);
  assert.equal(match('::ffff:192.168.44.3'), true);
  assert.equal(match('192.169.0.1'), false);
  assert.equal(match('2001:db8:1::9'), true);
  assert.equal(match('2001:db9::1'), false);
  assert.equal(match('127.0.0.9'), false);
  assert.equal(match('not-an-ip'), false);
});
