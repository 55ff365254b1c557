// ManageSieve driven by a real client: Debian's sieve-connect (STARTTLS, SASL PLAIN, upload, list,
// activate, download, check). Skipped where the package is not installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { PASSWORD, startServer, USER } from './harness.js';

const installed = spawnSync('sieve-connect', ['--version'], { encoding: 'utf8' }).status !== null;

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

function sieveConnect(...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    'sieve-connect',
    ['--server', '127.0.0.1', '--port', String(server.port), '--user', USER, '--passwordfd', '3', '--notlsverify', '--authmech', 'PLAIN', ...args],
    { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], cwd: dir },
  );
  const [, stdout, stderr, password] = child.stdio as unknown as [null, Readable, Readable, Writable];
  password.end(`${PASSWORD}\n`);
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

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
