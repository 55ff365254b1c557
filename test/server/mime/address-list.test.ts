import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddressList, type EnvelopeAddress } from '../../../server/mime/address-list.js';

const a = (name: string | null, route: string | null, mailbox: string | null, domain: string | null): EnvelopeAddress => ({
  name,
  route,
  mailbox,
  domain,
});

test('addr-spec, name-addr and quoted display names', () => {
  assert.deepEqual(parseAddressList('user@example.org'), [a(null, null, 'user', 'example.org')]);
  assert.deepEqual(parseAddressList('Real Name <user@example.org>'), [a('Real Name', null, 'user', 'example.org')]);
  assert.deepEqual(parseAddressList('"Doe, \\"J\\"" <j@d.o>, <k@d.o>'), [a('Doe, "J"', null, 'j', 'd.o'), a(null, null, 'k', 'd.o')]);
  assert.deepEqual(parseAddressList('"quoted local"@x.y'), [a(null, null, 'quoted local', 'x.y')]);
});

test('a trailing comment names an addr-spec; comments elsewhere are ignored', () => {
  assert.deepEqual(parseAddressList('user@domain (Real Name)'), [a('Real Name', null, 'user', 'domain')]);
  assert.deepEqual(parseAddressList('<user-from (comment)@ (comment) domain.org>'), [a(null, null, 'user-from', 'domain.org')]);
  assert.deepEqual(parseAddressList('Name (c) <u@d> (trailing)'), [a('Name', null, 'u', 'd')]);
});

test('groups become start and end markers', () => {
  assert.deepEqual(parseAddressList('group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;'), [
    a(null, null, 'group', null),
    a(null, null, 'g1', 'd1.org'),
    a(null, null, 'g2', 'd2.org'),
    a(null, null, null, null),
    a(null, null, 'group2', null),
    a(null, null, 'g3', 'd3.org'),
    a(null, null, null, null),
  ]);
  assert.deepEqual(parseAddressList('undisclosed-recipients:;'), [a(null, null, 'undisclosed-recipients', null), a(null, null, null, null)]);
  assert.deepEqual(parseAddressList('group2: (foo) ;'), [a(null, null, 'group2', null), a(null, null, null, null)]);
});

test('source routes (obsolete) are kept, broken ones flagged', () => {
  assert.deepEqual(parseAddressList('<@route:user@domain>'), [a(null, '@route', 'user', 'domain')]);
  assert.deepEqual(parseAddressList('X <@a.org,@b.org:u@d>'), [a('X', '@a.org,@b.org', 'u', 'd')]);
  assert.deepEqual(parseAddressList('<@route user@domain>'), [a(null, 'INVALID_ROUTE', 'user', 'domain')]);
});

test('unparseable pieces get placeholders instead of failing', () => {
  assert.deepEqual(parseAddressList('user'), [a(null, null, 'user', 'MISSING_DOMAIN')]);
  assert.deepEqual(parseAddressList('Real Name'), [a('Real Name', null, 'MISSING_MAILBOX', 'MISSING_DOMAIN')]);
  assert.deepEqual(parseAddressList('Name <user@domain'), [a('Name', null, 'user', 'SYNTAX_ERROR')]);
  assert.deepEqual(parseAddressList('Undisclosed <>'), [a('Undisclosed', null, 'MISSING_MAILBOX', 'MISSING_DOMAIN')]);
  assert.deepEqual(parseAddressList('a@b, , c@d'), [
    a(null, null, 'a', 'b'),
    a(null, null, 'MISSING_MAILBOX', 'MISSING_DOMAIN'),
    a(null, null, 'c', 'd'),
  ]);
});

test('a trailing comma or empty value adds nothing', () => {
  assert.deepEqual(parseAddressList('a@b,\r\n'), [a(null, null, 'a', 'b')]);
  assert.deepEqual(parseAddressList(''), []);
  assert.deepEqual(parseAddressList('   (just a comment) '), []);
});

test('folded values and domain literals', () => {
  assert.deepEqual(parseAddressList('Long\r\n Name <u@\r\n\t[127.0.0.1]>'), [a('Long Name', null, 'u', '[127.0.0.1]')]);
});

test('raw 8-bit bytes and encoded words pass through as bytes', () => {
  assert.deepEqual(parseAddressList('J\xf6rg <j@x.de>'), [a('J\xf6rg', null, 'j', 'x.de')]);
  assert.deepEqual(parseAddressList('=?utf-8?Q?H=C3=B6rst=2C_Kenny?= <k@x>'), [a('=?utf-8?Q?H=C3=B6rst=2C_Kenny?=', null, 'k', 'x')]);
});

test('thousands of addresses parse in one linear pass', () => {
  const value = Array.from({ length: 3000 }, (_, i) => `=?utf-8?q?n=C3=A4me_${i}?= <u${i}@example.org>`).join(',\r\n ');
  const list = parseAddressList(value);
  assert.equal(list.length, 3000);
  assert.deepEqual(list[2999], a('=?utf-8?q?n=C3=A4me_2999?=', null, 'u2999', 'example.org'));
});
