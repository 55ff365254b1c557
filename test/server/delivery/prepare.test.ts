import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareDelivery, receivedHeader, rfc5322Date, type TransactionInfo } from '../../../server/delivery/prepare.js';
import { encodeImapValue } from '../../../server/imap/wire/encoder.js';
import type { ImapValue } from '../../../server/mime/index.js';

const info: TransactionInfo = {
  id: 'abc.1',
  hostname: 'mx.local.example',
  helo: 'laptop.example',
  clientHostname: 'laptop.example',
  ip: '::ffff:192.0.2.7',
  protocol: 'ESMTPSA',
  tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  authenticatedAs: 'alice@local.example',
  sender: 'alice@local.example',
};

const AT = Date.UTC(2026, 0, 2, 3, 4, 5);

test('Received header: Postfix layout with TLS and authenticated sender, "for" only for one recipient', () => {
  assert.equal(
    receivedHeader(info, ['bob@local.example'], AT),
    'Received: from laptop.example (laptop.example [192.0.2.7])\r\n' +
      '\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n' +
      '\t(Authenticated sender: alice@local.example)\r\n' +
      '\tby mx.local.example (Mailroom) with ESMTPSA id abc.1\r\n' +
      '\tfor <bob@local.example>; Fri, 2 Jan 2026 03:04:05 +0000\r\n',
  );
  const plain = receivedHeader({ ...info, tls: null, authenticatedAs: null, protocol: 'ESMTP', ip: '2001:db8::1', clientHostname: '[2001:db8::1]' }, ['a@x', 'b@y'], AT);
  assert.equal(plain, 'Received: from laptop.example ([2001:db8::1] [IPv6:2001:db8::1])\r\n\tby mx.local.example (Mailroom) with ESMTP id abc.1;\r\n\tFri, 2 Jan 2026 03:04:05 +0000\r\n');
  assert.equal(rfc5322Date(Date.UTC(2026, 11, 31, 23, 59, 59)), 'Thu, 31 Dec 2026 23:59:59 +0000');
});

test('one shared blob, a Return-Path/Delivered-To prefix per account, duplicates merged, remote queued', () => {
  const raw = Buffer.from('Subject: hi\nMessage-ID: <m1@x>\n\nbody\n');
  const target = (accountId: number, address: string) => ({ accountId, address, mailboxId: accountId * 10 });
  const prepared = prepareDelivery({
    raw,
    info,
    now: AT,
    recipients: [
      { address: 'team@local.example', route: { local: [target(1, 'alice@local.example'), target(2, 'bob@local.example')], remote: ['Friend@remote.example'] } },
      { address: 'bob@local.example', route: { local: [target(2, 'bob@local.example')], remote: [] } },
      { address: 'friend@remote.example', route: { local: [], remote: ['friend@remote.example'] } },
    ],
  });
  const { delivery } = prepared;
  assert.ok(delivery.bytes.toString().startsWith('Received: from laptop.example'));
  assert.ok(delivery.bytes.toString().endsWith('Subject: hi\r\nMessage-ID: <m1@x>\r\n\r\nbody\r\n'), 'normalised to CRLF');
  assert.deepEqual(delivery.local.map((c) => [c.mailboxId, c.prefix.toString()]), [
    [10, 'Return-Path: <alice@local.example>\r\nDelivered-To: alice@local.example\r\n'],
    [20, 'Return-Path: <alice@local.example>\r\nDelivered-To: bob@local.example\r\n'],
  ]);
  assert.deepEqual(delivery.remote, { sender: 'alice@local.example', recipients: ['Friend@remote.example'], messageId: '<m1@x>' });
  assert.equal(prepared.messageId, '<m1@x>');
  const copy = delivery.local[1];
  const full = Buffer.concat([copy.prefix, delivery.bytes]);
  const parts = JSON.parse(copy.parts) as { size: number; root: { headerStart: number; headerEnd: number; bodyStart: number; bodyEnd: number } };
  assert.equal(parts.size, full.length);
  assert.equal(parts.root.headerStart, 0);
  assert.equal(full.subarray(parts.root.bodyStart, parts.root.bodyEnd).toString(), 'body\r\n');
  assert.equal((JSON.parse(copy.envelope) as unknown[])[1], 'hi');
  assert.equal(copy.envelopeWire, encodeImapValue(JSON.parse(copy.envelope) as ImapValue), 'the wire ENVELOPE is stored at delivery');
});
