import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envelope, sentDate } from '../../../server/mime/envelope.js';
import { corpus, crlf, imapText, parse } from './helpers.js';

const RFC3501_HEADER =
  'Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\n' +
  'From: Terry Gray <gray@cac.washington.edu>\n' +
  'Subject: IMAP4rev1 WG mtg summary and minutes\n' +
  'To: imap@cac.washington.edu\n' +
  'cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\n' +
  'Message-Id: <B27397-0100000@cac.washington.edu>\n' +
  'MIME-Version: 1.0\n' +
  'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\n\n';

function envelopeOf(raw: Buffer): string {
  const { parsed } = parse(raw);
  return imapText(envelope(raw, parsed.root));
}

test('RFC 3501 §7.4.2 example ENVELOPE', () => {
  assert.equal(
    envelopeOf(crlf(`${RFC3501_HEADER}body\n`)),
    '("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" ' +
      '(("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ' +
      '(("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ' +
      '((NIL NIL "minutes" "CNRI.Reston.VA.US") ("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL ' +
      '"<B27397-0100000@cac.washington.edu>")',
  );
});

// Expected answers from dovecot/imaptest src/tests/fetch-envelope (the corpus holds its messages).
const IMAPTEST: Record<string, string> = {
  'imaptest-envelope-all-fields.eml':
    '("Thu, 15 Feb 2007 01:02:03 +0200" "subject header" (("From Real" NIL "fromuser" "fromdomain.org")) ' +
    '(("Sender Real" NIL "senderuser" "senderdomain.org")) (("ReplyTo Real" NIL "replytouser" "replytodomain.org")) ' +
    '(("To Real" NIL "touser" "todomain.org")) (("Cc Real" NIL "ccuser" "ccdomain.org")) ' +
    '(("Bcc Real" NIL "bccuser" "bccdomain.org")) "<reply@to.id>" "<msg@id>")',
  'imaptest-envelope-minimal-from-only.eml':
    '("Thu, 15 Feb 2007 01:02:03 +0200" NIL ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) NIL NIL NIL NIL NIL)',
  'imaptest-envelope-groups-and-comment-name.eml':
    '("Thu, 15 Feb 2007 01:02:03 +0200" NIL (("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) ' +
    '(("Real Name" NIL "user" "domain")) ((NIL NIL "group" NIL) (NIL NIL "g1" "d1.org") (NIL NIL "g2" "d2.org") ' +
    '(NIL NIL NIL NIL) (NIL NIL "group2" NIL) (NIL NIL "g3" "d3.org") (NIL NIL NIL NIL)) ' +
    '((NIL NIL "group" NIL) (NIL NIL NIL NIL) (NIL NIL "group2" NIL) (NIL NIL NIL NIL)) NIL NIL NIL)',
  'imaptest-envelope-empty-sender-reply-to.eml':
    '("Thu, 15 Feb 2007 01:02:03 +0200" NIL (("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) ' +
    '(("Real Name" NIL "user" "domain")) NIL NIL NIL NIL NIL)',
  'imaptest-envelope-source-route.eml':
    '("Thu, 15 Feb 2007 01:02:03 +0200" NIL ((NIL "@route" "user" "domain")) ((NIL "@route" "user" "domain")) ' +
    '((NIL "@route" "user" "domain")) NIL NIL NIL NIL NIL)',
};

for (const [file, expected] of Object.entries(IMAPTEST)) {
  test(`imaptest fetch-envelope: ${file}`, () => {
    assert.equal(envelopeOf(corpus(file)), expected);
  });
}

test('repeated fields: last Subject/Date/Message-ID, all address fields together', () => {
  const raw = crlf(
    'Subject: first\nTo: a@x\nDate: Mon, 1 Jan 2001 00:00:00 +0000\nSubject: second\nTo: b@x, c@x,\n' +
      'Date: Tue, 2 Jan 2001 00:00:00 +0000\nCc: d@x\nCc: e@x\nMessage-ID: <1@x>\nMessage-ID: <2@x>\n\n',
  );
  assert.equal(
    envelopeOf(raw),
    '("Tue, 2 Jan 2001 00:00:00 +0000" "second" NIL NIL NIL ((NIL NIL "a" "x") (NIL NIL "b" "x") (NIL NIL "c" "x")) ' +
      '((NIL NIL "d" "x") (NIL NIL "e" "x")) NIL NIL "<2@x>")',
  );
});

test('subject and names are cleaned for humans; other strings only unfolded', () => {
  const raw = crlf('Subject:  a\tb \n   c  \nFrom: "  Spaced\t Name " <s@x>\nMessage-ID:\n <folded@x>\n\n');
  assert.equal(envelopeOf(raw), '(NIL "a b c" (("Spaced Name" NIL "s" "x")) (("Spaced Name" NIL "s" "x")) (("Spaced Name" NIL "s" "x")) NIL NIL NIL NIL " <folded@x>")');
});

test('an empty Subject is "" and "NIL" is a string', () => {
  assert.equal(envelopeOf(crlf('Subject:\n\n')), '(NIL "" NIL NIL NIL NIL NIL NIL NIL NIL)');
  assert.deepEqual((envelope(corpus('imaptest-subject-nil.eml'), parse(corpus('imaptest-subject-nil.eml')).parsed.root) as string[])[1], 'NiL');
});

test('encoded words stay encoded and raw 8-bit bytes pass unchanged', () => {
  const raw = crlf('Subject: =?utf-8?Q?caf=C3=A9?= \xe9t\xe9\nFrom: J\xf6rg <j@x>\n\n');
  const env = envelope(raw, parse(raw).parsed.root) as unknown[];
  assert.equal(env[1], '=?utf-8?Q?caf=C3=A9?= \xe9t\xe9');
  assert.deepEqual(env[2], [['J\xf6rg', null, 'j', 'x']]);
});

test('a header without envelope fields gives ten NILs', () => {
  assert.equal(envelopeOf(crlf('X-Other: 1\n\nbody\n')), '(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)');
});

test('sentDate parses the last Date field', () => {
  const { raw, parsed } = parse(crlf('Date: Mon, 1 Jan 2001 00:00:00 +0000\nDate: Sat, 01 Feb 2007 01:02:03 +0200\n\n'));
  assert.equal(sentDate(raw, parsed), Date.parse('2007-01-31T23:02:03Z'));
  const none = parse(crlf('Subject: x\n\n'));
  assert.equal(sentDate(none.raw, none.parsed), null);
  const bad = parse(corpus('mime4j-obsolete-syntax-8bit-field-name.eml'));
  assert.equal(sentDate(bad.raw, bad.parsed), null);
});
