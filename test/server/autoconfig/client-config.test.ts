import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PORTS } from '../../../server/settings.js';
import { appleMobileconfig, clientEndpoints, thunderbirdAutoconfig } from '../../../server/autoconfig/client-config.js';

const endpoints = clientEndpoints(DEFAULT_PORTS);

test('Thunderbird autoconfig names the server, ports and socket types for every protocol', () => {
  const text = thunderbirdAutoconfig('example.com', 'mail.example.com', endpoints);
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<clientConfig version="1\.1">/);
  assert.match(text, /<emailProvider id="example\.com">/);
  const servers = [...text.matchAll(/<(incoming|outgoing)Server type="(\w+)">\s*<hostname>([^<]+)<\/hostname>\s*<port>(\d+)<\/port>\s*<socketType>(\w+)<\/socketType>/g)].map((m) => `${m[2]}:${m[4]}:${m[5]}`);
  assert.deepEqual(servers, ['imap:993:SSL', 'imap:143:STARTTLS', 'pop3:995:SSL', 'pop3:110:STARTTLS', 'smtp:587:STARTTLS', 'smtp:465:SSL']);
  assert.equal(text.match(/<username>%EMAILADDRESS%<\/username>/g)?.length, 6);
  assert.match(thunderbirdAutoconfig('a&b.example', 'h', endpoints), /a&amp;b\.example/);
});

test('the Apple profile holds one IMAP account for the address, with fresh UUIDs and no password', () => {
  let n = 0;
  const text = appleMobileconfig('alice@example.com', 'Alice <A>', 'mail.example.com', endpoints, () => `UUID-${++n}`);
  assert.match(text, /<key>EmailAddress<\/key>\s*<string>alice@example\.com<\/string>/);
  assert.match(text, /<key>IncomingMailServerHostName<\/key>\s*<string>mail\.example\.com<\/string>/);
  assert.match(text, /<key>IncomingMailServerPortNumber<\/key>\s*<integer>993<\/integer>/);
  assert.match(text, /<key>OutgoingMailServerPortNumber<\/key>\s*<integer>587<\/integer>/);
  assert.match(text, /<key>EmailAccountName<\/key>\s*<string>Alice &lt;A&gt;<\/string>/);
  assert.match(text, /<key>PayloadIdentifier<\/key>\s*<string>mail\.mailroom\.com\.example<\/string>/);
  assert.deepEqual([...text.matchAll(/<string>(UUID-\d)<\/string>/g)].map((m) => m[1]), ['UUID-1', 'UUID-2']);
  assert.doesNotMatch(text, /Password<\/key>\s*<string>/, 'no password in the file');
});

test('the endpoints follow the running ports and leave out a listener that is off', () => {
  const e = clientEndpoints({ imap: 1143, imaps: 0, submission: 1587, submissions: 1465, smtp: 2525 });
  assert.deepEqual(e, [
    { protocol: 'IMAP', port: 1143, security: 'STARTTLS' },
    { protocol: 'SMTP', port: 1587, security: 'STARTTLS' },
    { protocol: 'SMTP', port: 1465, security: 'SSL/TLS' },
  ]);
  const profile = appleMobileconfig('a@example.com', '', 'h', e, () => 'U');
  assert.match(profile, /<key>IncomingMailServerPortNumber<\/key>\s*<integer>1143<\/integer>/);
  assert.throws(() => appleMobileconfig('a@example.com', '', 'h', e.slice(0, 1), () => 'U'), /SMTP/);
});
