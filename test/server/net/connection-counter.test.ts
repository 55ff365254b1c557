import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionCounter, connectionSource } from '../../../server/net/connection-counter.js';

test('a source is an IPv4 address (mapped or not) or an IPv6 /64', () => {
  assert.equal(connectionSource('192.0.2.7'), '192.0.2.7');
  assert.equal(connectionSource('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(connectionSource('2001:db8:1:2:a:b:c:d'), '2001:db8:1:2::/64');
  assert.equal(connectionSource('2001:db8:1:2::99'), '2001:db8:1:2::/64');
  assert.equal(connectionSource('::1'), '::/64');
});

test('every address of one IPv6 /64 counts against the same limit', () => {
  const counter = new ConnectionCounter();
  assert.equal(counter.enter('2001:db8:1:2::1'), 1);
  assert.equal(counter.enter('2001:db8:1:2:ffff::7'), 2);
  assert.equal(counter.enter('2001:db8:1:3::1'), 1, 'the next /64 is another source');
  counter.leave('2001:db8:1:2::1');
  assert.equal(counter.enter('2001:db8:1:2::abcd'), 2);
  assert.equal(counter.enter('::ffff:192.0.2.7'), 1);
  assert.equal(counter.enter('192.0.2.7'), 2, 'IPv4-mapped counts as the IPv4 address');
});
