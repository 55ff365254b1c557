// The import writer: a planned directory into the store (domains, accounts with their kept hashes,
// aliases, forwardings, catch-alls, alias domains, transports), and a Maildir written by a real
// Dovecot into an account (folders, UIDVALIDITY and UIDs, flags, keywords, INTERNALDATE, bytes,
// subscriptions), resumed after a stop and run again without writing anything twice.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { verifyLegacyHash } from '../../../server/auth/legacy-hashes.js';
import { createRecipientResolver } from '../../../server/delivery/recipients.js';
import { checkHash } from '../../../server/import/directory/hash-check.js';
import type { Directory, ImportedAccount } from '../../../server/import/directory/types.js';
import { readSubscriptions } from '../../../server/import/maildir/folders.js';
import { readMaildir } from '../../../server/import/maildir/read-maildir.js';
import { planImport } from '../../../server/import/plan.js';
import { existingIn } from '../../../server/import/run-import.js';
import type { SourceItem } from '../../../server/import/source-message.js';
import { writeDirectory } from '../../../server/import/write-directory.js';
import { writeMail } from '../../../server/import/write-mail.js';
import { parseAddress } from '../../../server/mime/addr-spec.js';
import { openStore, type Store } from '../../../server/store/index.js';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../../helpers/dovecot.js';
import { tempDir } from '../../helpers/temp.js';
import { HASH } from './directory-schemas.js';

const account = (address: string, passwordHash: string, quota = 0, active = true): ImportedAccount => ({
  address,
  name: address.split('@')[0],
  passwordHash,
  hash: checkHash(passwordHash),
  quota,
  active,
});

const DIRECTORY: Directory = {
  domains: [
    { name: 'example.com', active: true, defaultQuota: 1000 },
    { name: 'old.example', active: false },
  ],
  accounts: [
    account('alice@example.com', HASH.sha512crypt, 1073741824),
    account('bob@example.com', HASH.md5crypt),
    account('dave@example.com', HASH.argon2),
    account('carol@old.example', HASH.plain, 0, false),
  ],
  aliases: [
    { address: '*@example.com', destinations: ['alice@example.com'], active: true },
    { address: 'bob@example.com', destinations: ['bob@example.com', 'bob@mobile.example'], active: true },
    { address: 'info@example.com', destinations: ['alice@example.com', 'bob@example.com'], active: true },
    { address: 'old@example.com', destinations: ['alice@example.com'], active: false },
  ],
  aliasDomains: [{ alias: 'example.org', target: 'example.com', active: true }],
  transports: [
    { domain: 'example.com', transport: 'virtual' },
    { domain: 'relay.example', transport: 'smtp:[mail.isp.example]:587' },
  ],
};

function open(t: { after(fn: () => void): void }): Store {
  const store = openStore(join(tempDir(t), 'mailroom.sqlite'), { now: () => Date.UTC(2026, 0, 1) });
  t.after(() => void store.close());
  return store;
}

test('writes a planned directory: domains, accounts with kept hashes, aliases, forwardings, catch-all, alias domain, transports', async (t) => {
  const store = open(t);
  const plan = await planImport({ directory: DIRECTORY }, existingIn(store));
  const written = await writeDirectory(store, 'sql:test', plan);
  assert.deepEqual(written, { domains: 2, accounts: 4, disabledAccounts: 1, aliases: 2, forwardings: 1, catchAlls: 1, aliasDomains: 1, transports: 1 });

  assert.deepEqual((await store.domains.list()).map((d) => [d.name, d.active, d.defaultQuota]), [
    ['example.com', true, 1000],
    ['example.org', true, 0],
    ['old.example', false, 0],
  ]);
  const accounts = await store.accounts.list();
  assert.deepEqual(accounts.map((a) => [a.address, a.quotaBytes, a.active]), [
    ['alice@example.com', 1073741824, true],
    ['bob@example.com', 0, true],
    ['dave@example.com', 0, false],
    ['carol@old.example', 0, false],
  ]);
  const alice = (await store.accounts.secrets('alice', 'example.com'))!;
  assert.equal(alice.passwordHash, HASH.sha512crypt, 'kept byte for byte');
  assert.equal(await verifyLegacyHash(alice.passwordHash, 'secret1'), true);
  assert.equal(await verifyLegacyHash((await store.accounts.secrets('bob', 'example.com'))!.passwordHash, 'secret2'), true);
  assert.deepEqual((await store.mailboxes.list(accounts[0].id)).map((m) => m.name).sort(), ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
  assert.deepEqual(await store.transports.list().then((l) => l.map((x) => [x.domain, x.route])), [
    ['relay.example', { kind: 'smtp', host: 'mail.isp.example', port: 587, mxLookup: false }],
  ]);

  // Delivery reads what was written as the old server meant it.
  const resolver = createRecipientResolver(store);
  const route = async (address: string) => {
    const r = await resolver.resolve(parseAddress(address), 0);
    return r.ok ? { local: r.route.local.map((l) => l.address).sort(), remote: r.route.remote } : r.refusal;
  };
  assert.deepEqual(await route('bob@example.com'), { local: ['bob@example.com'], remote: ['bob@mobile.example'] }, 'forwarding keeps a copy');
  assert.deepEqual(await route('info@example.com'), { local: ['alice@example.com', 'bob@example.com'], remote: ['bob@mobile.example'] });
  assert.deepEqual(await route('nobody@example.com'), { local: ['alice@example.com'], remote: [] }, 'catch-all');
  assert.deepEqual(await route('alice@example.org'), { local: ['alice@example.com'], remote: [] }, 'alias domain');
  assert.deepEqual(await route('info@example.org'), { local: ['alice@example.com', 'bob@example.com'], remote: ['bob@mobile.example'] });
  assert.deepEqual(await route('whoever@example.org'), { local: ['alice@example.com'], remote: [] }, 'the alias domain has the catch-all too');
  assert.equal(await route('old@example.com'), 'disabled', 'an inactive alias stays inactive');
  assert.equal(await route('dave@example.com'), 'disabled', 'an unknown hash scheme imports the account disabled');

  const again = await planImport({ directory: DIRECTORY }, existingIn(store));
  assert.equal(again.totals.accounts, 0, 'a second plan creates nothing');
  assert.ok(again.conflicts.every((c) => c.effect === 'skipped'));
});

describe('a Maildir written by Dovecot into an account', { skip: dovecotMissing }, () => {
  let dovecot: Dovecot;
  const message = (n: number) =>
    `From: Sender <sender@elsewhere.example>\nTo: alice@example.com\nSubject: Message ${n}\nDate: Mon, 1 Jan 2024 10:0${n % 10}:00 +0000\nMessage-ID: <m${n}@elsewhere.example>\n\nBody ${n}\n`;
  before(async () => {
    dovecot = await startDovecot();
    for (let n = 1; n <= 6; n++) dovecot.deliver('alice@example.com', message(n));
    dovecot.deliver('alice@example.com', message(7), 'Lists.dev');
    dovecot.deliver('alice@example.com', message(8), 'Lists.dev');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen', 'mailbox', 'INBOX', 'uid', '1');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Answered \\Flagged $Forwarded Junk', 'mailbox', 'INBOX', 'uid', '2');
    dovecot.doveadm('expunge', '-u', 'alice@example.com', 'mailbox', 'INBOX', 'uid', '3');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen \\Draft', 'mailbox', 'Lists.dev', 'all');
  });
  after(() => dovecot?.stop());

  async function withAccount(t: { after(fn: () => void): void }) {
    const store = open(t);
    const domain = await store.domains.add('example.com', 0);
    const alice = await store.createAccount({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: HASH.plain, scramSecret: null, quotaBytes: 0 });
    await store.imports.startJob('maildir:test', 'maildir');
    return { store, alice };
  }

  /** Every message of the account as (folder, uid, flags, keywords, date, bytes). */
  async function contents(store: Store, accountId: number) {
    const out = [];
    for (const mailbox of await store.mailboxes.list(accountId)) {
      for (const m of await store.messages.list(mailbox.id)) {
        out.push({ folder: mailbox.name, uid: m.uid, flags: m.flags, keywords: [...m.keywords].sort(), date: m.internalDate, bytes: (await store.messages.read(m.id))!.toString('latin1') });
      }
    }
    return out;
  }

  /** What the Maildir holds, as the reader yields it. */
  async function source() {
    const out = [];
    for await (const item of readMaildir(dovecot.maildir('alice@example.com'))) {
      if (item.kind !== 'message') continue;
      const bits = item.flags.reduce((b, f) => b | FLAG_BITS[f], 0);
      out.push({ folder: item.folder, uid: item.sourceUid!, flags: bits, keywords: [...item.keywords].sort(), date: item.internalDate, bytes: (await item.read()).toString('latin1') });
    }
    return out;
  }

  it('keeps folders, UIDVALIDITY, UIDs, flags, keywords, dates, bytes and subscriptions', async (t) => {
    const { store, alice } = await withAccount(t);
    const root = dovecot.maildir('alice@example.com');
    const report = await writeMail(store, { job: 'maildir:test', accountId: alice.id, address: alice.address, subscriptions: await readSubscriptions(root), replaceSubscriptions: true }, readMaildir(root));
    assert.deepEqual(report.problems, []);
    assert.equal(report.messages, 7);
    assert.equal(report.renumbered, 0);
    assert.deepEqual(await contents(store, alice.id), await source());
    for (const folder of ['INBOX', 'Lists.dev']) {
      const status = dovecot.doveadm('mailbox', 'status', '-u', 'alice@example.com', 'uidvalidity uidnext', folder);
      const mailbox = (await store.mailboxes.get(alice.id, folder.replace('.', '/')))!;
      assert.equal(mailbox.uidValidity, Number(/uidvalidity=(\d+)/.exec(status)![1]), `${folder} UIDVALIDITY`);
      assert.equal(mailbox.uidNext, Number(/uidnext=(\d+)/.exec(status)![1]), `${folder} UIDNEXT`);
      assert.equal(mailbox.firstRecentUid, mailbox.uidNext, 'imported mail is not \\Recent');
    }
    assert.deepEqual(await store.subscriptions.list(alice.id), ['Lists/dev']);
    assert.equal((await store.accounts.get(alice.id))!.usedBytes, report.bytes);

    const second = await writeMail(store, { job: 'maildir:test', accountId: alice.id, address: alice.address }, readMaildir(root));
    assert.equal(second.messages, 0, 'a second run writes nothing');
    assert.equal(second.alreadyImported, 7);
  });

  it('resumes after a stop without writing a message twice, and copies only what is new', async (t) => {
    const { store, alice } = await withAccount(t);
    const root = dovecot.maildir('alice@example.com');
    async function* stopAfter(n: number): AsyncGenerator<SourceItem> {
      let seen = 0;
      for await (const item of readMaildir(root)) {
        if (item.kind === 'message' && ++seen > n) throw new Error('stopped');
        yield item;
      }
    }
    await assert.rejects(writeMail(store, { job: 'maildir:test', accountId: alice.id, address: alice.address }, stopAfter(4), { batchMessages: 2 }), /stopped/);
    assert.equal((await contents(store, alice.id)).length, 4, 'two batches committed');
    const resumed = await writeMail(store, { job: 'maildir:test', accountId: alice.id, address: alice.address }, readMaildir(root), { batchMessages: 2 });
    assert.equal(resumed.alreadyImported, 4);
    assert.equal(resumed.messages, 3);
    assert.deepEqual(await contents(store, alice.id), await source());

    dovecot.deliver('alice@example.com', message(9));
    const incremental = await writeMail(store, { job: 'maildir:test', accountId: alice.id, address: alice.address }, readMaildir(root));
    assert.equal(incremental.messages, 1);
    assert.deepEqual(await contents(store, alice.id), await source());
  });

  it('gives new UIDs in a folder that already holds mail here, and says so', async (t) => {
    const { store, alice } = await withAccount(t);
    const inbox = (await store.mailboxes.get(alice.id, 'INBOX'))!;
    await store.imports.startJob('other', 'maildir');
    await writeMail(store, { job: 'other', accountId: alice.id, address: alice.address }, (async function* (): AsyncGenerator<SourceItem> {
      yield { kind: 'folder', name: 'INBOX' };
      yield { kind: 'message', folder: 'INBOX', flags: [], keywords: [], internalDate: 0, origin: 'x', read: async () => Buffer.from('Subject: here first\r\n\r\nx\r\n') };
    })());
    const report = await writeMail(store, { job: 'maildir:test', accountId: alice.id, address: alice.address }, readMaildir(dovecot.maildir('alice@example.com')));
    assert.deepEqual(report.foldersRenumbered, ['INBOX']);
    const uids = (await store.messages.list(inbox.id)).map((m) => m.uid);
    assert.deepEqual(uids, uids.map((_, i) => i + 1), 'ascending from 1, the local message first');
    assert.equal((await store.mailboxes.byId(inbox.id))!.uidValidity, inbox.uidValidity, 'UIDVALIDITY unchanged');
  });

  it('copies nothing again and says why when the source folder\'s UIDVALIDITY changed since an earlier run', async (t) => {
    const { store, alice } = await withAccount(t);
    const folder = (uidValidity: number, uids: number[]) =>
      (async function* (): AsyncGenerator<SourceItem> {
        yield { kind: 'folder', name: 'Old', uidValidity, uidNext: 10 };
        for (const uid of uids) {
          yield { kind: 'message', folder: 'Old', flags: [], keywords: [], internalDate: 0, sourceUid: uid, origin: `u${uid}`, read: async () => Buffer.from(`Subject: ${uid}\r\n\r\nx\r\n`) };
        }
      })();
    const first = await writeMail(store, { job: 'maildir:test', accountId: alice.id, address: alice.address }, folder(111, [1, 2]));
    assert.equal(first.messages, 2);
    const second = await writeMail(store, { job: 'maildir:test', accountId: alice.id, address: alice.address }, folder(222, [1, 2, 3]));
    assert.equal(second.messages, 0);
    assert.equal(second.problems.length, 1);
    assert.match(second.problems[0].reason, /UIDVALIDITY changed from 111 \(when an earlier run copied 2 messages\) to 222: .* 3 were not copied again/);
  });
});
