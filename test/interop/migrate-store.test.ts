// `mailroom migrate-store` (issue 19), run as a user would: a SQLite data folder with accounts, mail
// (shared blobs, a prefix, one binary body), a queued message and a Sieve script is copied into an
// empty PostgreSQL database and verified (row counts, blob hashes); the PostgreSQL store then reads the
// same bytes and takes new mail after the copied ids; a copy interrupted (rows missing at its end) is
// finished by --resume; a target that already holds mail is refused without it; and the PostgreSQL
// store is copied back into a new SQLite file that reads the same again.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import pg from 'pg';
import { systemClock } from '../../server/clock.js';
import { openStore, type LocalCopy, type Store } from '../../server/store/index.js';
import { openPostgresStore } from '../../server/store/postgres/index.js';
import { runCli } from '../helpers/cli.js';
import { postgresMissing } from '../helpers/postgres.js';
import { freshPostgresDatabase, usePostgresInThisFile } from '../helpers/store-backends.js';
import { tempDir } from '../helpers/temp.js';

usePostgresInThisFile();

const copyTo = async (store: Store, accountId: number, prefix: string): Promise<LocalCopy> => ({
  mailboxId: (await store.mailboxes.require(accountId, 'INBOX')).id,
  prefix: Buffer.from(prefix),
  flags: 1,
  keywords: ['$Label1'],
  internalDate: 1_700_000_000_000,
  sentDate: null,
  envelope: '[]',
  bodystructure: '[]',
  parts: '{}',
});

/** Every account's INBOX as address → [uid, bytes as hex]. */
async function mailOf(store: Store): Promise<Map<string, Array<[number, string]>>> {
  const out = new Map<string, Array<[number, string]>>();
  for (const account of await store.accounts.list()) {
    const inbox = await store.mailboxes.require(account.id, 'INBOX');
    const list = await store.messages.list(inbox.id);
    out.set(account.address, await Promise.all(list.map(async (m) => [m.uid, (await store.messages.read(m.id))!.toString('hex')] as [number, string])));
  }
  return out;
}

async function migrate(args: string[]) {
  return runCli(['migrate-store', ...args], undefined, 120_000);
}

async function pgQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function sqliteFolder(t: TestContext): Promise<{ dir: string; mail: Map<string, Array<[number, string]>> }> {
  const dir = tempDir(t);
  const cli = async (args: string[], input?: string) => {
    const r = await runCli(['--data-dir', dir, ...args], input, 60_000);
    assert.equal(r.code, 0, `${args.join(' ')}\n${r.stdout}${r.stderr}`);
  };
  await cli(['domain', 'add', 'example.com']);
  for (const user of ['alice', 'bob']) await cli(['user', 'add', `${user}@example.com`, '--password-stdin'], 'a long password 1\n');
  const store = openStore(join(dir, 'mailroom.sqlite'), systemClock, { readWorkers: 0 });
  try {
    const [alice, bob] = await store.accounts.list();
    for (let i = 0; i < 30; i++) {
      const bytes = i === 7 ? Buffer.from([...Buffer.from('Subject: binary\r\n\r\n'), ...Array.from({ length: 3000 }, (_, k) => (k * 37) % 256)]) : Buffer.from(`Subject: m${i}\r\n\r\n${'x'.repeat(i * 100)}\r\n`);
      // One blob for both accounts (refcount 2), each copy with its own prefix.
      await store.deliver({ bytes, local: [await copyTo(store, alice.id, `Delivered-To: alice ${i}\r\n`), await copyTo(store, bob.id, '')] });
    }
    await store.deliver({ bytes: Buffer.from('Subject: out\r\n\r\nout\r\n'), local: [], remote: { sender: 'alice@example.com', recipients: ['x@remote.test'], messageId: '<out@example.com>' } });
    await store.sieve.put(alice.id, 'main', 'keep;\n', 10);
    return { dir, mail: await mailOf(store) };
  } finally {
    await store.close();
  }
}

test('migrate-store copies a SQLite data folder into PostgreSQL and back, verified, resumable', { skip: postgresMissing, timeout: 300_000 }, async (t) => {
  const { dir, mail } = await sqliteFolder(t);
  const url = await freshPostgresDatabase(t);

  const first = await migrate(['--from', dir, '--to', url]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stderr, /^messages: 60\/60$/m, 'progress per table');
  assert.match(first.stdout, /^messages\s+60\s+60$/m);
  assert.match(first.stdout, /^blobs\s+31\s+31$/m);
  assert.match(first.stdout, /31 blobs hash to their SHA-256/);

  const postgres = await openPostgresStore(url, systemClock);
  try {
    assert.deepEqual(await mailOf(postgres), mail);
    const alice = (await postgres.accounts.list())[0];
    assert.equal(await postgres.sieve.get(alice.id, 'main'), 'keep;\n');
    assert.equal((await postgres.queue.list()).length, 1);
    // New rows take ids after the copied ones (the sequences moved), and UIDs go on from 31.
    const added = await postgres.deliver({ bytes: Buffer.from('Subject: after\r\n\r\nnew\r\n'), local: [await copyTo(postgres, alice.id, '')] });
    assert.equal(added.result.uids[0].uid, 31);
    assert.deepEqual(await postgres.integrityCheck(), ['ok']);
  } finally {
    await postgres.close();
  }

  // A target with mail is refused without --resume.
  const again = await migrate(['--from', dir, '--to', url]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds data .*--resume/);

  // An interrupted copy: the last messages and blobs are missing; --resume writes them again.
  const url2 = await freshPostgresDatabase(t);
  assert.equal((await migrate(['--from', dir, '--to', url2])).code, 0);
  await pgQuery(url2, 'DELETE FROM messages WHERE id > 40; DELETE FROM queue; DELETE FROM blobs WHERE id > 20');
  const resumed = await migrate(['--from', dir, '--to', url2, '--resume']);
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  assert.match(resumed.stdout, /^messages\s+60\s+60$/m);
  assert.equal(Number((await pgQuery(url2, 'SELECT count(*) AS n FROM blobs'))[0].n), 31);

  // And back: PostgreSQL into a new SQLite file.
  const back = join(tempDir(t), 'back.sqlite');
  const home = await migrate(['--from', url2, '--to', back]);
  assert.equal(home.code, 0, home.stdout + home.stderr);
  const sqlite = openStore(back, systemClock, { readWorkers: 0 });
  try {
    assert.deepEqual(await mailOf(sqlite), mail);
    assert.deepEqual(await sqlite.integrityCheck(), ['ok']);
  } finally {
    await sqlite.close();
  }
});

test('migrate-store refuses two stores of one kind, and a SQLite source that is not there', async (t) => {
  const same = await migrate(['--from', tempDir(t), '--to', join(tempDir(t), 'x.sqlite')]);
  assert.equal(same.code, 1);
  assert.match(same.stderr, /no SQLite store at|one of each/);
  const twoUrls = await migrate(['--from', 'postgres://a@127.0.0.1:1/x', '--to', 'postgres://b@127.0.0.1:1/y']);
  assert.equal(twoUrls.code, 1);
  assert.match(twoUrls.stderr, /one of each/);
});
