// The directory schemas as the guides create them (column names and types from PostfixAdmin's
// upgrade.php, the HowtoForge and ISPmail guides and extmail's init.sql, trimmed of columns we do not
// read where the guides agree they are optional), with sample rows covering what import must handle:
// self-aliases, forwardings with a kept copy, catch-alls, alias domains, transports, inactive rows and
// password schemes Mailroom can and cannot verify.

export const HASH = {
  sha512crypt: '{SHA512-CRYPT}$6$saltsalt$jCP90RmSIIja2o9FRs25ASQaR1lMN6uKHmNcHaoNCpAXgV3n5NfAlQdZQcvMVQO1BTCOFF0LzoHFZBt9E45NW0', // secret1
  md5crypt: '$1$abcdefgh$m5pHDuUIn6YTK75FnDdv01', // secret2
  des: 'abiFLH2RJLCKc', // secret3, as MySQL ENCRYPT() wrote it
  plain: '{PLAIN}secret4',
  argon2: '{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
};

/** PostfixAdmin; `bool` is `tinyint(1)` on MySQL and `boolean` on PostgreSQL, as its installer has it. */
export function postfixAdminSchema(dialect: 'mysql' | 'postgres'): string {
  const bool = dialect === 'mysql' ? 'tinyint(1)' : 'boolean';
  const yes = dialect === 'mysql' ? '1' : 'true';
  const no = dialect === 'mysql' ? '0' : 'false';
  const time = dialect === 'mysql' ? 'datetime' : 'timestamp with time zone';
  return `
CREATE TABLE domain (
  domain varchar(255) NOT NULL, description varchar(255) NOT NULL, aliases int NOT NULL DEFAULT 0,
  mailboxes int NOT NULL DEFAULT 0, maxquota bigint NOT NULL DEFAULT 0, quota bigint NOT NULL DEFAULT 0,
  transport varchar(255) NOT NULL, backupmx ${bool} NOT NULL DEFAULT ${no},
  created ${time} NOT NULL DEFAULT '2000-01-01 00:00:00', modified ${time} NOT NULL DEFAULT '2000-01-01 00:00:00',
  active ${bool} NOT NULL DEFAULT ${yes}, PRIMARY KEY (domain));
CREATE TABLE mailbox (
  username varchar(255) NOT NULL, password varchar(255) NOT NULL, name varchar(255) NOT NULL,
  maildir varchar(255) NOT NULL, quota bigint NOT NULL DEFAULT 0, local_part varchar(255) NOT NULL,
  domain varchar(255) NOT NULL, created ${time} NOT NULL DEFAULT '2000-01-01 00:00:00',
  modified ${time} NOT NULL DEFAULT '2000-01-01 00:00:00', active ${bool} NOT NULL DEFAULT ${yes}, PRIMARY KEY (username));
CREATE TABLE alias (
  address varchar(255) NOT NULL, goto text NOT NULL, domain varchar(255) NOT NULL,
  created ${time} NOT NULL DEFAULT '2000-01-01 00:00:00', modified ${time} NOT NULL DEFAULT '2000-01-01 00:00:00',
  active ${bool} NOT NULL DEFAULT ${yes}, PRIMARY KEY (address));
CREATE TABLE alias_domain (
  alias_domain varchar(255) NOT NULL, target_domain varchar(255) NOT NULL,
  created ${time} NOT NULL DEFAULT '2000-01-01 00:00:00', modified ${time} NOT NULL DEFAULT '2000-01-01 00:00:00',
  active ${bool} NOT NULL DEFAULT ${yes}, PRIMARY KEY (alias_domain));
INSERT INTO domain (domain, description, transport, active) VALUES
  ('ALL', '', '', ${yes}),
  ('example.com', 'Main office', 'virtual', ${yes}),
  ('example.net', '', 'smtp:[relay.example.net]:2525', ${yes}),
  ('old.example', 'gone', 'virtual', ${no});
INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) VALUES
  ('alice@example.com', '${HASH.sha512crypt}', 'Alice Liddell', 'example.com/alice/', 1073741824, 'alice', 'example.com', ${yes}),
  ('bob@example.com', '${HASH.md5crypt}', 'Bob', 'example.com/bob/', 0, 'bob', 'example.com', ${yes}),
  ('carol@example.net', '${HASH.plain}', 'Carol', 'example.net/carol/', 52428800, 'carol', 'example.net', ${no}),
  ('dave@example.com', '${HASH.argon2}', '', 'example.com/dave/', 0, 'dave', 'example.com', ${yes});
INSERT INTO alias (address, goto, domain, active) VALUES
  ('alice@example.com', 'alice@example.com', 'example.com', ${yes}),
  ('bob@example.com', 'bob@example.com,bob@mobile.example', 'example.com', ${yes}),
  ('carol@example.net', 'carol@example.net', 'example.net', ${no}),
  ('dave@example.com', 'dave@example.com', 'example.com', ${yes}),
  ('info@example.com', 'alice@example.com, bob@example.com', 'example.com', ${yes}),
  ('sales@example.com', 'partner@elsewhere.example', 'example.com', ${yes}),
  ('old@example.com', 'alice@example.com', 'example.com', ${no}),
  ('@example.net', 'carol@example.net', 'example.net', ${yes});
INSERT INTO alias_domain (alias_domain, target_domain, active) VALUES ('example.org', 'example.com', ${yes});
`;
}

/** HowtoForge "Virtual Users And Domains With Postfix, Courier, MySQL" (MySQL ENCRYPT() passwords). */
export const HOWTO_FORWARDINGS_MYSQL = `
CREATE TABLE domains (domain varchar(50) NOT NULL, PRIMARY KEY (domain));
CREATE TABLE forwardings (source varchar(80) NOT NULL, destination TEXT NOT NULL, PRIMARY KEY (source));
CREATE TABLE users (email varchar(80) NOT NULL, password varchar(20) NOT NULL, quota INT(10) DEFAULT '10485760', PRIMARY KEY (email));
CREATE TABLE transport (domain varchar(128) NOT NULL default '', transport varchar(128) NOT NULL default '', UNIQUE KEY domain (domain));
INSERT INTO domains VALUES ('example.com'), ('relay.example');
INSERT INTO users VALUES ('sales@example.com', '${HASH.des}', 10485760), ('boss@example.com', '${HASH.plain}', 0);
INSERT INTO forwardings VALUES ('info@example.com', 'sales@example.com'), ('@example.com', 'boss@example.com');
INSERT INTO transport VALUES ('relay.example', 'smtp:[mail.isp.example]');
`;

/** workaround.org ISPmail (also DigitalOcean's and Linode's guides); `id` is serial/INTEGER PRIMARY KEY. */
export function howtoVirtualSchema(id: string): string {
  return `
CREATE TABLE virtual_domains (id ${id}, name varchar(50) NOT NULL);
CREATE TABLE virtual_users (id ${id}, domain_id int NOT NULL, email varchar(100) NOT NULL, password varchar(150) NOT NULL, quota bigint NOT NULL DEFAULT 0);
CREATE TABLE virtual_aliases (id ${id}, domain_id int NOT NULL, source varchar(100) NOT NULL, destination varchar(100) NOT NULL);
INSERT INTO virtual_domains (name) VALUES ('Example.ORG');
INSERT INTO virtual_users (domain_id, email, password, quota) VALUES (1, 'john@example.org', '${HASH.sha512crypt}', 2097152);
INSERT INTO virtual_aliases (domain_id, source, destination) VALUES
  (1, 'postmaster@example.org', 'john@example.org'),
  (1, 'team@example.org', 'john@example.org'),
  (1, 'team@example.org', 'mary@elsewhere.example');
`;
}

/** extmail's init.sql (MySQL), with dates defaulting to 2000 so strict SQL modes accept it. */
export const EXTMAIL_MYSQL = `
CREATE TABLE domain (
  domain varchar(255) NOT NULL default '', description varchar(255) NOT NULL default '', hashdirpath varchar(255) default '',
  maxalias int(10) NOT NULL default '0', maxusers int(10) NOT NULL default '0', maxquota varchar(16) NOT NULL default '0',
  maxnetdiskquota varchar(16) NOT NULL default '0', transport varchar(255) default NULL, can_signup int(1) NOT NULL default '0',
  default_quota varchar(255) default NULL, default_netdiskquota varchar(255) default NULL, default_expire varchar(12) default NULL,
  createdate datetime NOT NULL default '2000-01-01 00:00:00', expiredate date NOT NULL default '2000-01-01',
  active smallint(1) NOT NULL default '1', PRIMARY KEY (domain));
CREATE TABLE mailbox (
  username varchar(255) NOT NULL default '', uidnumber int(6) NOT NULL default '1000', gidnumber int(6) NOT NULL default '1000',
  password varchar(255) NOT NULL default '', clearpwd varchar(128) NOT NULL default '', name varchar(255) NOT NULL default '',
  mailhost varchar(255) NOT NULL default '', maildir varchar(255) NOT NULL default '', homedir varchar(255) NOT NULL default '',
  quota varchar(255) NOT NULL default '', netdiskquota varchar(255) NOT NULL default '', domain varchar(255) NOT NULL default '',
  createdate datetime NOT NULL default '2000-01-01 00:00:00', expiredate date NOT NULL default '2000-01-01',
  active smallint(1) NOT NULL default '1', PRIMARY KEY (username));
CREATE TABLE alias (
  alias varchar(255) NOT NULL default '', goto text NOT NULL, domain varchar(255) NOT NULL default '',
  createdate datetime NOT NULL default '2000-01-01 00:00:00', active smallint(1) NOT NULL default '1', PRIMARY KEY (alias));
INSERT INTO domain (domain, description, transport, default_quota) VALUES ('extmail.org', 'ExtMail', NULL, '5242880S');
INSERT INTO mailbox (username, password, name, maildir, quota, domain) VALUES
  ('postmaster@extmail.org', '${HASH.md5crypt}', 'Postmaster', 'extmail.org/postmaster/Maildir/', '5242880S', 'extmail.org');
INSERT INTO alias (alias, goto, domain) VALUES ('support@extmail.org', 'postmaster@extmail.org', 'extmail.org');
`;
