import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImapNo } from '../../../server/imap/errors.js';
import { checkNewName, listMatcher, superiorNames } from '../../../server/imap/mailbox-names.js';

test('listMatcher: * crosses levels, % does not, the reference is prefixed', () => {
  const names = ['INBOX', 'INBOX/Sub', 'Work', 'Work/2026', 'Work/2026/Q1', 'Workshop', 'a.b', 'a+b'];
  const match = (reference: string, pattern: string) => names.filter(listMatcher(reference, pattern));
  assert.deepEqual(match('', '*'), names);
  assert.deepEqual(match('', '%'), ['INBOX', 'Work', 'Workshop', 'a.b', 'a+b']);
  assert.deepEqual(match('', 'Work/%'), ['Work/2026']);
  assert.deepEqual(match('Work/', '*'), ['Work/2026', 'Work/2026/Q1']);
  assert.deepEqual(match('', 'Work*'), ['Work', 'Work/2026', 'Work/2026/Q1', 'Workshop']);
  assert.deepEqual(match('', 'a.b'), ['a.b'], 'regular expression characters are literal');
  assert.deepEqual(match('', 'a+b'), ['a+b']);
});

test('listMatcher: INBOX matches in any case, other names case-sensitively', () => {
  assert.ok(listMatcher('', 'inbox')('INBOX'));
  assert.ok(listMatcher('', 'iNbOx/%')('INBOX/Sub'));
  assert.ok(listMatcher('', 'In%')('INBOX'));
  assert.ok(!listMatcher('', 'work')('Work'));
});

test('checkNewName accepts hierarchical names and refuses empty levels, wildcards and control characters', () => {
  assert.equal(checkNewName('Projects/2026'), 'Projects/2026');
  assert.equal(checkNewName('Projects/'), 'Projects', 'a trailing delimiter only announces inferiors');
  assert.equal(checkNewName('inbox/Sub'), 'INBOX/Sub');
  assert.equal(checkNewName('Café'), 'Café');
  for (const bad of ['', '/a', 'a//b', 'a/*', 'a%', 'bell\u0007', 'x'.repeat(300), Array(20).fill('a').join('/')]) {
    assert.throws(() => checkNewName(bad), ImapNo, JSON.stringify(bad));
  }
});

test('superiorNames lists every level above a name', () => {
  assert.deepEqual(superiorNames('a/b/c'), ['a', 'a/b']);
  assert.deepEqual(superiorNames('a'), []);
});
