// envelope (RFC 5228 §5.4) and subaddress (RFC 5233): the RFC examples and null-sender rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actions, errors, passes } from './helpers.js';

test('envelope from/to with address parts; the null sender is ""', async () => {
  const env = { envelope: { from: 'Tim@Example.COM', to: 'bob@example.com', auth: 'tim@example.com' } };
  assert.equal(await passes('"envelope"', 'envelope :is "from" "tim@example.com"', undefined, env), true);
  assert.equal(await passes('"envelope"', 'envelope :domain :is "to" "example.com"', undefined, env), true);
  assert.equal(await passes('"envelope"', 'envelope :is "auth" "tim@example.com"', undefined, env), true);
  const nullSender = { envelope: { from: '', to: 'bob@example.com' } };
  assert.equal(await passes('"envelope"', 'envelope :is "from" ""', undefined, nullSender), true);
  assert.equal(await passes('"envelope"', 'envelope :localpart :is "from" ""', undefined, nullSender), true);
});

test('unknown envelope parts are refused when constant', () => {
  assert.deepEqual(errors('require "envelope"; if envelope :is ["from", "frop"] "x" { }'), ['line 1, column 46: "frop" is not an envelope part (from, to, auth).']);
});

test('RFC 5233 example: :user and :detail on the envelope recipient', async () => {
  const script = `require ["envelope", "subaddress", "fileinto"];
if envelope :user "to" "postmaster" {
    fileinto "inbox.postmaster";
    stop;
}
if envelope :detail "to" "mta-filters" {
    fileinto "inbox.ietf-mta-filters";
}
if address :user "to" "ken" {
    fileinto "inbox.ken";
}`;
  const to = (address: string) => ({ envelope: { from: 'x@y.example', to: address } });
  assert.deepEqual(await actions(script, undefined, to('postmaster+abc@example.com')), ['fileinto inbox.postmaster']);
  assert.deepEqual(await actions(script, undefined, to('ken+mta-filters@example.com')), ['fileinto inbox.ietf-mta-filters']);
  assert.deepEqual(await actions(script, 'To: ken+x@example.com\n\nhi\n', to('ken@example.com')), ['fileinto inbox.ken']);
});

test('RFC 5233 §4: :detail of an address without separator matches nothing, not even "*"', async () => {
  const env = (to: string) => ({ envelope: { from: 'x@y.example', to } });
  assert.equal(await passes('"envelope", "subaddress"', 'envelope :detail :matches "to" "*"', undefined, env('ken@example.com')), false);
  assert.equal(await passes('"envelope", "subaddress"', 'envelope :detail :is "to" ""', undefined, env('ken+@example.com')), true);
  assert.equal(await passes('"envelope", "subaddress"', 'envelope :user :is "to" "ken"', undefined, env('ken@example.com')), true);
  assert.equal(await passes('"envelope", "subaddress"', 'envelope :detail :is "to" "a+b"', undefined, { ...env('ken+a+b@example.com') }), true);
  assert.equal(await passes('"envelope", "subaddress"', 'envelope :user :is "to" "ken"', undefined, { ...env('ken-x@example.com'), subaddressSeparator: '-' }), true);
});
