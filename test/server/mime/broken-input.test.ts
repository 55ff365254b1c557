// The answers mature IMAP servers give for broken input (corpus README, "observed on Dovecot
// 2.3"), one test per rule, each on the corpus message that exhibits it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodedBodyText } from '../../../server/mime/body-text.js';
import { bodyStructure } from '../../../server/mime/bodystructure.js';
import { envelope } from '../../../server/mime/envelope.js';
import type { ImapValue } from '../../../server/mime/imap-value.js';
import { fetchSection } from '../../../server/mime/sections.js';
import { CORPUS_DIR, corpus, crlf, imapText, parse } from './helpers.js';

const EMPTY_TEXT_PART = '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)';

function bs(file: string): ImapValue[] {
  const { raw, parsed } = parse(corpus(file));
  return bodyStructure(raw, parsed) as ImapValue[];
}

function env(file: string): ImapValue[] {
  const { raw, parsed } = parse(corpus(file));
  return envelope(raw, parsed.root) as ImapValue[];
}

test('a multipart whose boundary never appears has one empty text/plain child', () => {
  for (const file of ['mime4j-multipart-without-delimiters.eml', 'dovecot-malformed-002.eml', 'cpython-msg17-multipart-no-delimiters.eml']) {
    const structure = bs(file);
    assert.equal(imapText(structure[0]), EMPTY_TEXT_PART, file);
    assert.equal(typeof structure[1], 'string', file); // the multipart subtype follows: exactly one child
  }
  // Same for a multipart without any boundary parameter.
  assert.equal(imapText(bs('cpython-msg41-multipart-alternative-no-boundary-param.eml')[0]), EMPTY_TEXT_PART);
});

test('an empty part is text/plain with size 0 and 0 lines', () => {
  const [part] = bs('mime4j-multipart-one-empty-part.eml');
  assert.equal(imapText(part), EMPTY_TEXT_PART);
});

test('Content-Type without subtype, without "/", or broken: "" "" NIL, no line count', () => {
  for (const file of ['thunderbird-content-type-text-bare.eml', 'cpython-msg14-content-type-text-no-subtype.eml', 'mimekit-content-type-without-slash.eml']) {
    const s = bs(file);
    assert.deepEqual(s.slice(0, 6), ['', '', null, null, null, '7bit'], file);
    assert.equal(s.length, 11, file); // size, then the four extension fields: no line count
  }
  const withCte = bs('thunderbird-content-type-text-with-charset-qp.eml');
  assert.deepEqual(withCte.slice(0, 3), ['', '', null]);
  assert.deepEqual(imapText(bs1('Content-Type:\n\nx\n')), '("" "" NIL NIL NIL "7bit" 3 NIL NIL NIL NIL)');
});

function bs1(text: string): ImapValue {
  const { raw, parsed } = parse(crlf(text));
  return bodyStructure(raw, parsed);
}

test('duplicate fields: MIME uses the first Content-Type and Content-Transfer-Encoding', () => {
  assert.equal(bs('mimetools-duplicate-content-type-no-delimiters.eml').at(-5), 'mixed');
  const related = bs('dovecot-malformed-020.eml');
  assert.equal((related[0] as ImapValue[]).at(-5), 'alternative'); // first part: alternative, not text/plain
  assert.equal(imapText(bs1('Content-Type: text/plain\nContent-Transfer-Encoding: base64\nContent-Transfer-Encoding: 7bit\n\naGk=\n')), '("text" "plain" ("charset" "us-ascii") NIL NIL "base64" 6 1 NIL NIL NIL NIL)');
});

test('duplicate fields: ENVELOPE takes the last Subject/Date/Message-ID and all From/To/Cc', () => {
  const three = env('thunderbird-three-to-headers-trailing-comma.eml');
  assert.equal((three[5] as ImapValue[]).length, 6); // three To: fields, one list
  const cc = env('cpython-msg20-duplicate-cc-headers.eml');
  assert.equal(imapText(cc[6]), '((NIL NIL "ccc" "zzz.org") (NIL NIL "ddd" "zzz.org") (NIL NIL "eee" "zzz.org"))');
  const { raw, parsed } = parse(crlf('Subject: a\nDate: d1\nMessage-ID: <1@x>\nSubject: b\nDate: d2\nMessage-ID: <2@x>\nFrom: f1@x\nFrom: f2@x\n\n'));
  const e = envelope(raw, parsed.root) as ImapValue[];
  assert.deepEqual([e[0], e[1], e[9]], ['d2', 'b', '<2@x>']);
  assert.equal(imapText(e[2]), '((NIL NIL "f1" "x") (NIL NIL "f2" "x"))');
});

test('message/rfc822 sent base64-encoded is still message/rfc822, with an all-NIL envelope inside', () => {
  for (const file of ['mime4j-rfc822-base64.eml', 'mime4j-rfc822-base64-nested-twice.eml', 'mimetools-rfc822-base64-with-gifs.eml']) {
    const s = bs(file);
    assert.deepEqual(s.slice(0, 2), ['message', 'rfc822'], file);
    assert.equal((s[5] as string).toLowerCase(), 'base64', file);
    assert.equal(imapText(s[7]), '(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)', file);
  }
  const attached = bs('thunderbird-rfc822-attachment-base64.eml');
  const rfc822 = attached.find((p) => Array.isArray(p) && p[0] === 'message') as ImapValue[];
  assert.equal(imapText(rfc822[7]), '(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)');
});

test('boundary lines match by prefix: trailing garbage and padding are allowed', () => {
  const { raw, parsed } = parse(corpus('mime4j-boundary-lines-with-trailing-garbage.eml'));
  assert.equal(fetchSection(raw, parsed, { path: [1] }).toString('latin1'), 'first part\r\n');
  assert.equal(parsed.root.parts?.length, 1); // "--boundary-- This should be ignored" closed it
  const padded = parse(corpus('mime4j-boundary-transport-padding.eml')).parsed;
  assert.ok((padded.root.parts?.length ?? 0) >= 2);
  const weird = parse(corpus('mimetools-delimiters-trailing-whitespace.eml')).parsed;
  assert.ok((weird.root.parts?.length ?? 0) >= 2);
});

test('inner boundaries are checked before outer ones (same boundary reused inside)', () => {
  const { parsed } = parse(corpus('dovecot-malformed-003.eml'));
  const inner = parsed.root.parts?.[0];
  assert.equal(inner?.kind, 'multipart');
  assert.equal(inner?.parts?.length, 1);
  assert.equal(parsed.root.parts?.length, 1);
});

test('a boundary that extends another is told apart by the longest match', () => {
  const { raw, parsed } = parse(corpus('mime4j-inner-boundary-prefixed-by-outer.eml'));
  const inner = parsed.root.parts?.find((p) => p.kind === 'multipart');
  assert.ok(inner !== undefined && (inner.parts?.length ?? 0) >= 2);
  assert.doesNotThrow(() => bodyStructure(raw, parsed));
});

test('an outer boundary closes an unterminated inner multipart', () => {
  const s = bs('mime4j-inner-multipart-never-delimited.eml');
  assert.equal(imapText(s[1]), `(${EMPTY_TEXT_PART} "alternative" ("boundary" "inner-boundary") NIL NIL NIL)`);
  const { parsed } = parse(corpus('dovecot-malformed-008.eml'));
  assert.equal(parsed.root.parts?.length, 2); // the outer "ab" delimiter ended the inner "a" multipart
});

test('multipart/digest children default to message/rfc822', () => {
  const s = bs('cpython-msg30-digest-implicit-rfc822.eml');
  assert.deepEqual((s[0] as ImapValue[]).slice(0, 2), ['message', 'rfc822']);
  assert.deepEqual((s[1] as ImapValue[]).slice(0, 2), ['message', 'rfc822']);
  assert.equal(s[2], 'digest');
});

test('case of MIME atoms is kept; parameters without value are dropped; RFC 2231 pieces joined', () => {
  const pine = bs('mimetools-uppercase-mime-tokens-pine.eml');
  assert.equal(pine.at(-5), 'MIXED');
  assert.deepEqual((pine[0] as ImapValue[]).slice(0, 2), ['TEXT', 'PLAIN']);
  const sjis = bs('thunderbird-charset-utf8-token-with-sjis-body.eml');
  assert.deepEqual(sjis[2], ['charset', 'utf8']); // "charset=utf8;" - the empty parameter is dropped
  const sink = imapText(bs('mailparser-nodemailer-kitchen-sink.eml'));
  assert.ok(sink.includes('("filename*" "utf-8\'\'nyan%20cat%20%E2%9C%94.gif")'));
  assert.equal(imapText(bs1('Content-Type: text/plain (a comment); (another) charset=utf-8 (x)\n\nx\n')), '("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 3 1 NIL NIL NIL NIL)');
});

test('unparseable addresses get placeholders; groups are (NIL NIL "g" NIL) ... (NIL NIL NIL NIL)', () => {
  const bounce = env('cpython-msg43-amavis-bounce-long-delivery-status.eml');
  assert.equal(imapText(bounce[2]), '(("MAILER DAEMON" NIL "MISSING_MAILBOX" "MISSING_DOMAIN"))');
  const arf = bs('mimekit-arf-feedback-report-with-bom.eml');
  const inner = (arf[2] as ImapValue[])[7] as ImapValue[];
  assert.equal(imapText(inner[5]), '((NIL NIL "Undisclosed" "SYNTAX_ERROR"))');
  const groups = env('imaptest-envelope-groups-and-comment-name.eml');
  assert.equal(imapText(groups[6]), '((NIL NIL "group" NIL) (NIL NIL NIL NIL) (NIL NIL "group2" NIL) (NIL NIL NIL NIL))');
});

test('raw 8-bit header bytes are returned unchanged', () => {
  const date = env('thunderbird-8bit-date-comment-145kb.eml')[0] as string;
  assert.match(date, /Westeurop\xe4ische/);
  const param = bs1('Content-Type: text/plain; name="\xe4\xba\xba.txt"\n\nx\n') as ImapValue[];
  assert.deepEqual(param[2], ['name', '\xe4\xba\xba.txt', 'charset', 'us-ascii']);
});

test('bare LF is served as CRLF and the size counts CRLF', () => {
  const file = 'mime4j-multipart-lf-only-with-epilogue.eml';
  const original = readFileSync(CORPUS_DIR + file);
  const stored = corpus(file);
  const lfs = original.toString('latin1').split('\n').length - 1;
  assert.equal(stored.length, original.length + lfs);
  const { parsed } = parse(stored);
  assert.equal(parsed.size, stored.length);
  assert.equal(fetchSection(stored, parsed, { path: [] }).toString('latin1'), original.toString('latin1').replace(/\n/g, '\r\n'));
});

test('a message with no header block returns the whole message as BODY[HEADER]', () => {
  const { raw, parsed } = parse(corpus('mime4j-no-header-no-blank-line.eml'));
  assert.deepEqual(fetchSection(raw, parsed, { path: [], text: 'HEADER' }), raw);
});

test('nonexistent sections are "", [1.MIME] of a single part is the header, no HEADER.FIELDS match is "\\r\\n"', () => {
  const { raw, parsed } = parse(corpus('imaptest-envelope-all-fields.eml'));
  assert.equal(fetchSection(raw, parsed, { path: [3] }).length, 0);
  assert.equal(fetchSection(raw, parsed, { path: [1, 2], text: 'MIME' }).length, 0);
  assert.deepEqual(fetchSection(raw, parsed, { path: [1], text: 'MIME' }), fetchSection(raw, parsed, { path: [], text: 'HEADER' }));
  assert.equal(fetchSection(raw, parsed, { path: [], text: 'HEADER.FIELDS', fields: ['X-Nothing'] }).toString('latin1'), '\r\n');
});

test('SEARCH BODY text comes from decoded text parts, not application/*', () => {
  const base64Text = parse(corpus('mime4j-text-plain-base64-containing-mime.eml'));
  const decoded = decodedBodyText(base64Text.raw, base64Text.parsed);
  assert.ok(!/^[A-Za-z0-9+/=\r\n]+$/.test(decoded)); // not the base64 itself
  const attachedEml = parse(corpus('thunderbird-eml-attached-as-octet-stream.eml'));
  const bodyOnly = decodedBodyText(attachedEml.raw, attachedEml.parsed);
  const octet = fetchSection(attachedEml.raw, attachedEml.parsed, { path: [2] }).toString('latin1').replace(/\s/g, '');
  assert.ok(!bodyOnly.replace(/\s/g, '').includes(octet.slice(0, 20)));
  const zip = parse(corpus('mox-dmarc-report-top-level-zip.eml'));
  assert.equal(decodedBodyText(zip.raw, zip.parsed), '');
});
