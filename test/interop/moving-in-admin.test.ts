// The admin endpoints for backups and imports, over the headless admin HTTP server of a running
// `mailroom serve`, as the GUI calls them: a backup now with its stages on the live channel
// (/api/events), the list, a check of the file (and a damaged copy refused with a sentence), the
// schedule; an mbox import previewed (nothing written) and run in the background, its progress and
// report on the live channel, and a source that cannot be reached refused with the reason.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AdminHttpClient, type RpcBody } from '../helpers/admin-http.js';
import { runCli, serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** Reads SSE events from /api/events into `events` until stopped. */
function liveEvents(base: string, cookie: string) {
  const events: Array<{ event: string; data: unknown }> = [];
  const controller = new AbortController();
  const done = (async () => {
    const res = await fetch(`${base}/api/events`, { headers: { cookie }, signal: controller.signal });
    let buffer = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  })().catch(() => undefined);
  return {
    events,
    async waitFor(predicate: (e: { event: string; data: unknown }) => boolean) {
      for (let i = 0; i < 300 && !events.some(predicate); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(events.some(predicate), `no such live event among ${events.map((e) => e.event).join(', ')}`);
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

test('backups and imports through the admin endpoints, with progress on the live channel', async (t) => {
  const dir = tempDir(t);
  const dataDir = join(dir, 'data');
  for (const args of [['domain', 'add', 'example.com'], ['user', 'add', 'alice@example.com', '--password-stdin']]) {
    const r = await runCli(['--data-dir', dataDir, ...args], 'a good password 1\n');
    assert.equal(r.code, 0, r.stderr);
  }
  const server = await serve(dataDir);
  t.after(() => server.stop());
  const base = `http://127.0.0.1:${server.ready.ports.admin}`;
  const admin = await AdminHttpClient.firstRun(base, String(server.ready.setupUrl));
  const live = liveEvents(base, admin.cookie!);
  t.after(() => live.stop());
  await live.waitFor((e) => e.event === 'hello');
  const call = async (method: string, input: unknown = {}) => {
    const answer = await admin.call(method, input);
    return answer as { status: number; body: RpcBody };
  };

  // Backups.
  assert.equal(((await call('backupStatus')).body.result as { last: unknown }).last, null);
  const ran = await call('runBackup');
  assert.equal(ran.status, 200, JSON.stringify(ran.body));
  const file = (ran.body.result as { file: string }).file;
  await live.waitFor((e) => e.event === 'backup' && (e.data as { stage: string }).stage === 'done');
  const stages = live.events.filter((e) => e.event === 'backup').map((e) => (e.data as { stage: string }).stage);
  assert.deepEqual(stages, ['copying', 'checking', 'writing', 'verifying', 'done']);
  const listed = (await call('listBackups')).body.result as Array<{ file: string; bytes: number }>;
  assert.deepEqual(listed.map((b) => b.file), [file]);
  const checked = (await call('checkBackup', { file })).body.result as { counts: { accounts: number }; domains: string[] };
  assert.equal(checked.counts.accounts, 1);
  assert.deepEqual(checked.domains, ['example.com']);
  const damaged = join(dir, 'damaged.mrbak');
  const bytes = readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  writeFileSync(damaged, bytes);
  const refused = await call('checkBackup', { file: damaged });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error!.message, /is not a good backup/);
  const scheduled = (await call('setBackupSchedule', { schedule: { dir: '', dailyAt: '03:00', keep: 7 } })).body.result as { schedule: { keep: number } };
  assert.equal(scheduled.schedule.keep, 7);
  assert.equal((await call('setBackupSchedule', { schedule: { dir: '', dailyAt: '3 am', keep: 7 } })).status, 400);

  // An import: preview, then run in the background.
  const mbox = join(dir, 'old.mbox');
  const message = (n: number) => `From old@elsewhere.example Mon Jan  1 10:00:0${n} 2024\nStatus: RO\nSubject: ${n}\n\nBody ${n}\n\n`;
  writeFileSync(mbox, message(1) + message(2));
  const source = { kind: 'mbox', path: mbox, user: 'alice@example.com' };
  const preview = (await call('previewImport', { source })).body.result as { dryRun: boolean; plan: { totals: { messages: number } } };
  assert.equal(preview.dryRun, true);
  assert.equal(preview.plan.totals.messages, 2);
  const started = await call('startImport', { source });
  assert.equal((started.body.result as { state: string }).state, 'running');
  await live.waitFor((e) => e.event === 'import' && (e.data as { state: string }).state === 'done');
  const status = (await call('importStatus')).body.result as { state: string; report: { mail: Array<{ messages: number }> } };
  assert.equal(status.state, 'done');
  assert.equal(status.report.mail[0].messages, 2);
  const jobs = (await call('listImportJobs')).body.result as Array<{ job: string }>;
  assert.deepEqual(jobs.map((j) => j.job), [`mbox:${mbox}`]);

  const unreachable = await call('previewImport', { source: { kind: 'imap', host: '127.0.0.1', port: 1, security: 'none', user: 'alice@example.com', password: 'x' } });
  assert.equal(unreachable.status, 400);
  assert.match(unreachable.body.error!.message, /127\.0\.0\.1:1: connect ECONNREFUSED/);
  const bad = await call('startImport', { source: { kind: 'imap', host: '', port: 99999, security: 'none', user: 'a', password: '' } });
  assert.equal(bad.status, 400);
});
