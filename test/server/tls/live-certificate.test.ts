// A certificate applied without a restart (issue 18 §2/§3): `mailroom serve` presents the old
// certificate, then — after `mailroom cert import` from another process, or the admin API's import —
// every TLS way in (SMTP 465 and 587 STARTTLS, IMAP 993 and 143 STARTTLS, POP3 995) presents the new
// one to new connections, while a connection opened before keeps the old one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { runCli, serve } from '../../helpers/cli.js';
import { issue } from '../../helpers/certificates.js';
import { tempDir } from '../../helpers/temp.js';
import { AdminHttpClient } from '../../helpers/admin-http.js';

const fingerprintOf = (socket: TLSSocket) => socket.getPeerX509Certificate()!.fingerprint256;

function handshake(options: { port?: number; socket?: Socket }): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = connectTls({ host: '127.0.0.1', ...options, rejectUnauthorized: false, servername: 'mail.example.test' }, () => resolve(tls));
    tls.once('error', reject);
  });
}

/** Reads from a plain socket until `done` matches what has arrived. */
function until(socket: Socket, done: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      if (done.test(text)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

async function starttls(port: number, script: Array<[string | null, RegExp]>): Promise<TLSSocket> {
  const plain = connectTcp({ host: '127.0.0.1', port });
  for (const [line, answer] of script) {
    const read = until(plain, answer);
    if (line !== null) plain.write(line + '\r\n');
    await read;
  }
  return handshake({ socket: plain });
}

async function presented(ports: Record<string, number>): Promise<Record<string, string>> {
  const ways: Record<string, () => Promise<TLSSocket>> = {
    submissions: () => handshake({ port: ports.submissions }),
    imaps: () => handshake({ port: ports.imaps }),
    pop3s: () => handshake({ port: ports.pop3s }),
    submission: () => starttls(ports.submission, [[null, /^220 .*\r\n/m], ['EHLO client.test', /^250 .*\r\n/m], ['STARTTLS', /^220 .*\r\n/m]]),
    imap: () => starttls(ports.imap, [[null, /^\* OK.*\r\n/], ['a STARTTLS', /^a OK.*\r\n/m]]),
  };
  const seen: Record<string, string> = {};
  for (const [name, open] of Object.entries(ways)) {
    const socket = await open();
    seen[name] = fingerprintOf(socket);
    socket.destroy();
  }
  return seen;
}

const all = (fingerprint: string) => ({ submissions: fingerprint, imaps: fingerprint, pop3s: fingerprint, submission: fingerprint, imap: fingerprint });

test('an imported certificate reaches new connections of every listener without a restart', async (t) => {
  const dir = tempDir(t);
  const server = await serve(dir);
  t.after(() => server.child.kill('SIGKILL'));
  const ports = server.ready.ports;
  const before = await presented(ports);
  const first = before.imaps;
  assert.deepEqual(before, all(first), 'one certificate everywhere at start');
  const kept = await handshake({ port: ports.imaps });
  t.after(() => kept.destroy());

  // From another process: the CLI writes tls/, the server finds it within a second.
  const ca = issue({ commonName: 'Example Test CA', ca: true });
  const issued = issue({ commonName: 'mail.example.test', issuer: ca });
  const files = tempDir(t, 'mailroom-pem-');
  writeFileSync(join(files, 'chain.pem'), issued.cert + ca.cert);
  writeFileSync(join(files, 'key.pem'), issued.key);
  const imported = await runCli(['cert', 'import', '--cert', join(files, 'chain.pem'), '--key', join(files, 'key.pem'), '--data-dir', dir]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /Certificate for mail\.example\.test imported\. A running Mailroom uses it for new connections within a second/);
  const second = new X509Certificate(issued.cert).fingerprint256;
  let after = await presented(ports);
  for (let i = 0; after.imaps !== second && i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = await presented(ports);
  }
  assert.deepEqual(after, all(second), 'every listener presents the imported certificate');
  assert.equal(fingerprintOf(kept), first, 'a connection opened before keeps its certificate');
  const shown = await runCli(['cert', 'show', '--data-dir', dir]);
  assert.match(shown.stdout, /issuer: {6}CN=Example Test CA/);
  assert.match(shown.stdout, new RegExp(`fingerprint: ${second}`));

  // Through the admin API (the GUI's way): applied before the answer.
  const client = await AdminHttpClient.firstRun(`http://127.0.0.1:${ports.admin}`, String(server.ready.setupUrl));
  const renewed = await client.result<{ certificate: { fingerprint256: string }; message: string; restartNeeded: boolean }>('renewSelfSigned');
  assert.equal(renewed.restartNeeded, false);
  assert.match(renewed.message, /New connections use it now/);
  assert.deepEqual(await presented(ports), all(renewed.certificate.fingerprint256));

  const refused = await runCli(['cert', 'import', '--cert', join(files, 'chain.pem'), '--key', join(files, 'nowhere.pem'), '--data-dir', dir]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /cannot read the key file .*nowhere\.pem: ENOENT/);
});
