import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  atom,
  byteString,
  encodeResponse,
  ResponseEncoder,
  type ImapResponse,
  type ResponseCode,
  type WireValue,
} from '../../../../server/imap/wire/index.js';

const wire = (response: ImapResponse): string => encodeResponse(response).toString('latin1');
const data = (...values: WireValue[]): string => wire({ kind: 'data', values });

describe('encoder: value choices', () => {
  it('quotes plain strings and escapes " and \\', () => {
    assert.equal(data('hello world'), '* "hello world"\r\n');
    assert.equal(data(''), '* ""\r\n');
    assert.equal(data('say "hi" \\o/'), '* "say \\"hi\\" \\\\o/"\r\n');
  });

  it('sends CR, LF, NUL, 8-bit and long strings as literals', () => {
    assert.equal(data('a\r\nb'), '* {4}\r\na\r\nb\r\n');
    assert.equal(data('nul\0'), '* {4}\r\nnul\0\r\n');
    assert.equal(data(byteString('café')), '* {5}\r\ncaf\xc3\xa9\r\n');
    assert.equal(data('x'.repeat(1024)), `* "${'x'.repeat(1024)}"\r\n`);
    assert.equal(data('x'.repeat(1025)), `* {1025}\r\n${'x'.repeat(1025)}\r\n`);
  });

  it('writes numbers, NIL, atoms, nested lists and Buffers', () => {
    assert.equal(data(42, null, atom('\\Seen'), ['a', [1, null], []]), '* 42 NIL \\Seen ("a" (1 NIL) ())\r\n');
    assert.equal(data(Buffer.from('plain')), '* "plain"\r\n');
    assert.equal(data(Buffer.from('two\r\nlines')), '* {10}\r\ntwo\r\nlines\r\n');
  });

  it('queues a large Buffer as its own chunk without copying it', () => {
    const body = Buffer.alloc(100_000, 0x0a);
    const encoder = new ResponseEncoder();
    encoder.write({ kind: 'fetch', seq: 1, items: [{ item: 'BODY[section]', section: '', origin: null, data: body }] });
    encoder.write({ kind: 'tagged', tag: 'a', status: 'OK', text: 'done' });
    assert.equal(encoder.pendingBytes, 100_000 + '* 1 FETCH (BODY[] {100000}\r\n'.length + ')\r\na OK done\r\n'.length);
    const chunks = encoder.take();
    assert.equal(chunks.length, 3);
    assert.equal(chunks[1], body);
    assert.equal(chunks[0].toString('latin1'), '* 1 FETCH (BODY[] {100000}\r\n');
    assert.equal(chunks[2].toString('latin1'), ')\r\na OK done\r\n');
    assert.equal(encoder.pendingBytes, 0);
    assert.deepEqual(encoder.take(), []);
  });

  it('spans many responses across blocks in order', () => {
    const encoder = new ResponseEncoder();
    for (let i = 1; i <= 5000; i++) encoder.write({ kind: 'exists', number: i });
    const text = Buffer.concat(encoder.take()).toString('latin1');
    assert.equal(text, Array.from({ length: 5000 }, (_, i) => `* ${i + 1} EXISTS\r\n`).join(''));
  });
});

describe('encoder: status responses', () => {
  it('writes tagged, untagged and continuation responses', () => {
    assert.equal(wire({ kind: 'tagged', tag: 'a001', status: 'OK', text: 'LOGIN completed' }), 'a001 OK LOGIN completed\r\n');
    assert.equal(wire({ kind: 'untagged', status: 'BYE', text: 'Logging out' }), '* BYE Logging out\r\n');
    assert.equal(wire({ kind: 'untagged', status: 'PREAUTH', text: '' }), '* PREAUTH\r\n');
    assert.equal(wire({ kind: 'continue', text: 'Ready' }), '+ Ready\r\n');
    assert.equal(wire({ kind: 'continue', text: '' }), '+ \r\n');
  });

  it('keeps text on one line and sends it as UTF-8', () => {
    assert.equal(wire({ kind: 'tagged', tag: 'a', status: 'NO', text: 'bad\r\nb OK injected' }), 'a NO bad b OK injected\r\n');
    assert.equal(wire({ kind: 'tagged', tag: 'a', status: 'NO', text: 'Größe' }), 'a NO Gr\xc3\xb6\xc3\x9fe\r\n');
  });

  it('writes every response code', () => {
    const cases: Array<[ResponseCode, string]> = [
      [{ code: 'ALERT' }, 'ALERT'],
      [{ code: 'TRYCREATE' }, 'TRYCREATE'],
      [{ code: 'TOOBIG' }, 'TOOBIG'],
      [{ code: 'READ-ONLY' }, 'READ-ONLY'],
      [{ code: 'UIDVALIDITY', value: 3857529045 }, 'UIDVALIDITY 3857529045'],
      [{ code: 'UIDNEXT', value: 4392 }, 'UIDNEXT 4392'],
      [{ code: 'UNSEEN', value: 12 }, 'UNSEEN 12'],
      [{ code: 'HIGHESTMODSEQ', value: 715194045007 }, 'HIGHESTMODSEQ 715194045007'],
      [{ code: 'PERMANENTFLAGS', flags: ['\\Deleted', '\\Seen', '\\*'] }, 'PERMANENTFLAGS (\\Deleted \\Seen \\*)'],
      [{ code: 'CAPABILITY', capabilities: ['IMAP4rev1', 'IDLE'] }, 'CAPABILITY IMAP4rev1 IDLE'],
      [{ code: 'BADCHARSET', charsets: ['US-ASCII', 'UTF-8'] }, 'BADCHARSET (US-ASCII UTF-8)'],
      [{ code: 'APPENDUID', uidValidity: 38505, uids: [3955] }, 'APPENDUID 38505 3955'],
      [{ code: 'APPENDUID', uidValidity: 38505, uids: [3955, 3956, 3957] }, 'APPENDUID 38505 3955:3957'],
      [
        { code: 'COPYUID', uidValidity: 38505, sourceUids: [304, 319, 320, 321], destinationUids: [3956, 3957, 3958, 3959] },
        'COPYUID 38505 304,319:321 3956:3959',
      ],
      [{ code: 'MODIFIED', numbers: [7, 9] }, 'MODIFIED 7,9'],
    ];
    for (const [code, text] of cases) {
      assert.equal(wire({ kind: 'tagged', tag: 'a', status: 'OK', code, text: 'x' }), `a OK [${text}] x\r\n`);
    }
    assert.equal(wire({ kind: 'untagged', status: 'OK', code: { code: 'UIDNEXT', value: 5 }, text: '' }), '* OK [UIDNEXT 5]\r\n');
  });
});

describe('encoder: untagged data', () => {
  it('writes mailbox data responses', () => {
    assert.equal(wire({ kind: 'capability', capabilities: ['IMAP4rev1', 'LITERAL+'] }), '* CAPABILITY IMAP4rev1 LITERAL+\r\n');
    assert.equal(wire({ kind: 'enabled', capabilities: [] }), '* ENABLED\r\n');
    assert.equal(wire({ kind: 'flags', flags: ['\\Answered', '$Junk'] }), '* FLAGS (\\Answered $Junk)\r\n');
    assert.equal(wire({ kind: 'exists', number: 172 }), '* 172 EXISTS\r\n');
    assert.equal(wire({ kind: 'recent', number: 1 }), '* 1 RECENT\r\n');
    assert.equal(wire({ kind: 'expunge', number: 3 }), '* 3 EXPUNGE\r\n');
    assert.equal(wire({ kind: 'search', numbers: [2, 84, 882] }), '* SEARCH 2 84 882\r\n');
    assert.equal(wire({ kind: 'search', numbers: [] }), '* SEARCH\r\n');
    assert.equal(wire({ kind: 'search', numbers: [2, 5], highestModSeq: 917162500 }), '* SEARCH 2 5 (MODSEQ 917162500)\r\n');
    assert.equal(wire({ kind: 'vanished', earlier: true, uids: [300, 301, 302, 405] }), '* VANISHED (EARLIER) 300:302,405\r\n');
    assert.equal(wire({ kind: 'vanished', earlier: false, uids: [7] }), '* VANISHED 7\r\n');
  });

  it('writes mailbox names as modified UTF-7 astrings', () => {
    const list = (mailbox: string, delimiter: string | null = '/') =>
      wire({ kind: 'list', attributes: ['\\HasNoChildren'], delimiter, mailbox });
    assert.equal(list('INBOX'), '* LIST (\\HasNoChildren) "/" INBOX\r\n');
    assert.equal(list('台北'), '* LIST (\\HasNoChildren) "/" &U,BTFw-\r\n');
    assert.equal(list('My Folder'), '* LIST (\\HasNoChildren) "/" "My Folder"\r\n');
    assert.equal(list('NIL'), '* LIST (\\HasNoChildren) "/" "NIL"\r\n');
    assert.equal(list('a"b\\c', null), '* LIST (\\HasNoChildren) NIL "a\\"b\\\\c"\r\n');
    assert.equal(list('50%'), '* LIST (\\HasNoChildren) "/" "50%"\r\n');
    assert.equal(wire({ kind: 'lsub', attributes: [], delimiter: '.', mailbox: 'a]b' }), '* LSUB () "." a]b\r\n');
    assert.equal(
      wire({ kind: 'status', mailbox: 'blurdybloop', items: [['MESSAGES', 231], ['UIDNEXT', 44292]] }),
      '* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n',
    );
  });

  it('writes ID, NAMESPACE, QUOTA and QUOTAROOT', () => {
    assert.equal(wire({ kind: 'id', params: [['name', 'Mailroom'], ['support-url', null]] }), '* ID ("name" "Mailroom" "support-url" NIL)\r\n');
    assert.equal(wire({ kind: 'id', params: null }), '* ID NIL\r\n');
    assert.equal(
      wire({ kind: 'namespace', personal: [['', '/']], other: null, shared: [['Öffentlich/', '/']] }),
      '* NAMESPACE (("" "/")) NIL (("&ANY-ffentlich/" "/"))\r\n',
    );
    assert.equal(
      wire({ kind: 'quota', root: '', resources: [{ name: 'STORAGE', usage: 10, limit: 512 }] }),
      '* QUOTA "" (STORAGE 10 512)\r\n',
    );
    assert.equal(wire({ kind: 'quotaroot', mailbox: 'INBOX', roots: ['', 'user'] }), '* QUOTAROOT INBOX "" user\r\n');
  });

  it('writes every FETCH item', () => {
    const envelope = ['Wed, 17 Jul 1996 02:23:25 -0700 (PDT)', 'IMAP4rev1 WG mtg summary', [['Terry Gray', null, 'gray', 'cac.washington.edu']], null];
    assert.equal(
      wire({
        kind: 'fetch',
        seq: 12,
        items: [
          { item: 'UID', value: 4827313 },
          { item: 'FLAGS', flags: ['\\Seen'] },
          { item: 'INTERNALDATE', date: Date.UTC(1996, 6, 17, 9, 44, 25) },
          { item: 'RFC822.SIZE', value: 4286 },
          { item: 'MODSEQ', value: 624140003 },
          { item: 'ENVELOPE', value: envelope },
          { item: 'BODY', value: ['TEXT', 'PLAIN', ['CHARSET', 'US-ASCII'], null, null, '7BIT', 3028, 92] },
          { item: 'BODY[section]', section: 'HEADER.FIELDS (From)', origin: null, data: 'From: a\r\n\r\n' },
          { item: 'BODY[section]', section: '1', origin: 0, data: null },
          { item: 'RFC822.HEADER', data: Buffer.from('') },
        ],
      }),
      '* 12 FETCH (UID 4827313 FLAGS (\\Seen) INTERNALDATE "17-Jul-1996 09:44:25 +0000" RFC822.SIZE 4286 ' +
        'MODSEQ (624140003) ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary" ' +
        '(("Terry Gray" NIL "gray" "cac.washington.edu")) NIL) BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL ' +
        '"7BIT" 3028 92) BODY[HEADER.FIELDS (From)] {11}\r\nFrom: a\r\n\r\n BODY[1]<0> NIL RFC822.HEADER "")\r\n',
    );
  });

  it('writes an ENVELOPE with 8-bit or quoted bytes correctly', () => {
    assert.equal(
      wire({ kind: 'fetch', seq: 1, items: [{ item: 'ENVELOPE', value: [null, 'Gr\xfc\xdfe "x"', 'a\\b'] }] }),
      '* 1 FETCH (ENVELOPE (NIL {9}\r\nGr\xfc\xdfe "x" "a\\\\b"))\r\n',
    );
  });
});
