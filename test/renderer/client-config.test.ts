import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appleMobileconfig, thunderbirdAutoconfig } from '../../renderer/features/clients/client-config.js';

test('Thunderbird autoconfig names the server, ports and socket types for every protocol', () => {
  const text = thunderbirdAutoconfig('example.com', 'mail.example.com');
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<clientConfig version="1\.1">/);
  assert.match(text, /<emailProvider id="example\.com">/);
  const servers = [...text.matchAll(/<(incoming|outgoing)Server type="(\w+)">\s*<hostname>([^<]+)<\/hostname>\s*<port>(\d+)<\/port>\s*<socketType>(\w+)<\/socketType>/g)].map((m) => `${m[2]}:${m[4]}:${m[5]}`);
  assert.deepEqual(servers, ['imap:993:SSL', 'imap:143:STARTTLS', 'pop3:995:SSL', 'pop3:110:STARTTLS', 'smtp:587:STARTTLS', 'smtp:465:SSL']);
  assert.equal(text.match(/<username>%EMAILADDRESS%<\/username>/g)?.length, 6);
  assert.match(thunderbirdAutoconfig('a&b.example', 'h'), /a&amp;b\.example/);
});

test('the Apple profile holds one IMAP account for the address, with fresh UUIDs and no password', () => {
  let n = 0;
  const text = appleMobileconfig('alice@example.com', 'Alice <A>', 'mail.example.com', () => `UUID-${++n}`);
  assert.match(text, /<key>EmailAddress<\/key>\s*<string>alice@example\.com<\/string>/);
  assert.match(text, /<key>IncomingMailServerHostName<\/key>\s*<string>mail\.example\.com<\/string>/);
  assert.match(text, /<key>IncomingMailServerPortNumber<\/key>\s*<integer>993<\/integer>/);
  assert.match(text, /<key>OutgoingMailServerPortNumber<\/key>\s*<integer>587<\/integer>/);
  assert.match(text, /<key>EmailAccountName<\/key>\s*<string>Alice &lt;A&gt;<\/string>/);
  assert.match(text, /<key>PayloadIdentifier<\/key>\s*<string>mail\.mailroom\.com\.example<\/string>/);
  assert.deepEqual([...text.matchAll(/<string>(UUID-\d)<\/string>/g)].map((m) => m[1]), ['UUID-1', 'UUID-2']);
  assert.doesNotMatch(text, /Password<\/key>\s*<string>/, 'no password in the file');
});
