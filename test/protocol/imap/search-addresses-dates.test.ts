// SEARCH as Dovecot answers it (imaptest search-addresses, search-date, search-body): FROM/TO/CC/BCC
// match parsed addresses and display names, SENT* the Date: header's own calendar day, TEXT the
// headers of attached messages too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startImap } from './harness.js';
import { untagged, type Result } from './client.js';

const numbers = (r: Result) => untagged(r, 'SEARCH')[0].values.slice(1);
const mail = (headers: string[], body = 'body') => [...headers, '', body, ''].join('\r\n');

test('FROM/TO/CC/BCC match the parsed address and display name, not the raw text', async (t) => {
  const f = await startImap(t);
  await f.deliver(mail(['From: <user-from (comment)@ (comment) domain.org>', 'To: RealTo <user-to@domain.org>']));
  await f.deliver(mail(['From: user-from@domain.org (RealFrom)', 'Cc: user-cc@domain.org']));
  await f.deliver(mail(['From: other@domain.org', 'To: groupname: groupuser1@domain.org, groupuser2@domain.org;, empty:;']));
  const c = await f.selected();
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FROM user-from@domain.org')), [1, 2], 'comments inside the addr-spec are not text');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FROM realfrom')), [2], 'a trailing comment is the display name');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TO realto')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TO groupname')), [3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TO groupuser2')), [3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TO empty')), [3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH CC ser-c')), [2], 'substrings of the address');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH HEADER CC ""')), [2], 'existence');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FROM comment')), [], 'comments are not searched');
  await c.logout();
});

test('an address search skips parsing fields that lack its letters, without missing what parsing would find', async (t) => {
  const f = await startImap(t);
  await f.deliver(mail(['From: "Ann Sm\\ith" <ann@domain.org>'])); // a quoted pair joins "ann smith" only when parsed
  await f.deliver(mail(['From: ann . smith @ domain . org'])); // obsolete spacing: parsed as ann.smith@domain.org
  await f.deliver(mail(['From: Bob <bob@domain.org>']));
  const c = await f.selected();
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FROM carol')), [], 'this first search fills the header cache the next ones are prefiltered on');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FROM "ann smith"')), [1], 'the quoted pair is undone before matching');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FROM ann.smith@domain.org')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FROM smith@dom')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FROM "bob <bob@"')), [3]);
  await c.logout();
});

test('SENTON/SENTBEFORE/SENTSINCE use the Date: header\'s own calendar day, across zones', async (t) => {
  const f = await startImap(t);
  // The same instant, 2007-03-24 22:30 UTC, written in three zones: three different calendar days.
  await f.deliver(mail(['Date: Sat, 24 Mar 2007 23:30:00 +0100', 'Subject: a']), { internalDate: Date.UTC(2007, 2, 24, 22, 30) });
  await f.deliver(mail(['Date: Sun, 25 Mar 2007 01:30:00 +0300', 'Subject: b']), { internalDate: Date.UTC(2007, 2, 24, 22, 30) });
  await f.deliver(mail(['Date: Sat, 24 Mar 2007 12:30:00 -1000', 'Subject: c']), { internalDate: Date.UTC(2007, 2, 24, 22, 30) });
  await f.deliver(mail(['Subject: no date']), { internalDate: Date.UTC(2007, 2, 26, 10) });
  const c = await f.selected();
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SENTON 24-Mar-2007')), [1, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SENTON 25-Mar-2007')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SENTBEFORE 25-Mar-2007')), [1, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SENTSINCE 25-Mar-2007')), [2, 4]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SENTON 26-Mar-2007')), [4], 'no Date: falls back to INTERNALDATE');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH ON 24-Mar-2007')), [1, 2, 3], 'INTERNALDATE stays UTC');
  await c.logout();
});

test('TEXT covers the headers of an attached message; BODY does not', async (t) => {
  const f = await startImap(t);
  await f.deliver(
    mail(
      ['From: a@example.com', 'Subject: fwd', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
      ['--b', 'Content-Type: text/plain', '', 'see attached', '--b', 'Content-Type: message/rfc822', '', 'From: inner@example.net', 'Subject: quarterly figures', '', 'inner body', '--b--'].join('\r\n'),
    ),
  );
  const c = await f.selected();
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TEXT "quarterly figures"')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TEXT inner@example.net')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH BODY "inner body"')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SUBJECT quarterly')), [], 'SUBJECT is the outer header only');
  await c.logout();
});
