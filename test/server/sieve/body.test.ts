// RFC 5173 body: the RFC examples and the transforms (Pigeonhole body/*.svtest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actions, errors, passes } from './helpers.js';

const MULTIPART = `From: a@b.example
Subject: plans
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

This is the prologue.
--XX
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

The missile launch is at dawn. Caf=C3=A9 later.
--XX
Content-Type: text/html

<p>Bring the <b>coordinates</b> &amp; maps</p>
--XX
Content-Type: audio/mp3
Content-Transfer-Encoding: base64

SUQzAwAAAAAA
--XX--
`;

test('RFC 5173 §7 examples: :content "text" and "audio/mp3"', async () => {
  const script = `require ["body", "fileinto"];
if body :content "text" :contains ["missile", "coordinates"] {
    fileinto "secrets";
}
if body :content "audio/mp3" :contains "" {
    fileinto "jukebox";
}`;
  assert.deepEqual(await actions(script, MULTIPART), ['fileinto secrets', 'fileinto jukebox']);
  assert.deepEqual(await actions(script), ['implicit keep']);
});

test(':text reads decoded text parts, HTML without tags; :raw the undecoded body', async () => {
  assert.equal(await passes('"body"', 'body :text :contains "Café later"', MULTIPART), true);
  assert.equal(await passes('"body"', 'body :contains "coordinates & maps"', MULTIPART), true);
  assert.equal(await passes('"body"', 'body :contains "<b>"', MULTIPART), false);
  assert.equal(await passes('"body"', 'body :raw :contains "Caf=C3=A9"', MULTIPART), true);
  assert.equal(await passes('"body"', 'body :raw :contains "prologue"', MULTIPART), true);
  assert.equal(await passes('"body"', 'body :contains "prologue"', MULTIPART), false);
  assert.equal(await passes('"body"', 'body :content "text/html" :contains "<b>coordinates</b>"', MULTIPART), true);
  assert.equal(await passes('"body"', 'body :content "image" :contains ""', MULTIPART), false);
});

test('a single-part message body and :matches with match variables', async () => {
  assert.equal(await passes('"body"', 'body :contains "how are you"'), true);
  assert.deepEqual(await actions('require ["body", "variables", "fileinto"]; if body :matches "*Bob,*" { fileinto "${1}|${2}"; }'), ['fileinto Hi |\r\nhow are you?\r\n']);
});

test('only one transform at a time', () => {
  assert.deepEqual(errors('require "body"; if body :raw :text "x" { }'), ['line 1, column 30: ":text" cannot be combined with ":raw".']);
});
