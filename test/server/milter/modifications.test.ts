import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerValueForMilter, joinMessage, splitMessage } from '../../../server/milter/message-parts.js';
import { applyEnvelopeModifications, applyMessageModifications, type Modification } from '../../../server/milter/modifications.js';

const MESSAGE = [
  'Received: from a\r\n\tby b\r\n',
  'Subject: first\r\n',
  'X-Tag: one\r\n',
  'subject: second\r\n',
  'X-Tag: two\r\n',
  '\r\n',
  'Body line 1\r\nBody line 2\r\n',
].join('');

const apply = (mods: Modification[], message = MESSAGE) => applyMessageModifications(Buffer.from(message), mods).toString();
const headersOf = (message: string) => message.slice(0, message.indexOf('\r\n\r\n') + 2);

describe('milter message parts', () => {
  it('splits fields (folded lines kept together), separator and body, losslessly', () => {
    const parts = splitMessage(Buffer.from(MESSAGE));
    assert.deepEqual(parts.headers.map((h) => h.name), ['Received', 'Subject', 'X-Tag', 'subject', 'X-Tag']);
    assert.equal(parts.headers[0].raw.toString(), 'Received: from a\r\n\tby b\r\n');
    assert.equal(parts.body.toString(), 'Body line 1\r\nBody line 2\r\n');
    assert.equal(joinMessage(parts).toString(), MESSAGE);
  });

  it('ends the header section at a line that is not a field (no separator), as Postfix does', () => {
    const parts = splitMessage(Buffer.from('A: 1\nnot a header\nmore\n'));
    assert.deepEqual([parts.headers.length, parts.separator.length, parts.body.toString()], [1, 0, 'not a header\nmore\n']);
  });

  it('gives the milter the value after the colon, folded with LF, one leading space eaten unless asked for', () => {
    const [received] = splitMessage(Buffer.from(MESSAGE)).headers;
    assert.equal(headerValueForMilter(received, false), 'from a\n\tby b');
    assert.equal(headerValueForMilter(received, true), ' from a\n\tby b');
  });
});

describe('milter modifications on message bytes', () => {
  it('changes nothing without header or body modifications (same bytes back)', () => {
    const message = Buffer.from(MESSAGE);
    assert.equal(applyMessageModifications(message, [{ kind: 'change-from', sender: 'x@y', args: null }]), message);
  });

  it('appends added headers after the last field, CRLF-folding the milter’s LF breaks', () => {
    const out = apply([{ kind: 'add-header', name: 'X-Spam', value: ' Yes\n\tscore=9' }]);
    assert.equal(headersOf(out), headersOf(MESSAGE) + 'X-Spam: Yes\r\n\tscore=9\r\n');
    assert.ok(out.endsWith('\r\n\r\nBody line 1\r\nBody line 2\r\n'));
  });

  it('changes the n-th field of a name, case-insensitively, counting from 1 (0 read as 1)', () => {
    const second = apply([{ kind: 'change-header', index: 2, name: 'SUBJECT', value: ' changed' }]);
    assert.match(second, /Subject: first\r\nX-Tag: one\r\nSUBJECT: changed\r\nX-Tag: two/);
    const zero = apply([{ kind: 'change-header', index: 0, name: 'Subject', value: ' changed' }]);
    assert.match(zero, /\r\nSubject: changed\r\nX-Tag: one\r\nsubject: second/);
  });

  it('appends a changed header that does not exist (index past the last one)', () => {
    const out = apply([{ kind: 'change-header', index: 3, name: 'X-Tag', value: ' three' }]);
    assert.equal(headersOf(out), headersOf(MESSAGE) + 'X-Tag: three\r\n');
  });

  it('deletes the n-th field, and ignores a delete of a field that is not there', () => {
    const out = apply([
      { kind: 'delete-header', index: 1, name: 'x-tag' },
      { kind: 'delete-header', index: 5, name: 'X-Tag' },
    ]);
    assert.equal(headersOf(out), 'Received: from a\r\n\tby b\r\nSubject: first\r\nsubject: second\r\nX-Tag: two\r\n');
  });

  it('inserts at a position among all fields (0 = top, past the end = append)', () => {
    const out = apply([
      { kind: 'insert-header', index: 0, name: 'X-Top', value: ' 1' },
      { kind: 'insert-header', index: 2, name: 'X-Third', value: ' 3' },
      { kind: 'insert-header', index: 99, name: 'X-Last', value: ' 9' },
    ]);
    assert.deepEqual(splitMessage(Buffer.from(out)).headers.map((h) => h.name), ['X-Top', 'Received', 'X-Third', 'Subject', 'X-Tag', 'subject', 'X-Tag', 'X-Last']);
  });

  it('applies in order, each modification seeing the ones before', () => {
    const out = apply([
      { kind: 'insert-header', index: 0, name: 'X-Tag', value: ' zero' },
      { kind: 'change-header', index: 1, name: 'X-Tag', value: ' replaced' },
    ]);
    assert.match(out, /^X-Tag: replaced\r\nReceived:/);
    assert.match(out, /X-Tag: one\r\n/);
  });

  it('replaces the body, turning bare LFs into CRLF, and keeps the headers', () => {
    const out = apply([{ kind: 'replace-body', body: Buffer.from('new\nbody\r\n') }]);
    assert.equal(out, headersOf(MESSAGE) + '\r\nnew\r\nbody\r\n');
  });

  it('adds the blank line when a header-only message gets a body', () => {
    assert.equal(apply([{ kind: 'replace-body', body: Buffer.from('b\r\n') }], 'A: 1\r\n'), 'A: 1\r\n\r\nb\r\n');
  });
});

describe('milter modifications on the envelope', () => {
  const envelope = { sender: 'a@example.org', senderArgs: null, recipients: [{ address: 'b@example.com', args: null }, { address: 'C@example.com', args: 'NOTIFY=NEVER' }] };

  it('changes the sender, adds and deletes recipients (brackets and case ignored), no duplicates', () => {
    const out = applyEnvelopeModifications(envelope, [
      { kind: 'change-from', sender: '<bounce@example.org>', args: 'SIZE=10' },
      { kind: 'delete-recipient', recipient: '<c@EXAMPLE.com>' },
      { kind: 'add-recipient', recipient: '<archive@example.org>', args: null },
      { kind: 'add-recipient', recipient: 'B@example.com', args: null },
    ]);
    assert.deepEqual(out, {
      sender: 'bounce@example.org',
      senderArgs: 'SIZE=10',
      recipients: [{ address: 'b@example.com', args: null }, { address: 'archive@example.org', args: null }],
    });
  });
});
