// Durability of IMAP writes (DESIGN §2, docs/decisions.md): an APPEND answered OK is on disk, and a
// flag change answered OK survives a crash of the process too (WAL with synchronous=NORMAL keeps it
// against SIGKILL; only a power loss may take the last flag changes). `mailroom serve` gets the
// commands from several sessions at once, so they share the writer's batches, and is killed with
// SIGKILL right after the last OK; a fresh store must hold every appended message and every flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../server/store/index.js';
import { FLAG_BITS } from '../../server/store/messages.js';
import { DATABASE_FILE } from '../../server/host/data-dir.js';
import { runCli, serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { ImapTestClient } from '../protocol/imap/client.js';

const SESSIONS = 4;
const PER_SESSION = 10;

test('APPENDs and STOREs answered OK survive SIGKILL of mailroom serve right after', async (t) => {
  const dir = join(tempDir(t), 'data');
  assert.equal((await runCli(['domain', 'add', 'example.com', '--data-dir', dir])).code, 0);
  assert.equal((await runCli(['user', 'add', 'alice@example.com', '--password-stdin', '--data-dir', dir], 'alice password\n')).code, 0);
  const served = await serve(dir);
  t.after(() => served.child.kill('SIGKILL'));

  const sessions = await Promise.all(
    Array.from({ length: SESSIONS }, async () => {
      const client = await ImapTestClient.connect(served.ready.ports.imaps, { tls: true });
      await client.transact('OK', 'LOGIN alice@example.com "alice password"');
      return client;
    }),
  );
  const subjects = (s: number) => Array.from({ length: PER_SESSION }, (_, i) => `durable ${s}.${i}`);
  // Each session appends its messages, selects INBOX (a \Recent claim) and flags what it appended:
  // the sessions run side by side, so deliveries and flag-only commits share batches.
  await Promise.all(
    sessions.map(async (client, s) => {
      for (const subject of subjects(s)) {
        const appended = await client.append('INBOX', `Subject: ${subject}\r\n\r\nkeep me\r\n`);
        assert.equal(appended.tagged.status, 'OK');
      }
      await client.transact('OK', 'SELECT INBOX');
      await client.transact('OK', `UID STORE 1:* +FLAGS (\\Flagged $Mine${s})`);
    }),
  );
  await served.stop('SIGKILL');

  const store = openStore(join(dir, DATABASE_FILE), { now: () => Date.now() });
  t.after(async () => await store.close());
  const account = await store.accounts.require('alice', 'example.com');
  const inbox = await store.mailboxes.require(account.id, 'INBOX');
  const listed = await store.messages.list(inbox.id);
  const stored = new Map<string, { flags: number; keywords: string[] }>();
  for (const m of listed) {
    const text = (await store.messages.read(m.id))!.toString();
    const [meta] = await store.messages.meta(inbox.id, [m.uid]);
    stored.set(/^Subject: (.*)\r\n/.exec(text)![1], meta);
  }
  const all = Array.from({ length: SESSIONS }, (_, s) => subjects(s)).flat();
  assert.deepEqual([...stored.keys()].sort(), all.sort());
  // The last session to STORE flagged every message; every session's own keyword is on its own messages at least.
  for (const [subject, meta] of stored) {
    assert.ok((meta.flags & FLAG_BITS['\\Flagged']) !== 0, subject);
    assert.ok(meta.keywords.includes(`$Mine${subject.slice('durable '.length).split('.')[0]}`), `${subject}: ${meta.keywords.join(' ')}`);
  }
});
