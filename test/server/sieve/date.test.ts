// RFC 5260 date and index: the RFC examples, every date part, zones and :index/:last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datePart } from '../../../server/sieve/ext/date.js';
import { actions, errors, passes } from './helpers.js';

const BOSS = `From: boss@example.com
Date: Wed, 02 Dec 2026 10:15:00 -0500
Received: from a by b; Sat, 05 Dec 2026 23:30:00 +0000
Received: from c by d; Fri, 04 Dec 2026 08:00:00 +0100

x
`;

test('§7 example: office hours in the original zone', async () => {
  const script = `require ["date", "relational", "fileinto"];
if allof(header :is "from" "boss@example.com",
         date :value "ge" :originalzone "date" "hour" "09",
         date :value "lt" :originalzone "date" "hour" "17")
{ fileinto "urgent"; }`;
  assert.deepEqual(await actions(script, BOSS), ['fileinto urgent']);
  assert.deepEqual(await actions(script.replace(/:originalzone/g, ':zone "+0900"'), BOSS), ['implicit keep']);
});

test('§7 example: weekend mail by the Received date (after the last ";")', async () => {
  const script = `require ["date", "relational", "fileinto"];
if anyof(date :is "received" "weekday" "0",
         date :is "received" "weekday" "6")
{ fileinto "weekend"; }`;
  assert.deepEqual(await actions(script, BOSS), ['fileinto weekend']);
  assert.deepEqual(await actions(script.replace(/"received"/g, ':index 2 "received"').replace('require ["date"', 'require ["index", "date"'), BOSS), ['implicit keep']);
});

test('§7 examples: currentdate ranges and date parts in variables', async () => {
  const vacation = `require ["date", "relational", "vacation"];
if allof(currentdate :value "ge" "date" "2026-11-30",
         currentdate :value "le" "date" "2026-12-07")
{ vacation :days 7  "I'm away during the first week in December."; }`;
  assert.deepEqual(await actions(vacation), ['vacation 604800s', 'implicit keep']);
  assert.deepEqual(await actions(vacation, undefined, { now: new Date('2027-01-01T00:00:00Z') }), ['implicit keep']);
  const folder = `require ["date", "variables", "fileinto"];
if currentdate :matches "month" "*" { set "month" "\${1}"; }
if currentdate :matches "year"  "*" { set "year"  "\${1}"; }
fileinto "\${month}-\${year}";`;
  assert.deepEqual(await actions(folder), ['fileinto 12-2026']);
});

test('every date part', () => {
  const ms = Date.UTC(2009, 1, 14, 23, 31, 30); // Sat, 14 Feb 2009 23:31:30 UTC
  const parts = ['year', 'month', 'day', 'date', 'julian', 'hour', 'minute', 'second', 'time', 'iso8601', 'std11', 'zone', 'weekday'];
  assert.deepEqual(
    parts.map((p) => datePart(ms, 60, p)),
    ['2009', '02', '15', '2009-02-15', '54877', '00', '31', '30', '00:31:30', '2009-02-15T00:31:30+01:00', 'Sun, 15 Feb 2009 00:31:30 +0100', '+0100', '0'],
  );
  assert.equal(datePart(ms, -330, 'zone'), '-0530');
  assert.equal(datePart(ms, 0, 'frop'), null);
});

test('default zone is the environment zone; missing or unreadable dates never match', async () => {
  const m = 'Date: Wed, 02 Dec 2026 23:30:00 +0000\n\nx\n';
  assert.equal(await passes('"date"', 'date :is "date" "day" "02"', m), true);
  assert.equal(await passes('"date"', 'date :is "date" "day" "03"', m, { zoneOffsetMinutes: 60 }), true);
  assert.equal(await passes('"date"', 'date :matches "x-missing" "date" "*"', m), false);
  assert.equal(await passes('"date"', 'date :matches "date" "date" "*"', 'Date: soon\n\nx\n'), false);
});

test('index: :index N and :last pick one field of the header', async () => {
  const m = 'X-A: one\nX-A: two\nX-A: three\n\nx\n';
  assert.equal(await passes('"index"', 'header :index 2 :is "x-a" "two"', m), true);
  assert.equal(await passes('"index"', 'header :index 1 :last :is "x-a" "three"', m), true);
  assert.equal(await passes('"index"', 'header :index 1 :is "x-a" "two"', m), false);
  assert.equal(await passes('"index"', 'header :index 4 :matches "x-a" "*"', m), false);
  assert.equal(await passes('"index"', 'address :index 2 :is "to" "b@y.example"', 'To: a@x.example\nTo: b@y.example\n\nx\n'), true);
});

test('date and index compile errors', () => {
  assert.deepEqual(errors('require "date"; if date :is "date" "frop" "1" { }'), [
    'line 1, column 36: "frop" is not a date part (year, month, day, date, julian, hour, minute, second, time, iso8601, std11, zone, weekday).',
  ]);
  assert.deepEqual(errors('require "date"; if currentdate :zone "CET" "year" "1" { }'), ['line 1, column 38: "CET" is not a time zone like "+0100" or "-0500".']);
  assert.deepEqual(errors('require "index"; if header :last "a" "b" { }'), ['line 1, column 21: :last needs :index.']);
  assert.deepEqual(errors('require "index"; if header :index 0 "a" "b" { }'), ['line 1, column 35: :index counts fields from 1.']);
  assert.deepEqual(errors('require "date"; if exists :index 1 "a" { }'), ['line 1, column 27: unknown tag ":index" for exists.']);
});
