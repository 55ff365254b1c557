import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatImapDateTime, parseImapDate, parseImapDateTime } from '../../../../server/imap/wire/index.js';

describe('IMAP dates', () => {
  it('parses date-text as a calendar day', () => {
    assert.equal(parseImapDate('1-Feb-1994'), '1994-02-01');
    assert.equal(parseImapDate('01-feb-1994'), '1994-02-01');
    assert.equal(parseImapDate('29-Feb-2024'), '2024-02-29');
    for (const bad of ['29-Feb-2023', '0-Jan-2000', '32-Jan-2000', '1-Foo-2000', '1-Feb-94', '1 Feb 1994', '100-Jan-2000']) {
      assert.equal(parseImapDate(bad), null, bad);
    }
  });

  it('parses date-time as an instant', () => {
    assert.equal(parseImapDateTime('17-Jul-1996 02:44:25 -0700')?.toISOString(), '1996-07-17T09:44:25.000Z');
    assert.equal(parseImapDateTime(' 7-Feb-1994 21:52:25 +0130')?.toISOString(), '1994-02-07T20:22:25.000Z');
    assert.equal(parseImapDateTime('7-Feb-1994 21:52:25 +0000')?.toISOString(), '1994-02-07T21:52:25.000Z');
    for (const bad of ['17-Jul-1996 24:00:00 +0000', '17-Jul-1996 02:60:00 +0000', '17-Jul-1996 02:44:25 -0760', '17-Jul-1996 02:44:25', '17-Jul-1996 2:44:25 +0000']) {
      assert.equal(parseImapDateTime(bad), null, bad);
    }
  });

  it('formats date-time with a space-padded day and the zone', () => {
    const instant = Date.UTC(1996, 6, 17, 9, 44, 25);
    assert.equal(formatImapDateTime(instant, -420), '17-Jul-1996 02:44:25 -0700');
    assert.equal(formatImapDateTime(new Date(Date.UTC(1994, 1, 7, 5, 3, 9))), ' 7-Feb-1994 05:03:09 +0000');
    assert.equal(formatImapDateTime(0, 330), ' 1-Jan-1970 05:30:00 +0530');
    assert.equal(parseImapDateTime(formatImapDateTime(instant, 90))?.getTime(), instant);
  });
});
