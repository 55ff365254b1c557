import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate } from '../../../server/mime/date.js';

const utc = (iso: string): number => Date.parse(iso);

test('RFC 5322 dates with numeric zones', () => {
  assert.equal(parseDate('Sat, 01 Feb 2007 01:02:03 +0200'), utc('2007-01-31T23:02:03Z'));
  assert.equal(parseDate('Tue, 6 Jun 2000 03:20:11 -0430'), utc('2000-06-06T07:50:11Z'));
  assert.equal(parseDate('23 Oct 2003 22:25:56 -0700'), utc('2003-10-24T05:25:56Z'));
});

test('obsolete forms: 2-digit years, zone names, no seconds, comments', () => {
  assert.equal(parseDate('Wed, 11 Feb 98 11:51 CST'), utc('1998-02-11T17:51:00Z'));
  assert.equal(parseDate('Sun, 7 May 95 16:21:03 GMT'), utc('1995-05-07T16:21:03Z'));
  assert.equal(parseDate('Tue, 6 Jun 2000 03:20:11 UT'), utc('2000-06-06T03:20:11Z'));
  assert.equal(parseDate('Thu, 8 Mar 2005 17:40:36 EDT'), utc('2005-03-08T21:40:36Z'));
  assert.equal(parseDate('Wed, 20 Sep 1995 00:19:00 (EDT) -0400'), utc('1995-09-20T04:19:00Z'));
  assert.equal(parseDate('Fri, 26 Mar 1993 12:59:38 -0500 (EST)'), utc('1993-03-26T17:59:38Z'));
  assert.equal(parseDate('Mon, 1 Jan 01 00:00:00 +0000'), utc('2001-01-01T00:00:00Z'));
});

test('tolerates fractional seconds, unsigned zones and 8-bit comments', () => {
  assert.equal(parseDate('Tue, 17 Jul 2012 22:23:35.882 0000'), utc('2012-07-17T22:23:35Z'));
  assert.equal(parseDate('Wed, 9 Nov 2011 18:14:52 +0100 (Westeurop\xe4ische Normalzeit)'), utc('2011-11-09T17:14:52Z'));
  assert.equal(parseDate('Sat, 27 Nov 2004 03:35:30'), utc('2004-11-27T03:35:30Z'));
});

test('returns null when no date can be read', () => {
  for (const value of ['Whenever', 'Malformed Date.', '', '32 Jan 2020 00:00 +0000', '1 Foo 2020', '1 Jan 2020 25:00 +0000']) {
    assert.equal(parseDate(value), null, value);
  }
});
