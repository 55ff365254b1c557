// The IMAP import's response reader: our server's framer frames what a server sends, parseResponse
// turns each response into status, continuation or data values (literals as bytes, NIL, lists).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImapFramer } from '../../../server/imap/wire/framer.js';
import { fetchItems, parseResponse, quoted, type Response } from '../../../server/import/imap/response.js';

function responses(wire: string): Response[] {
  const out: Response[] = [];
  for (const event of new ImapFramer().push(Buffer.from(wire, 'latin1'))) if (event.kind === 'request') out.push(parseResponse(event.request));
  return out;
}

test('reads status responses with their codes, continuations and data', () => {
  const [greeting, validity, tagged, more, exists] = responses(
    '* OK [CAPABILITY IMAP4rev1 LITERAL+] Dovecot (Debian) ready.\r\n* OK [UIDVALIDITY 1700000000] UIDs valid\r\nm3 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n+ go ahead\r\n* 17 EXISTS\r\n',
  );
  assert.deepEqual(greeting, { kind: 'status', tag: '*', status: 'OK', code: 'CAPABILITY', codeArgs: 'IMAP4rev1 LITERAL+', text: 'Dovecot (Debian) ready.' });
  assert.deepEqual(validity, { kind: 'status', tag: '*', status: 'OK', code: 'UIDVALIDITY', codeArgs: '1700000000', text: 'UIDs valid' });
  assert.equal(tagged.kind === 'status' && tagged.code, 'AUTHENTICATIONFAILED');
  assert.deepEqual(more, { kind: 'continue', text: 'go ahead' });
  assert.deepEqual(exists, { kind: 'data', name: 'EXISTS', number: 17, values: [] });
});

test('reads a FETCH with flags, a quoted date and a literal body, and a LIST with a literal name and NIL delimiter', () => {
  const body = 'Subject: x\r\n\r\n) not the end\r\n';
  const [fetch, list] = responses(`* 3 FETCH (UID 9 FLAGS (\\Seen $Forwarded) INTERNALDATE " 1-Jan-2024 10:00:00 +0100" BODY[] {${body.length}}\r\n${body})\r\n* LIST (\\HasNoChildren) NIL {5}\r\nA "b"\r\n`);
  assert.equal(fetch.kind, 'data');
  if (fetch.kind !== 'data' || list.kind !== 'data') return;
  const items = fetchItems(fetch.values);
  assert.equal(items.get('UID'), '9');
  assert.deepEqual(items.get('FLAGS'), ['\\Seen', '$Forwarded']);
  assert.equal((items.get('INTERNALDATE') as Buffer).toString(), ' 1-Jan-2024 10:00:00 +0100');
  assert.equal((items.get('BODY[]') as Buffer).toString('latin1'), body);
  assert.deepEqual(list.values, [['\\HasNoChildren'], null, Buffer.from('A "b"')]);
});

test('quotes what can be quoted and leaves the rest to a literal', () => {
  assert.equal(quoted('pa"ss\\word'), '"pa\\"ss\\\\word"');
  assert.equal(quoted('pässword'), undefined);
  assert.equal(quoted('line\r\nbreak'), undefined);
});
