import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Maildrop, MaildropLocks } from '../../../server/pop3/maildrop.js';
import { Pop3Error } from '../../../server/pop3/errors.js';

const drop = () =>
  new Maildrop(7, 1700000000, [
    { id: 11, uid: 3, size: 100 },
    { id: 12, uid: 5, size: 200 },
    { id: 13, uid: 9, size: 300 },
  ]);

const refuses = (fn: () => unknown, reason: RegExp) => assert.throws(fn, (e: unknown) => e instanceof Pop3Error && reason.test(e.text));

test('numbers messages from 1 and names them <uidvalidity>.<uid>', () => {
  const m = drop();
  assert.deepEqual(m.stat(), { count: 3, octets: 600 });
  assert.deepEqual(m.get(2), { number: 2, id: 12, uid: 5, size: 200, uniqueId: '1700000000.5' });
  refuses(() => m.get(4), /no message 4/);
});

test('deletion marks hide a message without renumbering; RSET clears them', () => {
  const m = drop();
  m.markDeleted(2);
  assert.deepEqual(m.stat(), { count: 2, octets: 400 });
  assert.deepEqual(m.listing().map((x) => x.number), [1, 3]);
  assert.equal(m.get(3).uid, 9);
  refuses(() => m.get(2), /already deleted/);
  refuses(() => m.markDeleted(2), /already deleted/);
  assert.deepEqual(m.markedUids(), [5]);
  m.reset();
  assert.deepEqual(m.markedUids(), []);
  assert.equal(m.stat().count, 3);
});

test('messages expunged elsewhere become unreadable and leave the listing', () => {
  const m = drop();
  m.forget([9]);
  refuses(() => m.get(3), /deleted by another session/);
  assert.deepEqual(m.stat(), { count: 2, octets: 300 });
  m.forgetAll();
  assert.deepEqual(m.listing(), []);
});

test('one lock per account; release is idempotent and frees it', () => {
  const locks = new MaildropLocks();
  const a = locks.acquire(1);
  assert.ok(a);
  assert.equal(locks.acquire(1), null);
  const b = locks.acquire(2);
  assert.ok(b);
  a.release();
  a.release();
  const again = locks.acquire(1);
  assert.ok(again);
  assert.equal(locks.acquire(1), null, 'a second release of the old hold must not free the new one');
});
