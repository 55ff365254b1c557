// The autoconfig listener of a running `mailroom serve`, asked as Thunderbird and Outlook ask it
// (curl with the real Host name, and fetch): the running ports, only hosted domains, clear refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runCli, serve } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

const run = promisify(execFile);

const OUTLOOK_REQUEST = (address: string, schema = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a') => `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>${address}</EMailAddress>
    <AcceptableResponseSchema>${schema}</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;

/** curl as a client would ask: the real host name (resolved to loopback), status and body. */
async function curl(port: number, host: string, path: string, extra: string[] = []): Promise<{ status: number; type: string; body: string }> {
  const { stdout } = await run('curl', ['-sS', '--resolve', `${host}:${port}:127.0.0.1`, '-w', '\n%{http_code} %{content_type}', ...extra, `http://${host}:${port}${path}`]);
  const cut = stdout.lastIndexOf('\n');
  const [status, ...type] = stdout.slice(cut + 1).split(' ');
  return { status: Number(status), type: type.join(' '), body: stdout.slice(0, cut) };
}

const servers = (xml: string) =>
  [...xml.matchAll(/<(incoming|outgoing)Server type="(\w+)">\s*<hostname>([^<]+)<\/hostname>\s*<port>(\d+)<\/port>\s*<socketType>(\w+)<\/socketType>/g)].map((m) => `${m[2]}@${m[3]}:${m[4]}:${m[5]}`);

test('Thunderbird and Outlook get the running ports for hosted domains, and clear refusals for the rest', async (t) => {
  const dataDir = tempDir(t);
  for (const args of [['domain', 'add', 'example.com'], ['domain', 'add', 'off.example'], ['domain', 'disable', 'off.example'], ['config', 'set', 'hostname', 'mail.example.com']]) {
    const r = await runCli(['--data-dir', dataDir, ...args]);
    assert.equal(r.code, 0, r.stderr);
  }
  const server = await serve(dataDir);
  t.after(() => server.stop());
  const ports = server.ready.ports;
  const port = ports.autoconfig;
  assert.ok(port > 0, `the ready line names the autoconfig listener: ${JSON.stringify(ports)}`);

  // Thunderbird: autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=…, and the domain's own .well-known path.
  const expected = [`imap@mail.example.com:${ports.imaps}:SSL`, `imap@mail.example.com:${ports.imap}:STARTTLS`, `pop3@mail.example.com:${ports.pop3s}:SSL`, `pop3@mail.example.com:${ports.pop3}:STARTTLS`, `smtp@mail.example.com:${ports.submission}:STARTTLS`, `smtp@mail.example.com:${ports.submissions}:SSL`];
  const tb = await curl(port, 'autoconfig.example.com', '/mail/config-v1.1.xml?emailaddress=alice%40example.com');
  assert.equal(tb.status, 200, tb.body);
  assert.match(tb.type, /^application\/xml/);
  assert.deepEqual(servers(tb.body), expected);
  assert.match(tb.body, /<domain>example\.com<\/domain>/);
  const byHost = await curl(port, 'autoconfig.example.com', '/mail/config-v1.1.xml');
  assert.deepEqual([byHost.status, servers(byHost.body)], [200, expected], 'without emailaddress the Host name says the domain');
  const wellKnown = await curl(port, 'example.com', '/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=Bob%40Example.COM');
  assert.deepEqual([wellKnown.status, servers(wellKnown.body)], [200, expected]);
  const head = await curl(port, 'example.com', '/.well-known/autoconfig/mail/config-v1.1.xml', ['-I']);
  assert.equal(head.status, 200);

  // Refusals: someone else's domain, a disabled one, a bad address, a wrong method or path.
  const other = await curl(port, 'autoconfig.example.org', '/mail/config-v1.1.xml?emailaddress=eve%40example.org');
  assert.deepEqual([other.status, other.body.trim()], [404, 'This server does not host mail for eve@example.org.']);
  assert.equal((await curl(port, 'autoconfig.off.example', '/mail/config-v1.1.xml')).status, 404, 'a disabled domain is not answered');
  const bad = await curl(port, 'autoconfig.example.com', '/mail/config-v1.1.xml?emailaddress=no-at-sign');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /^emailaddress: "no-at-sign" is not an email address: it has no @\./);
  const noDomain = await curl(port, '127.0.0.1', '/mail/config-v1.1.xml');
  assert.equal(noDomain.status, 400);
  assert.match(noDomain.body, /emailaddress=user@example\.com/);
  const post = await curl(port, 'autoconfig.example.com', '/mail/config-v1.1.xml', ['-X', 'POST']);
  assert.equal(post.status, 405);
  assert.equal((await curl(port, 'autoconfig.example.com', '/admin')).status, 404);

  // Outlook: POST /autodiscover/autodiscover.xml (any case) with its request schema.
  const base = `http://127.0.0.1:${port}`;
  const discover = (body: string, path = '/autodiscover/autodiscover.xml', init: RequestInit = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'text/xml' }, body, ...init });
  const ok = await discover(OUTLOOK_REQUEST('alice@example.com'), '/Autodiscover/Autodiscover.xml');
  const okText = await ok.text();
  assert.equal(ok.status, 200, okText);
  const protocols = [...okText.matchAll(/<Type>(\w+)<\/Type>\s*<Server>([^<]+)<\/Server>\s*<Port>(\d+)<\/Port>[\s\S]*?<LoginName>([^<]+)<\/LoginName>[\s\S]*?<Encryption>(\w+)<\/Encryption>/g)].map((m) => m.slice(1).join(' '));
  assert.deepEqual(protocols.slice(0, 1), [`IMAP mail.example.com ${ports.imaps} alice@example.com SSL`]);
  assert.ok(protocols.includes(`SMTP mail.example.com ${ports.submission} alice@example.com TLS`), protocols.join('\n'));
  assert.match(okText, /<AccountType>email<\/AccountType>\s*<Action>settings<\/Action>/);

  const unknown = await discover(OUTLOOK_REQUEST('eve@example.org'));
  assert.equal(unknown.status, 404);
  assert.match(await unknown.text(), /<ErrorCode>603<\/ErrorCode>\s*<Message>This server does not host mail for eve@example\.org\.<\/Message>/);
  const missing = await discover('<Autodiscover><Request></Request></Autodiscover>');
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /<ErrorCode>600<\/ErrorCode>\s*<Message>The Autodiscover request has no &lt;EMailAddress&gt;\.<\/Message>/);
  const activeSync = await discover(OUTLOOK_REQUEST('alice@example.com', 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006'));
  assert.equal(activeSync.status, 400);
  assert.match(await activeSync.text(), /Only the Outlook response schema/);
  const json = await discover('{}', undefined, { headers: { 'content-type': 'application/json' } });
  assert.equal(json.status, 415);
  const huge = await discover(`<Autodiscover>${'x'.repeat(70_000)}</Autodiscover>`);
  assert.equal(huge.status, 413);
  const get = await fetch(`${base}/autodiscover/autodiscover.xml`);
  assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST']);

  // Apple: a configuration profile for any address at a hosted domain.
  const apple = await fetch(`${base}/mobileconfig?emailaddress=alice@example.com`);
  const profile = await apple.text();
  assert.equal(apple.status, 200, profile);
  assert.equal(apple.headers.get('content-type'), 'application/x-apple-aspen-config');
  assert.match(profile, new RegExp(`<key>IncomingMailServerPortNumber</key>\\s*<integer>${ports.imaps}</integer>`));
  assert.equal((await fetch(`${base}/mobileconfig`)).status, 400);
});

test('autoconfigEnabled false keeps the listener off', async (t) => {
  const dataDir = tempDir(t);
  const set = await runCli(['--data-dir', dataDir, 'config', 'set', 'autoconfigEnabled', 'false']);
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /autoconfigEnabled = false \(takes effect at the next start\)/);
  const server = await serve(dataDir);
  t.after(() => server.stop());
  assert.equal(server.ready.ports.autoconfig, undefined);
  assert.equal(server.ready.failed, undefined, 'off is not failed');
  assert.ok(server.ready.ports.imaps > 0);
});
