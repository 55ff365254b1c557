// Reading old directories from real MariaDB and PostgreSQL servers started here (test/helpers), and
// from SQLite files, through every preset and a pasted custom mapping.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import Database from 'better-sqlite3';
import { verifyLegacyHash } from '../../../server/auth/legacy-hashes.js';
import { readDirectory } from '../../../server/import/directory/read-directory.js';
import { openSqlSource, type SqlSource } from '../../../server/import/directory/sql-source.js';
import type { Directory } from '../../../server/import/directory/types.js';
import { mariadbMissing, startMariaDb, type MariaDb } from '../../helpers/mariadb.js';
import { postgresMissing, startPostgres, type Postgres } from '../../helpers/postgres.js';
import { EXTMAIL_MYSQL, HASH, HOWTO_FORWARDINGS_MYSQL, howtoVirtualSchema, postfixAdminSchema } from './directory-schemas.js';

const POSTFIXADMIN: Omit<Directory, 'accounts'> & { accounts: unknown[] } = {
  domains: [
    { name: 'example.com', active: true, description: 'Main office' },
    { name: 'example.net', active: true },
    { name: 'old.example', active: false, description: 'gone' },
  ],
  accounts: [
    { address: 'alice@example.com', name: 'Alice Liddell', passwordHash: HASH.sha512crypt, hash: { usable: true, scheme: 'SHA512-CRYPT' }, quota: 1073741824, active: true, maildir: 'example.com/alice/' },
    { address: 'bob@example.com', name: 'Bob', passwordHash: HASH.md5crypt, hash: { usable: true, scheme: 'MD5-CRYPT' }, quota: 0, active: true, maildir: 'example.com/bob/' },
    { address: 'carol@example.net', name: 'Carol', passwordHash: HASH.plain, hash: { usable: true, scheme: 'PLAIN' }, quota: 52428800, active: false, maildir: 'example.net/carol/' },
    {
      address: 'dave@example.com',
      name: '',
      passwordHash: HASH.argon2,
      hash: { usable: false, scheme: 'ARGON2ID', reason: `unsupported password scheme ARGON2ID: supported: ${''}` },
      quota: 0,
      active: true,
      maildir: 'example.com/dave/',
    },
  ],
  aliases: [
    { address: '*@example.net', destinations: ['carol@example.net'], active: true },
    { address: 'bob@example.com', destinations: ['bob@example.com', 'bob@mobile.example'], active: true },
    { address: 'info@example.com', destinations: ['alice@example.com', 'bob@example.com'], active: true },
    { address: 'old@example.com', destinations: ['alice@example.com'], active: false },
    { address: 'sales@example.com', destinations: ['partner@elsewhere.example'], active: true },
  ],
  aliasDomains: [{ alias: 'example.org', target: 'example.com', active: true }],
  transports: [
    { domain: 'example.com', transport: 'virtual' },
    { domain: 'example.net', transport: 'smtp:[relay.example.net]:2525' },
    { domain: 'old.example', transport: 'virtual' },
  ],
};

/** The unknown-scheme reason lists the supported schemes; compare its start only. */
function withoutReasonTail(directory: Directory) {
  return {
    ...directory,
    accounts: directory.accounts.map((a) => (a.hash.usable ? a : { ...a, hash: { ...a.hash, reason: a.hash.reason.replace(/supported: .*/, 'supported: ') } })),
  };
}

async function read(url: string, mapping: Parameters<typeof readDirectory>[1]) {
  const source = await openSqlSource(url);
  try {
    return await readDirectory(source, mapping);
  } finally {
    await source.close();
  }
}

function assertPostfixAdmin(reading: Awaited<ReturnType<typeof readDirectory>>) {
  assert.equal(reading.preset, 'postfixadmin');
  assert.deepEqual(reading.warnings, []);
  const { preset: _p, warnings: _w, ...directory } = reading;
  assert.deepEqual(withoutReasonTail(directory), POSTFIXADMIN);
}

describe('MariaDB directories', { skip: mariadbMissing }, () => {
  let db: MariaDb;
  before(async () => {
    db = await startMariaDb();
    await db.exec('CREATE DATABASE postfix; CREATE DATABASE howto; CREATE DATABASE extmail;');
    await db.exec(postfixAdminSchema('mysql'), 'postfix');
    await db.exec(HOWTO_FORWARDINGS_MYSQL, 'howto');
    await db.exec(EXTMAIL_MYSQL, 'extmail');
  });
  after(() => db?.stop());

  it('reads a PostfixAdmin schema: domains, mailboxes, forwardings, catch-all, alias domain, transports', async () => {
    const reading = await read(db.url('postfix'), 'postfixadmin');
    assertPostfixAdmin(reading);
    const alice = reading.accounts.find((a) => a.address === 'alice@example.com')!;
    assert.equal(await verifyLegacyHash(alice.passwordHash, 'secret1'), true, 'the kept hash still verifies');
  });

  it('reads the HowtoForge domains/users/forwardings/transport schema; ENCRYPT() DES hashes are marked unusable', async () => {
    const reading = await read(db.url('howto'), 'howto');
    assert.equal(reading.preset, 'howto-forwardings');
    assert.deepEqual(reading.domains, [{ name: 'example.com', active: true }, { name: 'relay.example', active: true }]);
    assert.deepEqual(
      reading.accounts.map((a) => [a.address, a.quota, a.active, a.hash.usable, a.hash.scheme]),
      [
        ['boss@example.com', 0, true, true, 'PLAIN'],
        ['sales@example.com', 10485760, true, false, 'DES-CRYPT'],
      ],
    );
    assert.equal(reading.accounts[1].passwordHash, HASH.des, 'kept as stored');
    assert.deepEqual(reading.aliases, [
      { address: '*@example.com', destinations: ['boss@example.com'], active: true },
      { address: 'info@example.com', destinations: ['sales@example.com'], active: true },
    ]);
    assert.deepEqual(reading.transports, [{ domain: 'relay.example', transport: 'smtp:[mail.isp.example]' }]);
  });

  it('reads an extmail schema with maildir++ quota strings', async () => {
    const reading = await read(db.url('extmail'), 'extmail');
    assert.deepEqual(reading.domains, [{ name: 'extmail.org', active: true, description: 'ExtMail', defaultQuota: 5242880 }]);
    assert.deepEqual(reading.accounts, [
      {
        address: 'postmaster@extmail.org',
        name: 'Postmaster',
        passwordHash: HASH.md5crypt,
        hash: { usable: true, scheme: 'MD5-CRYPT' },
        quota: 5242880,
        active: true,
        maildir: 'extmail.org/postmaster/Maildir/',
      },
    ]);
    assert.deepEqual(reading.aliases, [{ address: 'support@extmail.org', destinations: ['postmaster@extmail.org'], active: true }]);
    assert.deepEqual(reading.transports, []);
  });

  it('lists a directory from the lookup queries of main.cf and dovecot-sql.conf.ext, pasted as they are', async () => {
    const reading = await read(db.url('postfix'), {
      domains: "SELECT domain FROM domain WHERE domain='%s' AND backupmx = '0' AND active = '1'",
      accounts: "SELECT username AS user, password, CONCAT('*:bytes=', quota) AS userdb_quota_rule FROM mailbox WHERE username = '%u' AND active = '1'",
      aliases: "SELECT goto FROM alias WHERE address='%s' AND active = '1'",
      transports: "SELECT transport FROM domain WHERE domain='%s' AND transport <> 'virtual';",
    });
    assert.equal(reading.preset, 'custom');
    assert.deepEqual(reading.domains.map((d) => d.name), ['all', 'example.com', 'example.net']);
    assert.deepEqual(reading.accounts.map((a) => [a.address, a.quota, a.hash.scheme]), [
      ['alice@example.com', 1073741824, 'SHA512-CRYPT'],
      ['bob@example.com', 0, 'MD5-CRYPT'],
      ['dave@example.com', 0, 'ARGON2ID'],
    ]);
    assert.deepEqual(reading.aliases.map((a) => a.address), ['*@example.net', 'bob@example.com', 'info@example.com', 'sales@example.com']);
    assert.deepEqual(reading.transports, [{ domain: 'example.net', transport: 'smtp:[relay.example.net]:2525' }]);
  });

  it('names the table when a preset does not match the schema', async () => {
    await assert.rejects(read(db.url('howto'), 'postfixadmin'), /cannot read table domain/);
  });
});

describe('PostgreSQL directories', { skip: postgresMissing }, () => {
  let pg: Postgres;
  before(async () => {
    pg = await startPostgres();
    await pg.exec('CREATE DATABASE postfix');
    await pg.exec('CREATE DATABASE ispmail');
    await pg.exec(postfixAdminSchema('postgres'), 'postfix');
    await pg.exec(howtoVirtualSchema('serial PRIMARY KEY'), 'ispmail');
  });
  after(() => pg?.stop());

  it('reads a PostfixAdmin schema with boolean columns', async () => {
    assertPostfixAdmin(await read(pg.url('postfix'), 'postfixadmin'));
  });

  it('finds the ISPmail virtual_* schema for the howto preset and groups one row per destination', async () => {
    const reading = await read(pg.url('ispmail'), 'howto');
    assert.equal(reading.preset, 'howto-virtual');
    assert.deepEqual(reading.domains, [{ name: 'example.org', active: true }]);
    assert.deepEqual(reading.accounts.map((a) => [a.address, a.quota, a.active, a.hash.scheme]), [['john@example.org', 2097152, true, 'SHA512-CRYPT']]);
    assert.deepEqual(reading.aliases, [
      { address: 'postmaster@example.org', destinations: ['john@example.org'], active: true },
      { address: 'team@example.org', destinations: ['john@example.org', 'mary@elsewhere.example'], active: true },
    ]);
  });

  it('uses a Dovecot password_query with %n and %d', async () => {
    const reading = await read(pg.url('postfix'), { accounts: "SELECT password FROM mailbox WHERE local_part = '%n' AND domain = '%d' AND active" });
    assert.deepEqual(reading.accounts.map((a) => a.address), ['alice@example.com', 'bob@example.com', 'dave@example.com']);
  });
});

describe('SQLite directories', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-import-sqlite-'));
    file = join(dir, 'ispmail.sqlite');
    const db = new Database(file);
    db.exec(howtoVirtualSchema('INTEGER PRIMARY KEY'));
    db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the ISPmail schema from an SQLite file, read-only', async () => {
    const reading = await read(`sqlite:${file}`, 'howto-virtual');
    assert.deepEqual(reading.accounts.map((a) => a.address), ['john@example.org']);
    assert.equal(reading.aliases.length, 2);
    const source: SqlSource = await openSqlSource(`sqlite:${file}`);
    await assert.rejects(source.query("INSERT INTO virtual_domains (name) VALUES ('x.example')"), /readonly/);
    await source.close();
  });

  it('refuses an unknown URL scheme and a missing file with a sentence', async () => {
    await assert.rejects(openSqlSource('oracle://scott:tiger@db/x'), /is not a database URL: use mysql:\/\/, postgres:\/\/ or sqlite:FILE/);
    await assert.rejects(openSqlSource(`sqlite:${file}.missing`), /cannot open the SQLite file/);
  });
});

test('a custom query with a placeholder outside a key condition is refused, naming it', async () => {
  const { enumeratingQuery } = await import('../../../server/import/directory/custom-maps.js');
  assert.equal(
    enumeratingQuery("SELECT destination FROM virtual_aliases WHERE source='%s'", 'postfix'),
    'SELECT source AS mr_key_full, destination FROM virtual_aliases WHERE 1=1',
  );
  assert.throws(() => enumeratingQuery("SELECT CONCAT('%u', '@x') FROM t", 'postfix'), /cannot be listed/);
  assert.throws(() => enumeratingQuery('SELECT goto FROM alias', 'postfix'), /no "column = '%x'" condition/);
});
