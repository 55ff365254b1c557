import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SearchKey } from '../../../../../server/imap/wire/index.js';
import { args, parse, parseError } from '../helpers.js';

const key = (text: string): SearchKey => args('SEARCH', `a SEARCH ${text}`).key;
const flag = (name: string, present = true): SearchKey => ({ type: 'flag', flag: name, present });

describe('SEARCH', () => {
  it('parses the RFC 3501 §6.4.4 examples', () => {
    assert.deepEqual(args('SEARCH', 'A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'), {
      charset: null,
      key: {
        type: 'and',
        keys: [
          flag('\\Flagged'),
          { type: 'date', field: 'internal', comparison: 'since', date: '1994-02-01' },
          { type: 'not', key: { type: 'header', field: 'from', value: 'Smith', address: true } },
        ],
      },
      returns: null,
      partial: null,
    });
    assert.deepEqual(key('TEXT "string not in mailbox"'), { type: 'text', value: 'string not in mailbox' });
  });

  it('decodes a UTF-8 literal under CHARSET UTF-8', () => {
    const text = Buffer.from('тест', 'utf8');
    const a = args('SEARCH', Buffer.concat([Buffer.from(`A284 SEARCH CHARSET utf-8 TEXT {${text.length}}\r\n`), text]));
    assert.deepEqual(a, { charset: 'UTF-8', key: { type: 'text', value: 'тест' }, returns: null, partial: null });
    assert.deepEqual(key('SUBJECT "тест"'), { type: 'header', field: 'subject', value: 'тест', address: false });
  });

  it('maps every flag key', () => {
    const cases: Array<[string, SearchKey]> = [
      ['ANSWERED', flag('\\Answered')],
      ['DELETED', flag('\\Deleted')],
      ['DRAFT', flag('\\Draft')],
      ['FLAGGED', flag('\\Flagged')],
      ['RECENT', flag('\\Recent')],
      ['SEEN', flag('\\Seen')],
      ['UNANSWERED', flag('\\Answered', false)],
      ['UNDELETED', flag('\\Deleted', false)],
      ['UNDRAFT', flag('\\Draft', false)],
      ['UNFLAGGED', flag('\\Flagged', false)],
      ['UNSEEN', flag('\\Seen', false)],
      ['OLD', flag('\\Recent', false)],
      ['NEW', { type: 'and', keys: [flag('\\Recent'), flag('\\Seen', false)] }],
      ['KEYWORD $Forwarded', flag('$Forwarded')],
      ['UNKEYWORD Junk', flag('Junk', false)],
      ['all', { type: 'all' }],
    ];
    for (const [text, expected] of cases) assert.deepEqual(key(text), expected, text);
  });

  it('maps header, body, date, size and set keys', () => {
    const cases: Array<[string, SearchKey]> = [
      ['BCC bob', { type: 'header', field: 'bcc', value: 'bob', address: true }],
      ['CC "a b"', { type: 'header', field: 'cc', value: 'a b', address: true }],
      ['FROM x', { type: 'header', field: 'from', value: 'x', address: true }],
      ['SUBJECT ""', { type: 'header', field: 'subject', value: '', address: false }],
      ['TO y', { type: 'header', field: 'to', value: 'y', address: true }],
      ['HEADER Message-ID "<a@b>"', { type: 'header', field: 'message-id', value: '<a@b>' }],
      ['BODY hello', { type: 'body', value: 'hello' }],
      ['BEFORE "1-Feb-1994"', { type: 'date', field: 'internal', comparison: 'before', date: '1994-02-01' }],
      ['ON 29-feb-2024', { type: 'date', field: 'internal', comparison: 'on', date: '2024-02-29' }],
      ['SENTBEFORE 01-Jan-2000', { type: 'date', field: 'sent', comparison: 'before', date: '2000-01-01' }],
      ['SENTON 31-Dec-1999', { type: 'date', field: 'sent', comparison: 'on', date: '1999-12-31' }],
      ['SENTSINCE 9-Sep-2009', { type: 'date', field: 'sent', comparison: 'since', date: '2009-09-09' }],
      ['LARGER 50000', { type: 'size', comparison: 'larger', size: 50000 }],
      ['SMALLER 0', { type: 'size', comparison: 'smaller', size: 0 }],
      ['UID 1:100,200:*', { type: 'uid', set: [{ from: 1, to: 100 }, { from: 200, to: '*' }] }],
      ['2:4,*', { type: 'seq', set: [{ from: 2, to: 4 }, { from: '*', to: '*' }] }],
      ['*:5', { type: 'seq', set: [{ from: '*', to: 5 }] }],
    ];
    for (const [text, expected] of cases) assert.deepEqual(key(text), expected, text);
  });

  it('nests OR, NOT and parenthesised lists', () => {
    assert.deepEqual(key('OR (SEEN FROM a) NOT (DELETED)'), {
      type: 'or',
      left: { type: 'and', keys: [flag('\\Seen'), { type: 'header', field: 'from', value: 'a', address: true }] },
      right: { type: 'not', key: flag('\\Deleted') },
    });
    assert.deepEqual(key('OR OR SEEN DRAFT 1:3'), {
      type: 'or',
      left: { type: 'or', left: flag('\\Seen'), right: flag('\\Draft') },
      right: { type: 'seq', set: [{ from: 1, to: 3 }] },
    });
  });

  it('parses MODSEQ (RFC 7162 examples) and lets UID SEARCH through', () => {
    assert.deepEqual(key('MODSEQ "/flags/\\\\draft" all 620162338'), {
      type: 'modseq',
      modSeq: 620162338,
      entry: { flag: '\\Draft', kind: 'all' },
    });
    assert.deepEqual(key('OR NOT MODSEQ 720162338 LARGER 50000'), {
      type: 'or',
      left: { type: 'not', key: { type: 'modseq', modSeq: 720162338, entry: null } },
      right: { type: 'size', comparison: 'larger', size: 50000 },
    });
    assert.deepEqual(key('MODSEQ 0'), { type: 'modseq', modSeq: 0, entry: null });
    const uid = parse('a UID SEARCH CHARSET US-ASCII UID 5:*');
    assert.equal(uid.uid, true);
    assert.deepEqual(uid.args, { charset: 'US-ASCII', key: { type: 'uid', set: [{ from: 5, to: '*' }] }, returns: null, partial: null });
  });

  it('answers an unknown charset with NO [BADCHARSET]', () => {
    const error = parseError('a SEARCH CHARSET KOI8-R TEXT x');
    assert.equal(error.status, 'NO');
    assert.equal(error.reason, 'Unsupported charset KOI8-R');
    assert.deepEqual(error.code, { code: 'BADCHARSET', charsets: ['US-ASCII', 'UTF-8'] });
    assert.equal(error.tag, 'a');
  });

  const errors: Array<[string, string]> = [
    ['a SEARCH', 'Missing search key'],
    ['a SEARCH FOO', 'Unknown search key FOO'],
    ['a SEARCH FROM', 'Missing FROM string'],
    ['a SEARCH SINCE 1-Foo-1994', 'Invalid SINCE date'],
    ['a SEARCH ON 30-Feb-2024', 'Invalid ON date'],
    ['a SEARCH BEFORE 1994-02-01', 'Invalid BEFORE date'],
    ['a SEARCH LARGER big', 'Invalid LARGER size'],
    ['a SEARCH OR SEEN', 'Missing search key'],
    ['a SEARCH ()', 'Empty search keys'],
    ['a SEARCH (SEEN', 'Missing search keys'],
    ['a SEARCH KEYWORD \\Seen', 'Invalid KEYWORD flag'],
    ['a SEARCH MODSEQ "/other/x" all 5', 'Invalid entry name'],
    ['a SEARCH MODSEQ "/flags/\\\\seen" mine 5', 'Invalid entry type'],
    ['a SEARCH CHARSET', 'Missing charset'],
    ['a SEARCH SEEN  DRAFT', 'Invalid search key'],
    [`a SEARCH ${'NOT '.repeat(100)}SEEN`, 'Search keys nested too deeply'],
  ];
  for (const [line, reason] of errors) {
    it(`refuses ${JSON.stringify(line.slice(0, 60))}: ${reason}`, () => {
      const error = parseError(line);
      assert.equal(error.reason, reason);
      assert.equal(error.status, 'BAD');
    });
  }

  it('parses RETURN options (RFC 4731 §3.1, RFC 5182 §2.2); RETURN () means ALL', () => {
    const a = args('SEARCH', 'A282 SEARCH RETURN (MIN COUNT) CHARSET UTF-8 FLAGGED');
    assert.deepEqual([...a.returns!], ['MIN', 'COUNT']);
    assert.equal(a.charset, 'UTF-8');
    assert.deepEqual([...args('SEARCH', 'A283 SEARCH RETURN () RECENT').returns!], ['ALL']);
    assert.deepEqual([...args('SEARCH', 'A284 SEARCH RETURN (SAVE) $').returns!], ['SAVE']);
    assert.deepEqual(args('SEARCH', 'A285 SEARCH RECENT').key, flag('\\Recent'));
    assert.deepEqual(key('$'), { type: 'seq', set: '$' });
    assert.equal(parseError('A286 SEARCH RETURN (BOGUS) ALL').status, 'BAD');
    assert.equal(parseError('A287 SEARCH RETURN MIN ALL').status, 'BAD');
  });
});
