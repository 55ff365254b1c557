// DSN construction (RFC 3464 / RFC 6522), reply classification and the retry schedule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDsn, readDsnParams, wantsFailureNotice } from '../../../server/delivery/outbound/dsn.js';
import { fromReply, localResult } from '../../../server/delivery/outbound/results.js';
import { retryDelay, expired } from '../../../server/delivery/outbound/schedule.js';
import { parseMessage } from '../../../server/mime/index.js';

const MIN = 60_000;
const original = Buffer.from('From: a@local.test\r\nSubject: R\xe9sum\xe9\r\n\r\nBody line\r\n', 'latin1');

function report(overrides: Partial<Parameters<typeof buildDsn>[0]> = {}) {
  return buildDsn({
    hostname: 'mail.local.test',
    queueId: 'ABC123',
    sender: 'a@local.test',
    arrivalDate: Date.UTC(2026, 0, 1),
    now: Date.UTC(2026, 0, 2),
    failed: [{ result: fromReply('b@far.test', '550-5.1.1 no\r\n550 5.1.1 such user', 'mx.far.test'), lastAttemptAt: Date.UTC(2026, 0, 2) }],
    original,
    returnFull: false,
    ...overrides,
  });
}

test('a DSN is a multipart/report with a readable part, a delivery-status part and the original headers', () => {
  const { bytes, messageId } = report();
  const text = bytes.toString('latin1');
  assert.match(messageId, /^<ABC123\.[0-9a-f]{16}@mail\.local\.test>$/);
  assert.ok(text.includes(`\r\nMessage-ID: ${messageId}\r\n`));
  assert.match(text, /\r\nTo: <a@local\.test>\r\n/);
  assert.match(text, /\r\nDate: Fri, 2 Jan 2026 00:00:00 \+0000\r\n/);
  const parsed = parseMessage(bytes);
  const [human, status, headers] = parsed.root.parts!;
  assert.match(bytes.toString('latin1', human.bodyStart, human.bodyEnd), /<b@far\.test>: host mx\.far\.test said: 550-5\.1\.1 no 550 5\.1\.1 such user\r\n$/);
  assert.equal(
    bytes.toString('latin1', status.bodyStart, status.bodyEnd),
    [
      'Reporting-MTA: dns; mail.local.test',
      'X-Mailroom-Queue-ID: ABC123',
      'Arrival-Date: Thu, 1 Jan 2026 00:00:00 +0000',
      '',
      'Final-Recipient: rfc822; b@far.test',
      'Action: failed',
      'Status: 5.1.1',
      'Remote-MTA: dns; mx.far.test',
      'Diagnostic-Code: smtp; 550-5.1.1 no 550 5.1.1 such user',
      'Last-Attempt-Date: Fri, 2 Jan 2026 00:00:00 +0000',
      '',
    ].join('\r\n'),
  );
  assert.equal(bytes.toString('latin1', headers.bodyStart, headers.bodyEnd), 'From: a@local.test\r\nSubject: R\xe9sum\xe9\r\n');
  assert.match(text, /Content-Type: text\/rfc822-headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\n/);
  assert.ok(text.endsWith('--\r\n'));
  for (const line of text.split('\r\n')) assert.ok(line.length <= 998);
});

test('RET=FULL returns the whole message; ENVID and ORCPT are echoed; our own failures say X-Mailroom', () => {
  const { bytes } = report({
    returnFull: true,
    envid: 'env-42',
    failed: [{ result: localResult('c@far.test', 'permanent', '5.1.2', 'Host or domain name not found: far.test'), orcpt: 'rfc822;C@far.test', lastAttemptAt: 0 }],
  });
  const text = bytes.toString('latin1');
  assert.match(text, /Original-Envelope-Id: env-42\r\n/);
  assert.match(text, /Original-Recipient: rfc822;C@far\.test\r\nFinal-Recipient: rfc822; c@far\.test\r\nAction: failed\r\nStatus: 5\.1\.2\r\nDiagnostic-Code: X-Mailroom; Host or domain name not found: far\.test\r\n/);
  assert.doesNotMatch(text, /Remote-MTA/);
  assert.match(text, /Content-Type: message\/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\nFrom: a@local\.test\r\nSubject: R.sum.\r\n\r\nBody line\r\n\r\n--/);
  assert.equal(parseMessage(bytes).root.parts!.length, 3);
});

test('DSN parameters are read leniently, and NOTIFY decides whether a failure is reported', () => {
  assert.deepEqual(readDsnParams(null), {});
  assert.deepEqual(readDsnParams({ ret: 'bogus' }), {});
  assert.deepEqual(readDsnParams({ ret: 'FULL', notify: ['FAILURE', 'DELAY'] }), { ret: 'FULL', notify: ['FAILURE', 'DELAY'] });
  assert.equal(wantsFailureNotice({}), true);
  assert.equal(wantsFailureNotice({ notify: ['NEVER'] }), false);
  assert.equal(wantsFailureNotice({ notify: ['SUCCESS', 'DELAY'] }), false);
});

test('replies map to outcomes and statuses by class and enhanced code', () => {
  assert.deepEqual(
    [fromReply('x', '250 2.0.0 Ok: queued', 'h'), fromReply('x', '451 4.7.1 greylisted', 'h'), fromReply('x', '554 transaction failed', 'h'), fromReply('x', '550 4.1.1 mixed', 'h')].map((r) => [r.outcome, r.status]),
    [
      ['sent', '2.0.0'],
      ['temporary', '4.7.1'],
      ['permanent', '5.0.0'],
      ['permanent', '5.0.0'],
    ],
  );
});

test('retries back off exponentially between the minimum and the maximum; the lifetime is inclusive', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map((n) => retryDelay(n, 5 * MIN, 60 * MIN) / MIN), [5, 10, 20, 40, 60, 60, 60]);
  assert.equal(retryDelay(1, 0, 0), 0);
  assert.equal(retryDelay(3, 10 * MIN, MIN), 10 * MIN, 'a maximum below the minimum is the minimum');
  assert.equal(expired(0, 999, 1000), false);
  assert.equal(expired(0, 1000, 1000), true);
});
