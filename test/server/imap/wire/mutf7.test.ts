import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMutf7, encodeMutf7, normalizeMailboxName } from '../../../../server/imap/wire/index.js';

describe('modified UTF-7', () => {
  const pairs: Array<[string, string]> = [
    ['~peter/mail/台北/日本語', '~peter/mail/&U,BTFw-/&ZeVnLIqe-'],
    ['INBOX', 'INBOX'],
    ['Tom & Jerry', 'Tom &- Jerry'],
    ['Entwürfe', 'Entw&APw-rfe'],
    ['Входящие', '&BBIERQQ+BDQETwRJBDgENQ-'],
    ['ü/ÿ', '&APw-/&AP8-'],
    ['中文ÿ', '&Ti1lhwD,-'],
    ['😀', '&2D3eAA-'],
    ['a\u0000b', 'a&AAA-b'],
    ['', ''],
  ];

  it('encodes and decodes the RFC 3501 §5.1.3 example and others', () => {
    for (const [unicode, wire] of pairs) {
      assert.equal(encodeMutf7(unicode), wire);
      assert.equal(decodeMutf7(wire), unicode);
    }
  });

  it('refuses anything but the canonical encoding', () => {
    const invalid = [
      '&U,BTFw', // unterminated
      '&U/BTFw-', // "/" instead of ","
      '&AGE-', // encodes printable "a"
      '&ZeVnLIqe-&U,BTFw-', // two adjacent shifts instead of one
      '&AOl-', // non-zero padding bits
      '&AA-', // half a UTF-16 unit
      '&2D0-', // lone high surrogate
      'caf\u00e9', // 8-bit
      'tab\there', // control character
      '&=-',
    ];
    for (const wire of invalid) assert.equal(decodeMutf7(wire), null, wire);
  });
});

describe('normalizeMailboxName', () => {
  it('spells INBOX and its children in upper case only', () => {
    assert.equal(normalizeMailboxName('inbox'), 'INBOX');
    assert.equal(normalizeMailboxName('InBoX/Work/inbox'), 'INBOX/Work/inbox');
    assert.equal(normalizeMailboxName('inboxes'), 'inboxes');
    assert.equal(normalizeMailboxName('Archive/inbox'), 'Archive/inbox');
    assert.equal(normalizeMailboxName('inbox.Work', '.'), 'INBOX.Work');
  });
});
