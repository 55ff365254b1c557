// ManageSieve (RFC 5804) over a real loopback socket: greeting and capabilities, STARTTLS,
// AUTHENTICATE through the shared SASL layer, and the script commands with their response codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SCRIPT_SIZE } from '../../../../server/sieve/limits.js';
import { MAX_SCRIPTS_PER_ACCOUNT } from '../../../../server/sieve/managesieve/server.js';
import { scramClient } from '../../auth/scram-client.js';
import { Client, PASSWORD, plain, startServer, USER } from './harness.js';

const capabilityMap = (lines: string[]): Map<string, string | null> =>
  new Map(lines.map((l) => {
    const m = /^"([^"]+)"(?: "([^"]*)")?$/.exec(l);
    assert.ok(m, l);
    return [m[1], m[2] ?? null];
  }));

describe('ManageSieve before TLS, plaintext login not allowed', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => (server = await startServer({ plaintext: false })));
  after(() => server.stop());

  test('greets with capabilities: no SASL mechanisms yet, STARTTLS offered, every Sieve extension', async () => {
    const c = await Client.open(server.port);
    const greeting = await c.response();
    assert.equal(greeting.status, 'OK');
    const caps = capabilityMap(greeting.lines);
    assert.equal(caps.get('IMPLEMENTATION'), 'Mailroom');
    assert.equal(caps.get('SASL'), '');
    assert.ok(caps.has('STARTTLS'));
    assert.equal(caps.get('VERSION'), '1.0');
    assert.equal(caps.get('MAXREDIRECTS'), '4');
    assert.ok(caps.get('SIEVE')?.split(' ').includes('vacation-seconds'));
    const refused = await c.command(`AUTHENTICATE "PLAIN" "${plain(USER, PASSWORD)}"`);
    assert.deepEqual([refused.status, refused.code], ['NO', 'ENCRYPT-NEEDED']);
    assert.equal((await c.command('LISTSCRIPTS')).text, 'Authenticate first');
    c.close();
  });

  test('STARTTLS re-sends the capabilities, now with SASL and without STARTTLS; login works over TLS', async () => {
    const c = await Client.open(server.port);
    await c.response();
    const caps = capabilityMap((await c.startTls()).lines);
    assert.equal(caps.get('SASL'), 'SCRAM-SHA-256 PLAIN LOGIN');
    assert.equal(caps.has('STARTTLS'), false);
    assert.equal((await c.command(`AUTHENTICATE "PLAIN" "${plain(USER, PASSWORD)}"`)).status, 'OK');
    const again = capabilityMap((await c.command('CAPABILITY')).lines);
    assert.equal(again.get('OWNER'), USER);
    assert.equal((await c.command('STARTTLS')).text, 'Already authenticated');
    assert.deepEqual(await c.command('LOGOUT'), { lines: [], status: 'OK', code: null, text: 'Logout completed' });
  });
});

describe('ManageSieve with plaintext login allowed (trusted LAN)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let c: Client;
  before(async () => {
    server = await startServer({ plaintext: true });
    c = await Client.open(server.port);
    await c.response();
  });
  after(async () => {
    c.close();
    await server.stop();
  });

  test('AUTHENTICATE: wrong password refused, LOGIN challenge exchange, "*" cancels', async () => {
    assert.deepEqual(await c.command(`AUTHENTICATE "PLAIN" "${plain(USER, 'wrong')}"`), { lines: [], status: 'NO', code: null, text: 'Authentication failed' });
    assert.equal((await c.command('AUTHENTICATE "FROB"')).text, 'Authentication failed: unsupported SASL mechanism FROB');
    c.send('AUTHENTICATE "LOGIN"\r\n');
    assert.equal(await c.line(), `"${Buffer.from('Username:').toString('base64')}"`);
    c.send('"*"\r\n');
    assert.equal((await c.response()).text, 'Authentication cancelled');
    c.send('AUTHENTICATE "LOGIN"\r\n');
    await c.line();
    c.send(`"${Buffer.from(USER).toString('base64')}"\r\n`);
    assert.equal(await c.line(), `"${Buffer.from('Password:').toString('base64')}"`);
    c.send(`{${Buffer.from(PASSWORD).toString('base64').length}+}\r\n${Buffer.from(PASSWORD).toString('base64')}\r\n`);
    assert.equal((await c.response()).status, 'OK');
    assert.equal((await c.command('AUTHENTICATE "PLAIN"')).text, 'Already authenticated');
  });

  test('PUTSCRIPT stores a script that compiles; LISTSCRIPTS, SETACTIVE, GETSCRIPT', async () => {
    const script = 'require "fileinto";\r\nif header :contains "subject" "news" {\r\n  fileinto "Newsletters";\r\n}\r\n';
    assert.equal((await c.command(`PUTSCRIPT "rules" {${Buffer.byteLength(script)}+}\r\n${script}`)).status, 'OK');
    assert.equal((await c.command('PUTSCRIPT "other" "keep;"')).status, 'OK');
    assert.deepEqual((await c.command('LISTSCRIPTS')).lines, ['"rules"', '"other"']);
    assert.equal((await c.command('SETACTIVE "rules"')).status, 'OK');
    assert.deepEqual((await c.command('LISTSCRIPTS')).lines, ['"rules" ACTIVE', '"other"']);
    const got = await c.command('GETSCRIPT "rules"');
    assert.deepEqual([got.status, got.lines], ['OK', [script]]);
    assert.equal(server.scripts.active, 'rules');
  });

  test('PUTSCRIPT and CHECKSCRIPT refuse a broken script with line and column; nothing is stored', async () => {
    const broken = 'require "fileinto";\r\nfileinto "a"\r\n}\r\n';
    const put = await c.command(`PUTSCRIPT "broken" {${broken.length}+}\r\n${broken}`);
    assert.deepEqual([put.status, put.text], ['NO', 'line 3, column 1: expected ";" or "{" after command "fileinto" but found "}".']);
    assert.equal(server.scripts.scripts.has('broken'), false);
    const check = await c.command('CHECKSCRIPT "frop;\r\n"'.replace('\r\n', ''));
    assert.deepEqual([check.status, check.text], ['NO', 'line 1, column 1: unknown command "frop".']);
    const two = 'frop;\nfileinto "x";\n';
    const many = await c.command(`CHECKSCRIPT {${two.length}+}\r\n${two}`);
    assert.equal(many.text, 'line 1, column 1: unknown command "frop".\r\nline 2, column 1: command "fileinto" needs require "fileinto".');
    assert.equal((await c.command('CHECKSCRIPT "keep;"')).status, 'OK');
  });

  test('response codes: NONEXISTENT, ACTIVE, ALREADYEXISTS, QUOTA/MAXSIZE, TAG', async () => {
    const codeOf = async (cmd: string): Promise<string | null> => {
      const r = await c.command(cmd);
      return r.status === 'OK' ? `OK ${r.code ?? ''}`.trim() : r.code;
    };
    assert.equal(await codeOf('GETSCRIPT "nothere"'), 'NONEXISTENT');
    assert.equal(await codeOf('SETACTIVE "nothere"'), 'NONEXISTENT');
    assert.equal(await codeOf('DELETESCRIPT "nothere"'), 'NONEXISTENT');
    assert.equal(await codeOf('DELETESCRIPT "rules"'), 'ACTIVE');
    assert.equal(await codeOf('RENAMESCRIPT "other" "rules"'), 'ALREADYEXISTS');
    assert.equal(await codeOf('RENAMESCRIPT "rules" "main"'), 'OK');
    assert.equal(server.scripts.active, 'main');
    assert.equal(await codeOf(`HAVESPACE "x" ${MAX_SCRIPT_SIZE + 1}`), 'QUOTA/MAXSIZE');
    assert.equal(await codeOf('HAVESPACE "x" 100'), 'OK');
    assert.equal(await codeOf('NOOP "abc"'), 'OK TAG "abc"');
    assert.equal(await codeOf('SETACTIVE ""'), 'OK');
    assert.equal(server.scripts.active, null);
    assert.equal(await codeOf('DELETESCRIPT "main"'), 'OK');
  });

  test('script count quota and bad names', async () => {
    for (let i = server.scripts.scripts.size; i < MAX_SCRIPTS_PER_ACCOUNT; i++) server.scripts.scripts.set(`s${i}`, 'keep;');
    const full = await c.command('PUTSCRIPT "one-more" "keep;"');
    assert.deepEqual([full.status, full.code], ['NO', 'QUOTA/MAXSCRIPTS']);
    assert.equal((await c.command('PUTSCRIPT "s1" "discard;"')).status, 'OK', 'replacing an existing script is fine');
    const bad = await c.command('PUTSCRIPT {3+}\r\na\tb "keep;"');
    assert.equal(bad.text, 'Bad script name: a script name cannot contain control characters');
  });

  test('bad input gets NO and the session goes on; too-big literals are refused without being read into memory', async () => {
    assert.equal((await c.command('FROB')).text, 'Unknown command FROB');
    assert.equal((await c.command('NOOP "x')).text, 'Bad command: quoted string not closed before the end of the line');
    assert.equal((await c.command('GETSCRIPT')).text, 'Usage: GETSCRIPT "name"');
    const size = MAX_SCRIPT_SIZE * 2;
    c.send(`PUTSCRIPT "huge" {${size}+}\r\n`);
    c.send('#'.repeat(size));
    const big = await c.command('');
    assert.deepEqual([big.status, big.code], ['NO', 'QUOTA/MAXSIZE']);
    assert.equal((await c.command('NOOP')).status, 'OK');
  });

  test('UNAUTHENTICATE returns to the anonymous state', async () => {
    assert.equal((await c.command('UNAUTHENTICATE')).status, 'OK');
    assert.equal((await c.command('LISTSCRIPTS')).text, 'Authenticate first');
  });

  test('SCRAM-SHA-256: the server signature comes in OK (SASL ...)', async () => {
    const client = scramClient(USER, PASSWORD);
    c.send(`AUTHENTICATE "SCRAM-SHA-256" "${client.first.toString('base64')}"\r\n`);
    const serverFirst = Buffer.from(JSON.parse(await c.line()) as string, 'base64');
    c.send(`"${client.final(serverFirst).toString('base64')}"\r\n`);
    const ok = await c.response();
    assert.equal(ok.status, 'OK');
    const signature = /^SASL "(.*)"$/.exec(ok.code ?? '');
    assert.ok(signature !== null, ok.code ?? 'no code');
    assert.ok(client.verifyServer(Buffer.from(signature[1], 'base64')));
    assert.equal((await c.command('LISTSCRIPTS')).status, 'OK');
  });
});
