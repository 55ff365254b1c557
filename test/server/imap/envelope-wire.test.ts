// The ENVELOPE cached in wire form at delivery (migrations/0003) must be exactly what the encoder
// writes for the JSON value cached beside it, for every message of the public corpus: FETCH sends the
// cached form as is, so any difference would be a different answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMessage } from '../../../server/delivery/describe.js';
import { encodeImapValue, encodeResponse, type ImapValue } from '../../../server/imap/wire/index.js';
import { corpus, corpusFiles } from '../mime/helpers.js';

test('the pre-encoded ENVELOPE equals the encoder output for every corpus message', () => {
  const files = corpusFiles();
  assert.equal(files.length, 247, 'the whole corpus is found');
  let literals = 0;
  for (const name of files) {
    const d = describeMessage(corpus(name)).forCopy(0);
    const value = JSON.parse(d.envelope) as ImapValue;
    assert.equal(d.envelopeWire, encodeImapValue(value), name);
    const fromValue = encodeResponse({ kind: 'fetch', seq: 7, items: [{ item: 'UID', value: 9 }, { item: 'ENVELOPE', value }] });
    const fromWire = encodeResponse({ kind: 'fetch', seq: 7, items: [{ item: 'UID', value: 9 }, { item: 'ENVELOPE', encoded: d.envelopeWire }] });
    assert.ok(fromWire.equals(fromValue), name);
    if (/\{\d+\}\r\n/.test(d.envelopeWire)) literals++;
  }
  assert.ok(literals > 0, 'some envelopes need literals (8-bit or long strings), so that choice is covered');
});

test('the pre-encoded ENVELOPE does not depend on the per-recipient prefix', () => {
  const [name] = corpusFiles();
  const described = describeMessage(corpus(name));
  assert.equal(described.forCopy(0).envelopeWire, described.forCopy(64).envelopeWire);
});
