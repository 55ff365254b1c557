// ManageSieve driven by a real client: Debian's sieve-connect (STARTTLS, SASL PLAIN, upload, list,
// activate, download, check). Skipped where the package is not installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sieveConnect as connect, sieveConnectInstalled as installed } from '../../../helpers/sieve-connect.js';
import { PASSWORD, startServer, USER } from './harness.js';

let server: Awaited<ReturnType<typeof startServer>>;
let dir: string;
before(async () => {
  server = await startServer({ plaintext: false });
  dir = mkdtempSync(join(tmpdir(), 'sieve-connect-'));
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sieveConnect = (...args: string[]) => connect({ port: server.port, user: USER, password: PASSWORD, cwd: dir }, ...args);

test('sieve-connect uploads, lists, activates, downloads and checks scripts', { skip: !installed && 'sieve-connect is not installed' }, async () => {
  const script = 'require ["fileinto", "vacation"];\nif header :contains "subject" "report" { fileinto "Reports"; }\nvacation :days 3 "Away";\n';
  writeFileSync(join(dir, 'rules.siv'), script);
  const upload = await sieveConnect('--localsieve', 'rules.siv', '--upload');
  assert.equal(upload.code, 0, upload.out);
  assert.equal(server.scripts.scripts.get('rules.siv'), script);

  const activate = await sieveConnect('--remotesieve', 'rules.siv', '--activate');
  assert.equal(activate.code, 0, activate.out);
  assert.equal(server.scripts.active, 'rules.siv');

  const list = await sieveConnect('--list');
  assert.equal(list.code, 0, list.out);
  assert.match(list.out, /"rules\.siv" ACTIVE/);

  const download = await sieveConnect('--remotesieve', 'rules.siv', '--localsieve', 'copy.siv', '--download');
  assert.equal(download.code, 0, download.out);
  assert.equal(readFileSync(join(dir, 'copy.siv'), 'utf8'), script);

  writeFileSync(join(dir, 'broken.siv'), 'require "fileinto";\nfileinto "x"\n}\n');
  const check = await sieveConnect('--localsieve', 'broken.siv', '--checkscript');
  assert.notEqual(check.code, 0);
  assert.match(check.out, /line 3, column 1/);
  const refused = await sieveConnect('--localsieve', 'broken.siv', '--upload');
  assert.notEqual(refused.code, 0);
  assert.equal(server.scripts.scripts.has('broken.siv'), false);
});
