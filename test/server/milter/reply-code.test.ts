import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReplyCode, toSmtpReply } from '../../../server/milter/reply-code.js';

describe('milter SMFIR_REPLYCODE text', () => {
  const good: [string, string, ReturnType<typeof parseReplyCode>][] = [
    ['code, enhanced code and text', '554 5.7.1 Gtube pattern', { code: 554, enhanced: '5.7.1', lines: ['Gtube pattern'] }],
    ['no enhanced code', '451 Try again later', { code: 451, enhanced: null, lines: ['Try again later'] }],
    ['code only', '550 ', { code: 550, enhanced: null, lines: [''] }],
    [
      'multi-line, enhanced code repeated on each line',
      '550-5.7.1 Message rejected\r\n550-5.7.1 see https://example.org/why\r\n550 5.7.1 bye',
      { code: 550, enhanced: '5.7.1', lines: ['Message rejected', 'see https://example.org/why', 'bye'] },
    ],
    ['doubled percent signs (Sendmail format strings)', '550 5.7.1 100%% spam, lone % gone', { code: 550, enhanced: '5.7.1', lines: ['100% spam, lone  gone'] }],
  ];
  for (const [name, text, expected] of good) {
    it(`reads ${name}`, () => assert.deepEqual(parseReplyCode(text), expected));
  }

  const bad: [string, string][] = [
    ['a 2xx code', '250 2.0.0 ok'],
    ['an enhanced code of another class', '550 4.7.1 odd'],
    ['a missing space after the code', '550text'],
    ['a last line with a dash', '550-5.7.1 more follows'],
    ['a middle line without a dash', '550 5.7.1 one\r\n550 5.7.1 two'],
    ['lines with different codes', '550-5.7.1 one\r\n551 5.7.1 two'],
    ['a bare LF between lines', '550-one\n550 two'],
    ['a trailing CRLF', '550 5.7.1 text\r\n'],
    ['an empty text', ''],
  ];
  for (const [name, text] of bad) {
    it(`refuses ${name}`, () => assert.equal(parseReplyCode(text), null));
  }

  it('becomes an SmtpReply, defaulting the enhanced code to the x.7.1 of its class', () => {
    const reply = toSmtpReply({ code: 451, enhanced: null, lines: ['Try', 'later'] });
    assert.deepEqual([reply.code, reply.enhanced, reply.text, reply.permanent], [451, '4.7.1', 'Try later', false]);
  });
});
