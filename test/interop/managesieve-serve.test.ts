// ManageSieve on a real `mailroom serve` (port flag 0, named "managesieve" in the ready line):
// sieve-connect uploads over STARTTLS with SASL PLAIN into the store, a raw client checks the
// plaintext refusal, the script-count quota and that a wrong password is refused as on IMAP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, serve } from '../helpers/cli.js';
import { sieveConnect, sieveConnectInstalled } from '../helpers/sieve-connect.js';
import { tempDir } from '../helpers/temp.js';
import { Client, plain } from '../server/sieve/managesieve/harness.js';
import { MAX_SCRIPTS_PER_ACCOUNT } from '../../server/sieve/managesieve/repository.js';

const USER = 'carol@example.com';
const PASSWORD = 'carol-password';

test('sieve-connect manages scripts on mailroom serve; quota and plaintext rules hold', { skip: !sieveConnectInstalled && 'sieve-connect is not installed' }, async (t) => {
  const dataDir = tempDir(t);
  const work = tempDir(t);
  assert.equal((await runCli(['domain', 'add', 'example.com', '--data-dir', dataDir])).code, 0);
  assert.equal((await runCli(['user', 'add', USER, '--password-stdin', '--data-dir', dataDir], `${PASSWORD}\n`)).code, 0);
  const served = await serve(dataDir);
  t.after(() => served.stop());
  const port = served.ready.ports.managesieve;
  assert.ok(port > 0, `ready line: ${JSON.stringify(served.ready)}`);
  const connect = (...args: string[]) => sieveConnect({ port, user: USER, password: PASSWORD, cwd: work }, ...args);

  const script = 'require ["fileinto"];\nif header :contains "subject" "invoice" { fileinto "Invoices"; }\n';
  writeFileSync(join(work, 'rules.siv'), script);
  const upload = await connect('--localsieve', 'rules.siv', '--upload');
  assert.equal(upload.code, 0, upload.out);
  assert.equal((await connect('--remotesieve', 'rules.siv', '--activate')).code, 0);
  const list = await connect('--list');
  assert.match(list.out, /"rules\.siv" ACTIVE/);
  assert.equal((await connect('--remotesieve', 'rules.siv', '--localsieve', 'back.siv', '--download')).code, 0);
  assert.equal(readFileSync(join(work, 'back.siv'), 'utf8'), script);
  writeFileSync(join(work, 'broken.siv'), 'require "fileinto";\nif true {\n  fileinto "x"\n}\n');
  const broken = await connect('--localsieve', 'broken.siv', '--upload');
  assert.notEqual(broken.code, 0);
  assert.match(broken.out, /line 4, column 1/);

  // Loopback is trusted, but plaintext login is off by default: the raw client must STARTTLS first.
  const raw = await Client.open(port);
  t.after(() => raw.close());
  const greeting = await raw.response();
  assert.ok(greeting.lines.includes('"STARTTLS"'));
  assert.equal((await raw.command(`AUTHENTICATE "PLAIN" "${plain(USER, PASSWORD)}"`)).code, 'ENCRYPT-NEEDED');
  await raw.startTls();
  const wrong = await raw.command(`AUTHENTICATE "PLAIN" "${plain(USER, 'not the password')}"`);
  assert.equal(wrong.status, 'NO');
  assert.equal((await raw.command(`AUTHENTICATE "PLAIN" "${plain(USER, PASSWORD)}"`)).status, 'OK');
  for (let i = 1; i < MAX_SCRIPTS_PER_ACCOUNT; i++) assert.equal((await raw.command(`PUTSCRIPT "s${i}" {5+}\r\nkeep;`)).status, 'OK');
  const over = await raw.command('PUTSCRIPT "one-too-many" {5+}\r\nkeep;');
  assert.deepEqual([over.status, over.code], ['NO', 'QUOTA/MAXSCRIPTS']);
  assert.equal((await raw.command('PUTSCRIPT "s1" {8+}\r\ndiscard;')).status, 'OK', 'replacing is not creating');
  const big = await raw.command('HAVESPACE "big" 2000000');
  assert.deepEqual([big.status, big.code], ['NO', 'QUOTA/MAXSIZE']);
  assert.equal((await raw.command('DELETESCRIPT "rules.siv"')).code, 'ACTIVE');
  await raw.command('LOGOUT');

  const { code } = await served.stop();
  assert.equal(code, 0);
});
