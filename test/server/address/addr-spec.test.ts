import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressError, displayDomain, normalizeDomain, parseAddress } from '../../../server/mime/addr-spec.js';

test('domains become lower-case A-labels and display as U-labels', () => {
  assert.equal(normalizeDomain('Example.COM'), 'example.com');
  assert.equal(normalizeDomain('Bücher.Example'), 'xn--bcher-kva.example');
  assert.equal(displayDomain('xn--bcher-kva.example'), 'bücher.example');
  assert.equal(normalizeDomain('office.lan'), 'office.lan');
});

test('bad domains are refused with a reason a person can act on', () => {
  const refuses = (input: string, reason: RegExp) => assert.throws(() => normalizeDomain(input), (e: Error) => e instanceof AddressError && reason.test(e.message));
  refuses('', /required/);
  refuses('example.com.', /ends with a dot/);
  refuses('exa mple.com', /spaces/);
  refuses('localhost', /two labels/);
  refuses('-bad.example', /not a valid domain/);
  refuses('a'.repeat(64) + '.example', /longer than 63/);
  refuses('192.168.1.1', /IP address/);
});

test('addresses keep the local part case and refuse relay syntax', () => {
  assert.deepEqual(parseAddress('Alice.Smith@Example.com'), { local: 'Alice.Smith', domain: 'example.com' });
  assert.deepEqual(parseAddress('jörg@bücher.example'), { local: 'jörg', domain: 'xn--bcher-kva.example' });
  assert.throws(() => parseAddress('alice'), /no @/);
  assert.throws(() => parseAddress('user%other.example@example.com'), /"%"/);
  assert.throws(() => parseAddress('other.example!user@example.com'), /"!"/);
  assert.throws(() => parseAddress('"user@other"@example.com'), /more than one @|not allowed/);
  assert.throws(() => parseAddress('.alice@example.com'), /dot/);
  assert.throws(() => parseAddress('al..ice@example.com'), /dot/);
  assert.throws(() => parseAddress('a b@example.com'), /a space/);
  assert.throws(() => parseAddress(`${'x'.repeat(65)}@example.com`), /64 bytes/);
});
