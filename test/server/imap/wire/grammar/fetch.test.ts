import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sectionSpec, type BodySection, type FetchAttribute } from '../../../../../server/imap/wire/index.js';
import { args, parse, parseError } from '../helpers.js';

const section = (part: number[], text: BodySection['text'] = null, fields: string[] = []): BodySection => ({ part, text, fields });
const body = (s: BodySection, peek = false, partial: { start: number; count: number } | null = null): FetchAttribute => ({
  item: 'BODY[section]',
  peek,
  section: s,
  partial,
});

describe('FETCH', () => {
  it('expands the macros', () => {
    assert.deepEqual(args('FETCH', 'a FETCH 1 ALL').items.map((i) => i.item), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']);
    assert.deepEqual(args('FETCH', 'a FETCH 1 fast').items.map((i) => i.item), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE']);
    assert.deepEqual(args('FETCH', 'a FETCH 1 FULL').items.map((i) => i.item), [
      'FLAGS',
      'INTERNALDATE',
      'RFC822.SIZE',
      'ENVELOPE',
      'BODY',
    ]);
  });

  it('reads every simple attribute, alone or in a list', () => {
    const names = ['ENVELOPE', 'FLAGS', 'INTERNALDATE', 'RFC822', 'RFC822.HEADER', 'RFC822.SIZE', 'RFC822.TEXT', 'BODY', 'BODYSTRUCTURE', 'UID', 'MODSEQ'];
    assert.deepEqual(args('FETCH', `a FETCH 1:* (${names.join(' ').toLowerCase()})`).items, names.map((item) => ({ item })));
    assert.deepEqual(args('FETCH', 'a FETCH 2 bodystructure').items, [{ item: 'BODYSTRUCTURE' }]);
  });

  it('reads body sections and partials', () => {
    const a = args(
      'FETCH',
      'A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)] BODY.PEEK[] body[1.2.MIME] BODY[3.TEXT]<0.2048> BODY.PEEK[4.1]<10.1>)',
    );
    assert.deepEqual(a.set, [{ from: 2, to: 4 }]);
    assert.deepEqual(a.items, [
      { item: 'FLAGS' },
      body(section([], 'HEADER.FIELDS', ['DATE', 'FROM'])),
      body(section([]), true),
      body(section([1, 2], 'MIME')),
      body(section([3], 'TEXT'), false, { start: 0, count: 2048 }),
      body(section([4, 1]), true, { start: 10, count: 1 }),
    ]);
    assert.deepEqual(args('FETCH', 'a FETCH 1 BODY.PEEK[1.HEADER.FIELDS.NOT ("Received" x-spam)]').items, [
      body(section([1], 'HEADER.FIELDS.NOT', ['Received', 'x-spam']), true),
    ]);
  });

  it('reads CHANGEDSINCE and VANISHED (RFC 7162 examples)', () => {
    const a = parse('s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)');
    assert.deepEqual(a.args, { set: [{ from: 1, to: '*' }], items: [{ item: 'FLAGS' }], changedSince: 12345, vanished: false, partial: null });
    const b = args('FETCH', 's100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)');
    assert.equal(b.changedSince, 12345);
    assert.equal(b.vanished, true);
    assert.equal(args('FETCH', 'a FETCH 1:* (UID FLAGS) (CHANGEDSINCE 9223372036854775807)').changedSince, Number.MAX_SAFE_INTEGER);
  });

  const errors: Array<[string, string]> = [
    ['a FETCH 1', 'Missing fetch attributes'],
    ['a FETCH 1 BODY[', 'Missing section'],
    ['a FETCH 1 FOO', 'Unknown fetch attribute FOO'],
    ['a FETCH 1 (ALL)', 'Unknown fetch attribute ALL'],
    ['a FETCH 1 ()', 'Empty fetch attributes'],
    ['a FETCH 1 (FLAGS UID', 'Missing fetch attributes'],
    ['a FETCH 1 RFC822[]', 'Unknown fetch attribute RFC822'],
    ['a FETCH 1 BODY[MIME]', 'Invalid section MIME'],
    ['a FETCH 1 BODY[0]', 'Invalid section part'],
    ['a FETCH 1 BODY[1.]', 'Invalid section'],
    ['a FETCH 1 BODY[HEADER.FIELDS]', 'Expected space before header list'],
    ['a FETCH 1 BODY[HEADER.FIELDS ()]', 'Empty header list'],
    ['a FETCH 1 BODY[TEXT', 'Missing ] after section'],
    ['a FETCH 1 BODY[]<0>', 'Expected . in partial range'],
    ['a FETCH 1 BODY[]<0.0>', 'Invalid partial length'],
    ['a FETCH 1 FLAGS (CHANGEDSINCE 0)', 'Invalid mod-sequence'],
    ['a FETCH 1 FLAGS (CHANGEDSINCE 9223372036854775808)', 'Invalid mod-sequence'],
    ['a FETCH 1 FLAGS (FOO)', 'Unknown fetch modifier FOO'],
    ['a FETCH 1 FLAGS (CHANGEDSINCE 5 VANISHED)', 'VANISHED is only allowed in UID FETCH'],
    ['a UID FETCH 1 FLAGS (VANISHED)', 'VANISHED requires CHANGEDSINCE'],
  ];
  for (const [line, reason] of errors) {
    it(`refuses ${JSON.stringify(line)}: ${reason}`, () => {
      const error = parseError(line);
      assert.equal(error.reason, reason);
      assert.equal(error.tag, 'a');
    });
  }
});

describe('sectionSpec', () => {
  it('rebuilds the section as the client wrote it, for the response', () => {
    assert.equal(sectionSpec(section([])), '');
    assert.equal(sectionSpec(section([1, 2])), '1.2');
    assert.equal(sectionSpec(section([], 'HEADER')), 'HEADER');
    assert.equal(sectionSpec(section([2], 'MIME')), '2.MIME');
    assert.equal(sectionSpec(section([], 'HEADER.FIELDS', ['Date', 'From'])), 'HEADER.FIELDS (Date From)');
    assert.equal(sectionSpec(section([1], 'HEADER.FIELDS.NOT', ['a"b', 'c d'])), '1.HEADER.FIELDS.NOT ("a\\"b" "c d")');
  });
});
