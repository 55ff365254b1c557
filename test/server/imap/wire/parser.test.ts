import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImapParseError, isIdleDone, parseSaslResponse } from '../../../../server/imap/wire/index.js';
import { args, parse, parseError } from './helpers.js';
import { MAX_CAT_PARTS } from '../../../../server/imap/wire/grammar/append.js';
import { parseImapUrl } from '../../../../server/imap/wire/grammar/imap-url.js';

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
    assert.deepEqual(a.messages[0].content, { kind: 'literal', message: Buffer.from(message, 'latin1'), binary: false });
  });

  it('takes an optional date-time, with or without flags, and keeps 8-bit bytes', () => {
    const body = Buffer.from('Subject: \xe9\r\n\r\n\0x', 'latin1');
    const [a] = args('APPEND', Buffer.concat([Buffer.from(`a APPEND INBOX " 7-Feb-1994 21:52:25 -0800" {${body.length}+}\r\n`), body])).messages;
    assert.deepEqual(a.flags, []);
    assert.equal(a.internalDate?.toISOString(), '1994-02-08T05:52:25.000Z');
    assert.deepEqual(a.content, { kind: 'literal', message: body, binary: false });
    const [b] = args('APPEND', 'a APPEND Drafts (\\Draft $Label) "17-Jul-1996 02:44:25 -0700" {1}\r\nx').messages;
    assert.deepEqual(b.flags, ['\\Draft', '$Label']);
    assert.equal(b.internalDate?.toISOString(), '1996-07-17T09:44:25.000Z');
  });

  it('parses MULTIAPPEND (RFC 3502 §6.3.11) with per-message options and literal8 (RFC 3516)', () => {
    const a = args('APPEND', 'a APPEND INBOX (\\Seen) {1}\r\nx ~{2}\r\ny\0 "17-Jul-1996 02:44:25 -0700" {1+}\r\nz');
    assert.deepEqual(
      a.messages.map((m) => [m.flags, m.internalDate?.getTime() ?? null, m.content.kind === 'literal' && m.content.message.toString('latin1'), m.content.kind === 'literal' && m.content.binary]),
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

describe('APPEND CATENATE (RFC 4469)', () => {
  it('parses the §5 example: URL and TEXT parts, literal8 in TEXT', () => {
    const a = args('APPEND', 'A003 APPEND Drafts (\\Seen \\Draft $MDNSent) CATENATE (URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER" TEXT {42}\r\n\r\n--------------030308070208000400050907\r\n URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.mime" URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1" TEXT ~{3}\r\nx\0y)');
    assert.equal(a.messages.length, 1);
    const content = a.messages[0].content;
    assert.equal(content.kind, 'catenate');
    if (content.kind !== 'catenate') return;
    assert.deepEqual(
      content.parts.map((p) => (p.kind === 'text' ? [p.bytes.length, p.binary] : [p.parsed?.mailbox, p.parsed?.uidValidity, p.parsed?.uid, p.parsed?.section])),
      [
        ['Drafts', 385759045, 20, { part: [], text: 'HEADER', fields: [] }],
        [42, false],
        ['Drafts', 385759045, 20, { part: [1], text: 'MIME', fields: [] }],
        ['Drafts', 385759045, 20, { part: [1], text: null, fields: [] }],
        [3, true],
      ],
    );
  });

  it('keeps a URL it cannot parse for NO [BADURL], refuses bad grammar and too many parts', () => {
    const a = args('APPEND', 'a APPEND INBOX CATENATE (URL "imap://other.example/" URL "/INBOX/;UID=0")');
    assert.deepEqual(a.messages[0].content, {
      kind: 'catenate',
      parts: [
        { kind: 'url', url: 'imap://other.example/', parsed: null },
        { kind: 'url', url: '/INBOX/;UID=0', parsed: null },
      ],
    });
    assert.equal(parseError('a APPEND INBOX CATENATE ()').reason, 'Empty catenate parts');
    assert.equal(parseError('a APPEND INBOX CATENATE (FILE "x")').reason, 'Expected TEXT or URL, not FILE');
    assert.equal(parseError('a APPEND INBOX CATALOG (URL "/INBOX/;UID=1")').reason, 'Expected a literal or CATENATE');
    const many = Array.from({ length: MAX_CAT_PARTS + 1 }, () => 'URL "/INBOX/;UID=1"').join(' ');
    assert.equal(parseError(`a APPEND INBOX CATENATE (${many})`).reason, `More than ${MAX_CAT_PARTS} CATENATE parts`);
    // MULTIAPPEND of a CATENATE and a literal (RFC 4469 §5 with RFC 3502).
    const two = args('APPEND', 'a APPEND INBOX CATENATE (URL "/INBOX/;UID=1") (\\Answered) {1}\r\nx');
    assert.deepEqual(two.messages.map((m) => [m.flags, m.content.kind]), [[[], 'catenate'], [['\\Answered'], 'literal']]);
  });

  it('parses IMAP URLs (RFC 5092): %-escaped UTF-8 names, sections, partials, absolute form', () => {
    assert.deepEqual(parseImapUrl('/Caf%C3%A9%20au%20lait/Sub;uidvalidity=7/;uid=3/;SECTION=HEADER.FIELDS%20(FROM%20TO)/;partial=10.20'), {
      user: null,
      host: null,
      mailbox: 'Café au lait/Sub',
      uidValidity: 7,
      uid: 3,
      section: { part: [], text: 'HEADER.FIELDS', fields: ['FROM', 'TO'] },
      partial: { start: 10, count: 20 },
    });
    const absolute = parseImapUrl('imap://fred%40example.com;AUTH=*@mail.example.com:993/inbox/;UID=9/;PARTIAL=5');
    assert.deepEqual([absolute.user, absolute.host, absolute.mailbox, absolute.uid, absolute.section, absolute.partial], ['fred@example.com', 'mail.example.com', 'INBOX', 9, null, { start: 5, count: null }]);
    for (const bad of ['INBOX/;UID=1', '/INBOX', '/INBOX/;UID=x', '/INBOX/;UID=1/;SECTION=BOGUS', '/INBOX/;UID=1/;URLAUTH=anonymous', '/IN%ZZ/;UID=1', '/INBOX/;UID=4294967296']) {
      assert.throws(() => parseImapUrl(bad), ImapParseError, bad);
    }
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

  it('parses CANCELUPDATE (RFC 5267 §5) and SEARCH RETURN (UPDATE)', () => {
    assert.deepEqual(args('CANCELUPDATE', 'C CANCELUPDATE "A01" {3}\r\nB02'), { tags: ['A01', 'B02'] });
    assert.equal(parseError('C CANCELUPDATE').reason, 'Missing search tag');
    assert.equal(parseError('C CANCELUPDATE A01').reason, 'Expected string for search tag');
    assert.deepEqual([...(args('SEARCH', 'S SEARCH RETURN (UPDATE COUNT) SEEN').returns ?? [])], ['UPDATE', 'COUNT']);
    assert.deepEqual([...(args('SORT', 'S SORT RETURN (UPDATE) (DATE) UTF-8 ALL').returns ?? [])], ['UPDATE'], 'CONTEXT=SORT');
    assert.equal(parseError('S SORT RETURN (SAVE) (DATE) UTF-8 ALL').reason, 'Unknown return option SAVE');
  });
});
