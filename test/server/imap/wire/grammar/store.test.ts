import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { args, parse, parseError } from '../helpers.js';

describe('STORE', () => {
  it('parses the three actions, .SILENT, list and bare flag forms', () => {
    assert.deepEqual(args('STORE', 'A003 STORE 2:4 +FLAGS (\\Deleted)'), {
      set: [{ from: 2, to: 4 }],
      action: 'add',
      silent: false,
      flags: ['\\Deleted'],
      unchangedSince: null,
    });
    const replace = args('STORE', 'a STORE 1 FLAGS.SILENT ()');
    assert.equal(replace.action, 'replace');
    assert.equal(replace.silent, true);
    assert.deepEqual(replace.flags, []);
    const remove = args('STORE', 'a STORE 1:* -flags \\SEEN $Junk \\flagged');
    assert.equal(remove.action, 'remove');
    assert.deepEqual(remove.flags, ['\\Seen', '$Junk', '\\Flagged']);
  });

  it('parses UNCHANGEDSINCE (RFC 7162 examples)', () => {
    const a = parse('a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)');
    assert.equal(a.uid, true);
    assert.deepEqual(a.args, {
      set: [
        { from: 6, to: 6 },
        { from: 4, to: 4 },
        { from: 8, to: 8 },
      ],
      action: 'add',
      silent: true,
      flags: ['\\Deleted'],
      unchangedSince: 12121230045,
    });
    assert.equal(args('STORE', 'a STORE 7,5,9 (UNCHANGEDSINCE 0) FLAGS (\\Seen)').unchangedSince, 0);
  });

  const errors: Array<[string, string]> = [
    ['a STORE 1 FLAGS', 'Missing flags'],
    ['a STORE 1 +FLAGS.LOUD (\\Seen)', 'Unknown store item +FLAGS.LOUD'],
    ['a STORE 1 LABELS (x)', 'Unknown store item LABELS'],
    ['a STORE 1 +FLAGS (\\Seen', 'Missing flag list'],
    ['a STORE 1 +FLAGS (\\*)', 'Invalid flag'],
    ['a STORE 1 (UNCHANGEDSINCE) +FLAGS x', 'Expected space before mod-sequence'],
    ['a STORE 1 (FOO 1) +FLAGS x', 'Unknown store modifier FOO'],
    ['a STORE 1 (UNCHANGEDSINCE x) +FLAGS y', 'Invalid mod-sequence'],
    ['a STORE 1 +FLAGS \\Seen  x', 'Invalid flag'],
  ];
  for (const [line, reason] of errors) {
    it(`refuses ${JSON.stringify(line)}: ${reason}`, () => assert.equal(parseError(line).reason, reason));
  }
});
