// Packaging (DESIGN §10): electron-builder's --dir target with a stand-in Electron (its binary cannot
// be downloaded here) and npmRebuild off, then the produced app.asar is inspected with @electron/asar
// and the packaged server is started headless under Node from the extracted tree and sent a mail —
// proof that the package is self-contained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asar from '@electron/asar';
import nodemailer from 'nodemailer';
import { tempDir } from '../helpers/temp.js';
import { runCliAt, serveAt } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const PRODUCTION = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);

function electronBuilder(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/electron-builder/cli.js'), ...args], { cwd: ROOT, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('the --dir package holds what the app needs, unpacks the native module, and its server delivers mail', async (t) => {
  const work = tempDir(t, 'mailroom-pack-');
  const standIn = join(work, 'electron-dist');
  mkdirSync(standIn);
  writeFileSync(join(standIn, 'electron'), '#!/bin/sh\necho "stand-in for the Electron binary"\n');
  chmodSync(join(standIn, 'electron'), 0o755);
  const out = join(work, 'release');

  const built = await electronBuilder([
    '--dir',
    '--linux',
    `-c.electronDist=${standIn}`,
    `-c.electronVersion=${ELECTRON_VERSION}`,
    '-c.npmRebuild=false',
    `-c.directories.output=${out}`,
  ]);
  assert.equal(built.code, 0, built.output);

  const resources = join(out, 'linux-unpacked', 'resources');
  const archive = join(resources, 'app.asar');
  assert.ok(existsSync(archive), built.output);
  const entries = new Set(asar.listPackage(archive, { isPack: false }).map((e) => e.replaceAll('\\', '/')));
  const needed = [
    '/package.json',
    '/dist/main/main.js',
    '/dist/main/preload.cjs',
    '/dist/renderer/index.html',
    '/dist/server/index.js',
    '/dist/server/host/cli.js',
    '/dist/server/host/utility.js',
    '/build/icons/icon.png',
  ];
  assert.ok([...entries].some((e) => /^\/dist\/renderer\/assets\/index-.*\.js$/.test(e)), 'the renderer bundle is packaged');
  for (const file of needed) {
    assert.ok(entries.has(file), `${file} is in app.asar`);
  }
  for (const dep of PRODUCTION) assert.ok(entries.has(`/node_modules/${dep}/package.json`), `production dependency ${dep} is packaged`);
  const ours = [...entries].filter((e) => !e.startsWith('/node_modules/'));
  const leaked = ours.filter((e) => /^\/(server|test|bench|renderer|main|scripts|docs)\//.test(e) || /^\/dist\/(test|bench)\//.test(e) || /\.(ts|map)$/.test(e));
  assert.deepEqual(leaked, [], 'no sources, tests or benchmarks in the package');
  for (const dev of ['typescript', 'react', 'electron', 'electron-builder', 'imapflow', 'playwright-core', 'eslint']) {
    assert.ok(!entries.has(`/node_modules/${dev}/package.json`), `dev dependency ${dev} is not packaged`);
  }
  const native = join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  assert.ok(existsSync(native), 'better_sqlite3.node is unpacked beside the archive');

  // Start the packaged server under Node from the extracted tree and send it one mail.
  const app = join(work, 'app');
  asar.extractAll(archive, app);
  assert.ok(existsSync(join(app, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')), 'extraction brings the unpacked native module');
  const cli = join(app, 'dist', 'server', 'host', 'cli.js');
  const data = join(work, 'data');
  assert.equal((await runCliAt(cli, ['domain', 'add', 'example.com', '--data-dir', data])).code, 0);
  const user = await runCliAt(cli, ['user', 'add', 'alice@example.com', '--password-stdin', '--data-dir', data], 'correct horse\n');
  assert.equal(user.code, 0, user.stderr);
  const server = await serveAt(cli, data);
  t.after(() => server.child.kill('SIGKILL'));
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.ready.ports.smtp, secure: false, ignoreTLS: true });
  const sent = await transport.sendMail({ from: 'friend@remote.test', to: 'alice@example.com', subject: 'From the package', text: 'It works.' });
  assert.deepEqual(sent.accepted, ['alice@example.com']);
  const listed = await runCliAt(cli, ['user', 'list', '--json', '--data-dir', data]);
  const [alice] = JSON.parse(listed.stdout) as Array<{ usedBytes: number }>;
  assert.ok(alice.usedBytes > 0, 'the mail is in the mailbox');
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr());
});
