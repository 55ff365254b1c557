// The dry-run planner: what an import would create and every conflict with its effect, from a
// directory as the SQL readers return it, mail summaries from a real Maildir, and a lookup of what
// Mailroom already has.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkHash } from '../../../server/import/directory/hash-check.js';
import type { Directory, ImportedAccount } from '../../../server/import/directory/types.js';
import { readMaildir } from '../../../server/import/maildir/read-maildir.js';
import { planImport, summarizeMail, type ExistingLookup } from '../../../server/import/plan.js';
import { HASH } from './directory-schemas.js';

const account = (address: string, passwordHash: string, quota = 0): ImportedAccount => ({
  address,
  name: '',
  passwordHash,
  hash: checkHash(passwordHash),
  quota,
  active: true,
});

const directory: Directory = {
  domains: [
    { name: 'example.com', active: true },
    { name: 'Existing.Example', active: true },
    { name: 'localhost', active: true },
  ],
  accounts: [
    account('alice@example.com', HASH.sha512crypt, 1000),
    account('bob@example.com', HASH.des),
    account('taken@existing.example', HASH.plain),
    account('stray@nowhere.example', HASH.plain),
    account('bad address@example.com', HASH.plain),
  ],
  aliases: [
    { address: '*@example.com', destinations: ['alice@example.com'], active: true },
    { address: 'alice@example.com', destinations: ['alice@example.com', 'alice@mobile.example'], active: true },
    { address: 'info@example.com', destinations: ['alice@example.com', 'ghost@existing.example', 'partner@elsewhere.example'], active: true },
    { address: 'sales@other.example', destinations: ['alice@example.com'], active: true },
  ],
  aliasDomains: [
    { alias: 'example.org', target: 'example.com', active: true },
    { alias: 'example.net', target: 'unknown.example', active: true },
  ],
  transports: [
    { domain: 'example.com', transport: 'virtual' },
    { domain: 'relay.example', transport: 'smtp:[mail.isp.example]:587' },
    { domain: 'old.example', transport: 'uucp:gateway' },
  ],
};

const existing: ExistingLookup = {
  domainExists: async (name) => name === 'existing.example',
  exists: async (address) => address === 'taken@existing.example',
  accountQuota: async (address) => (address === 'taken@existing.example' ? 0 : undefined),
};

test('plans domains, accounts, aliases, forwardings, alias domains and transports, listing each conflict with its effect', async () => {
  const plan = await planImport({ directory }, existing);
  assert.deepEqual(plan.create.domains.map((d) => d.name), ['example.com']);
  assert.deepEqual(plan.existingDomains, ['existing.example']);
  assert.deepEqual(plan.create.accounts.map((a) => [a.address, a.active, a.disabledReason !== undefined]), [
    ['alice@example.com', true, false],
    ['bob@example.com', false, true],
  ]);
  assert.equal(plan.create.accounts[1].passwordHash, HASH.des, 'the hash is kept for a later reset or scheme');
  assert.deepEqual(plan.create.aliases.map((a) => a.address), ['*@example.com', 'info@example.com']);
  assert.deepEqual(plan.create.forwardings, [{ address: 'alice@example.com', to: ['alice@mobile.example'], keepCopy: true, active: true }]);
  assert.deepEqual(plan.create.aliasDomains, [{ alias: 'example.org', target: 'example.com', active: true }]);
  assert.deepEqual(plan.create.transports, [{ domain: 'relay.example', route: { kind: 'smtp', host: 'mail.isp.example', port: 587, mxLookup: false } }]);
  assert.deepEqual(
    plan.conflicts.map((c) => [c.kind, c.effect, 'address' in c ? c.address : c.domain]),
    [
      ['invalid-address', 'skipped', 'localhost'],
      ['unknown-hash', 'imported-disabled', 'bob@example.com'],
      ['address-exists', 'skipped', 'taken@existing.example'],
      ['unknown-domain', 'skipped', 'stray@nowhere.example'],
      ['invalid-address', 'skipped', 'bad address@example.com'],
      ['unknown-domain', 'skipped', 'sales@other.example'],
      ['unknown-destination', 'imported', 'info@example.com'],
      ['alias-domain-conflict', 'skipped', 'example.net'],
      ['unsupported-transport', 'skipped', 'old.example'],
    ],
  );
  const unknown = plan.conflicts.find((c) => c.kind === 'unknown-destination');
  assert.deepEqual(unknown, { kind: 'unknown-destination', address: 'info@example.com', destination: 'ghost@existing.example', effect: 'imported' });
  assert.deepEqual(plan.totals, { domains: 1, accounts: 2, aliases: 3, messages: 0, bytes: 0 });
});

test('summarizes a Maildir without reading bodies and flags over-quota mail, unreadable files and mail without an owner', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'mailroom-plan-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const sub of ['cur', 'new', 'tmp', '.Sent/cur', '.Sent/new']) mkdirSync(join(root, sub), { recursive: true });
  writeFileSync(join(root, 'cur', '1700000000.M1P1.host,S=600,W=620:2,S'), 'x'.repeat(600));
  writeFileSync(join(root, '.Sent', 'cur', '1700000001.M2P1.host,S=500,W=510:2,S'), 'y'.repeat(500));
  symlinkSync(join(root, 'gone'), join(root, 'new', '1700000002.M3P1.host'));
  const alice = await summarizeMail('alice@example.com', root, readMaildir(root));
  assert.deepEqual(alice, { address: 'alice@example.com', source: root, folders: 2, messages: 2, bytes: 1130, unreadable: 1 });

  const plan = await planImport({ directory, mail: [alice, { ...alice, address: 'nobody@example.com' }, { ...alice, address: 'taken@existing.example', unreadable: 0 }] }, existing);
  assert.deepEqual(plan.create.mail.map((m) => m.address), ['alice@example.com', 'taken@existing.example']);
  assert.deepEqual(
    plan.conflicts.filter((c) => ['over-quota', 'unreadable-mail', 'mail-without-account'].includes(c.kind)),
    [
      { kind: 'over-quota', address: 'alice@example.com', quota: 1000, bytes: 1130, effect: 'imported' },
      { kind: 'unreadable-mail', address: 'alice@example.com', count: 1, effect: 'skipped' },
      { kind: 'mail-without-account', address: 'nobody@example.com', source: root, effect: 'skipped' },
    ],
  );
  assert.deepEqual([plan.totals.messages, plan.totals.bytes], [4, 2260]);
});
