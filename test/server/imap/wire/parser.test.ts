import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIdleDone, parseSaslResponse } from '../../../../server/imap/wire/index.js';
import { args, parse, parseError } from './helpers.js';

describe('parseCommand: envelope', () => {
  it('reads tag, upper-cases the name and marks UID commands', () => {
    assert.deepEqual(parse('a1 noop'), { tag: 'a1', name: 'NOOP', uid: false, args: {} });
    const fetch = parse('A999 UID FETCH 4827313:4828442 FLAGS');
    assert.equal(fetch.tag, 'A999');
    assert.equal(fetch.name, 'FETCH');
    assert.equal(fetch.uid, true);
  });

  it('accepts every argument-less command', () => {
    for (const name of ['CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'CHECK', 'CLOSE', 'IDLE', 'NAMESPACE', 'UNSELECT']) {
      assert.deepEqual(parse(`t ${name}`), { tag: 't', name, uid: false, args: {} });
    }
    assert.deepEqual(args('EXPUNGE', 't EXPUNGE'), { uids: null });
  });

  const errors: Array<[string, string, string | null]> = [
    ['', 'Empty command line', null],
    ['+a NOOP', 'Invalid tag', null],
    ['a', 'Missing command', 'a'],
    ['a  NOOP', 'Invalid command', 'a'],
    ['a FROB', 'Unknown command FROB', 'a'],
    ['a UID LIST "" *', 'Unknown UID command LIST', 'a'],
    ['a UID', 'Missing UID command', 'a'],
    ['a NOOP extra', 'Unexpected characters after NOOP', 'a'],
    ['a UID EXPUNGE 1:2 x', 'Unexpected characters after UID EXPUNGE', 'a'],
    ['a UID EXPUNGE', 'Missing sequence set', 'a'],
    ['a LOGIN', 'Missing user name', 'a'],
    ['a LOGIN bob', 'Missing password', 'a'],
    ['a LOGIN bob "unterminated', 'Unterminated quoted string for password', 'a'],
    ['a LOGIN bob "bad\\escape"', 'Invalid escape in quoted string for password', 'a'],
    ['a LOGIN bob (x)', 'Invalid password', 'a'],
    ['a LOGIN "a\0b" c', 'Invalid NUL in quoted string for user name', 'a'],
    ['a SELECT', 'Missing mailbox name', 'a'],
    ['a CREATE {3}x', 'Invalid literal for mailbox name', 'a'],
  ];
  for (const [line, reason, tag] of errors) {
    it(`refuses ${JSON.stringify(line)}: ${reason}`, () => {
      const error = parseError(line);
      assert.equal(error.reason, reason);
      assert.equal(error.tag, tag);
      assert.equal(error.status, 'BAD');
    });
  }

  it('shortens an absurd command name in the reason', () => {
    assert.equal(parseError(`a ${'X'.repeat(100)}`).reason, `Unknown command ${'X'.repeat(32)}...`);
  });
});

describe('RFC 3501 §8 sample session', () => {
  it('parses every client command of the sample', () => {
    assert.deepEqual(args('LOGIN', 'a001 login mrc secret'), { username: 'mrc', password: 'secret' });
    assert.deepEqual(args('SELECT', 'a002 select inbox'), { mailbox: 'INBOX', condstore: false, qresync: null });
    assert.deepEqual(args('FETCH', 'a003 fetch 12 full').items, [
      { item: 'FLAGS' },
      { item: 'INTERNALDATE' },
      { item: 'RFC822.SIZE' },
      { item: 'ENVELOPE' },
      { item: 'BODY' },
    ]);
    assert.deepEqual(args('FETCH', 'a004 fetch 12 body[header]').items, [
      { item: 'BODY[section]', peek: false, section: { part: [], text: 'HEADER', fields: [] }, partial: null },
    ]);
    assert.deepEqual(args('STORE', 'a005 store 12 +flags \\deleted'), {
      set: [{ from: 12, to: 12 }],
      action: 'add',
      silent: false,
      flags: ['\\Deleted'],
      unchangedSince: null,
    });
    assert.equal(parse('a006 logout').name, 'LOGOUT');
  });
});

describe('LOGIN and AUTHENTICATE', () => {
  it('takes atoms, quoted strings and literals', () => {
    assert.deepEqual(args('LOGIN', 'a001 LOGIN SMITH SESAME'), { username: 'SMITH', password: 'SESAME' });
    assert.deepEqual(args('LOGIN', 'a LOGIN "fred" "a \\"quoted\\" \\\\ pass"'), {
      username: 'fred',
      password: 'a "quoted" \\ pass',
    });
    assert.deepEqual(args('LOGIN', 'a LOGIN {4}\r\nfr d {4+}\r\np\u00e4s'), { username: 'fr d', password: 'päs' });
    assert.deepEqual(args('LOGIN', 'a LOGIN "" ""'), { username: '', password: '' });
  });

  it('reads the mechanism and the SASL-IR initial response', () => {
    assert.deepEqual(args('AUTHENTICATE', 'a001 AUTHENTICATE GSSAPI'), { mechanism: 'GSSAPI', initialResponse: null });
    const plain = args('AUTHENTICATE', 'a authenticate plain AGJvYgBzZWNyZXQ=');
    assert.equal(plain.mechanism, 'PLAIN');
    assert.deepEqual(plain.initialResponse, Buffer.from('\0bob\0secret'));
    assert.deepEqual(args('AUTHENTICATE', 'a AUTHENTICATE EXTERNAL =').initialResponse, Buffer.alloc(0));
    assert.equal(parseError('a AUTHENTICATE PLAIN AGJvYg=B').reason, 'Invalid base64');
    assert.equal(parseError('a AUTHENTICATE PLAIN abc').reason, 'Invalid base64');
  });

  it('decodes continuation lines and recognises cancellation and DONE', () => {
    assert.deepEqual(parseSaslResponse(Buffer.from('AGJvYgBzZWNyZXQ=')), Buffer.from('\0bob\0secret'));
    assert.deepEqual(parseSaslResponse(Buffer.from('')), Buffer.alloc(0));
    assert.equal(parseSaslResponse(Buffer.from('*')), null);
    assert.throws(() => parseSaslResponse(Buffer.from('not base64!')), { reason: 'Invalid base64' });
    assert.equal(isIdleDone(Buffer.from('done')), true);
    assert.equal(isIdleDone(Buffer.from('DONE ')), false);
  });
});

describe('APPEND', () => {
  const message = 'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nSubject: afternoon meeting\r\n\r\nHello Joe\r\n';

  it('parses the RFC 3501 §6.3.11 example', () => {
    const a = args('APPEND', `A003 APPEND saved-messages (\\Seen) {${message.length}}\r\n${message}`);
    assert.equal(a.mailbox, 'saved-messages');
    assert.equal(a.messages.length, 1);
    assert.deepEqual(a.messages[0].flags, ['\\Seen']);
    assert.equal(a.messages[0].internalDate, null);
    assert.equal(a.messages[0].message.toString('latin1'), message);
    assert.equal(a.messages[0].binary, false);
  });

  it('takes an optional date-time, with or without flags, and keeps 8-bit bytes', () => {
    const body = Buffer.from('Subject: \xe9\r\n\r\n\0x', 'latin1');
    const [a] = args('APPEND', Buffer.concat([Buffer.from(`a APPEND INBOX " 7-Feb-1994 21:52:25 -0800" {${body.length}+}\r\n`), body])).messages;
    assert.deepEqual(a.flags, []);
    assert.equal(a.internalDate?.toISOString(), '1994-02-08T05:52:25.000Z');
    assert.deepEqual(a.message, body);
    const [b] = args('APPEND', 'a APPEND Drafts (\\Draft $Label) "17-Jul-1996 02:44:25 -0700" {1}\r\nx').messages;
    assert.deepEqual(b.flags, ['\\Draft', '$Label']);
    assert.equal(b.internalDate?.toISOString(), '1996-07-17T09:44:25.000Z');
  });

  it('parses MULTIAPPEND (RFC 3502 §6.3.11) with per-message options and literal8 (RFC 3516)', () => {
    const a = args('APPEND', 'a APPEND INBOX (\\Seen) {1}\r\nx ~{2}\r\ny\0 "17-Jul-1996 02:44:25 -0700" {1+}\r\nz');
    assert.deepEqual(
      a.messages.map((m) => [m.flags, m.internalDate?.getTime() ?? null, m.message.toString('latin1'), m.binary]),
      [
        [['\\Seen'], null, 'x', false],
        [[], null, 'y\0', true],
        [[], Date.UTC(1996, 6, 17, 9, 44, 25), 'z', false],
      ],
    );
    assert.equal(parseError('a APPEND INBOX {1}\r\nx  {1}\r\ny').reason, 'Expected literal for message');
  });

  it('refuses a message that is not a literal and a bad date', () => {
    assert.equal(parseError('a APPEND INBOX "hello"').reason, 'Invalid date-time');
    assert.equal(parseError('a APPEND INBOX hello').reason, 'Expected literal for message');
    assert.equal(parseError('a APPEND INBOX (\\Seen)').reason, 'Missing message');
    assert.equal(parseError('a APPEND INBOX "31-Feb-1994 21:52:25 -0800" {1}\r\nx').reason, 'Invalid date-time');
  });
});

describe('COPY, MOVE, UID EXPUNGE', () => {
  it('parses a set and a mailbox', () => {
    assert.deepEqual(args('COPY', 'A003 COPY 2:4 MEETING'), { set: [{ from: 2, to: 4 }], mailbox: 'MEETING' });
    const move = parse('a UID MOVE 42:69,* "Archive/2024"');
    assert.equal(move.uid, true);
    assert.deepEqual(move.args, {
      set: [
        { from: 42, to: 69 },
        { from: '*', to: '*' },
      ],
      mailbox: 'Archive/2024',
    });
    assert.deepEqual(args('EXPUNGE', 'a UID EXPUNGE 3000:3002'), { uids: [{ from: 3000, to: 3002 }] });
  });

  it('refuses a bad sequence set', () => {
    assert.equal(parseError('a COPY 0 Trash').reason, 'Invalid sequence set');
    assert.equal(parseError('a COPY 1:2:3 Trash').reason, 'Invalid sequence set');
    assert.equal(parseError('a COPY 1,,2 Trash').reason, 'Invalid sequence set');
    assert.equal(parseError('a COPY 4294967296 Trash').reason, 'Invalid sequence set');
    assert.equal(parseError('a COPY Trash').reason, 'Invalid sequence set');
    assert.equal(parseError('a MOVE 1').reason, 'Missing mailbox name');
  });
});

describe('ID, ENABLE, GETQUOTA, GETQUOTAROOT', () => {
  it('parses ID parameter lists and NIL', () => {
    assert.deepEqual(args('ID', 'a023 ID ("name" "sodr" "version" "19.34" "vendor" NIL)'), {
      params: [
        ['name', 'sodr'],
        ['version', '19.34'],
        ['vendor', null],
      ],
    });
    assert.deepEqual(args('ID', 'a ID NIL'), { params: null });
    assert.deepEqual(args('ID', 'a ID ()'), { params: [] });
  });

  it('refuses malformed ID lists', () => {
    assert.equal(parseError('a ID ("name")').reason, 'ID parameters must be field/value pairs');
    assert.equal(parseError(`a ID ("${'f'.repeat(31)}" "x")`).reason, 'Invalid ID field name');
    assert.equal(parseError(`a ID ("f" "${'v'.repeat(1025)}")`).reason, 'ID value too long');
    assert.equal(parseError('a ID').reason, 'Missing ID parameters');
    assert.equal(parseError('a ID foo').reason, 'Invalid ID parameters');
  });

  it('parses ENABLE capabilities in upper case', () => {
    assert.deepEqual(args('ENABLE', 't2 ENABLE condstore qresync'), { capabilities: ['CONDSTORE', 'QRESYNC'] });
    assert.equal(parseError('t ENABLE').reason, 'Missing capability');
  });

  it('parses quota roots and mailboxes', () => {
    assert.deepEqual(args('GETQUOTA', 'G GETQUOTA ""'), { root: '' });
    assert.deepEqual(args('GETQUOTA', 'G GETQUOTA "User quota"'), { root: 'User quota' });
    assert.deepEqual(args('GETQUOTAROOT', 'G GETQUOTAROOT inbox'), { mailbox: 'INBOX' });
  });
});
