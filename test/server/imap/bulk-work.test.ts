import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BulkWork } from '../../../server/imap/bulk-work.js';

test('bulk work is shared only while two or more run, and a failure still leaves', async () => {
  const bulk = new BulkWork();
  const seen: boolean[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const first = bulk.run(async () => {
    seen.push(bulk.shared);
    await held;
    seen.push(bulk.shared);
  });
  await bulk.run(async () => seen.push(bulk.shared));
  release();
  await first;
  await assert.rejects(bulk.run(async () => Promise.reject(new Error('boom'))), /boom/);
  assert.deepEqual(seen, [false, true, false]);
  assert.equal(bulk.shared, false);
  await bulk.run(async () => assert.equal(bulk.shared, false));
});
