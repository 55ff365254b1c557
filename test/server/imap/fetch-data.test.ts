import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planFetch, withoutExtensions } from '../../../server/imap/fetch-data.js';
import { toFlagSet, flagNames } from '../../../server/imap/flags.js';
import { ImapBad } from '../../../server/imap/errors.js';
import type { FetchAttribute } from '../../../server/imap/wire/index.js';

test('withoutExtensions turns BODYSTRUCTURE into BODY at every level', () => {
  const text = ['text', 'plain', ['charset', 'us-ascii'], null, null, '7bit', 5, 1, null, null, null, null];
  const basic = ['image', 'png', null, null, null, 'base64', 100, null, ['inline', null], null, null];
  const inner = ['text', 'plain', ['charset', 'us-ascii'], null, null, '7bit', 2, 0, 'md5', null, ['en'], null];
  const envelope = [null, null, null, null, null, null, null, null, null, null];
  const message = ['message', 'rfc822', null, null, null, '7bit', 40, envelope, inner, 3, null, null, null, null];
  const structure = [text, basic, message, 'mixed', ['boundary', 'x'], null, null, null];
  assert.deepEqual(withoutExtensions(structure), [
    text.slice(0, 8),
    basic.slice(0, 7),
    ['message', 'rfc822', null, null, null, '7bit', 40, envelope, inner.slice(0, 8), 3],
    'mixed',
  ]);
});

test('planFetch reads only the cached columns its items need and orders items without duplicates', () => {
  const attrs = (...items: FetchAttribute[]) => items;
  const envelope = planFetch(attrs({ item: 'FLAGS' }, { item: 'ENVELOPE' }, { item: 'FLAGS' }), true);
  assert.deepEqual(envelope.columns, ['envelopeWire'], 'ENVELOPE reads its cached wire form, not the JSON');
  assert.equal(envelope.items.length, 3, 'UID, FLAGS, ENVELOPE');
  assert.ok(envelope.hasFlags && !envelope.setsSeen && !envelope.readsWhole);
  const whole = planFetch(attrs({ item: 'BODY[section]', peek: false, section: { part: [], text: null, fields: [] }, partial: null }), false);
  assert.deepEqual([whole.columns, whole.needsRow, whole.setsSeen], [[], true, true]);
  const sections = planFetch(
    attrs(
      { item: 'BODY[section]', peek: true, section: { part: [1], text: 'MIME', fields: [] }, partial: null },
      { item: 'RFC822.HEADER' },
    ),
    false,
  );
  assert.deepEqual([sections.columns, sections.setsSeen, sections.readsWhole], [['parts'], false, true]);
});

test('flags: wire names to bits and keywords and back; \\Recent is ignored, unknown system flags refused', () => {
  assert.deepEqual(toFlagSet(['\\Seen', '\\Recent', '$Label', '\\Draft']), { flags: 1 | 16, keywords: ['$Label'] });
  assert.throws(() => toFlagSet(['\\Bogus']), ImapBad);
  assert.deepEqual(flagNames(1 | 4 | 8, ['x'], true), ['\\Flagged', '\\Deleted', '\\Seen', '\\Recent', 'x']);
});
