import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { prepareSpool, spoolMessage, SPILL_THRESHOLD } from '../../../server/smtp/data-spool.js';
import { tempDir } from '../../helpers/temp.js';

const chunks = (size: number, chunk = 16 * 1024) => Readable.from(Array.from({ length: Math.ceil(size / chunk) }, (_, i) => Buffer.alloc(Math.min(chunk, size - i * chunk), i % 251)));
const options = (dir: string, limit: number) => ({ limit, dir, name: 'test.1', minBytesPerSecond: 0, onTooSlow: () => assert.fail('no rate check') });

test('a message up to the threshold stays in memory; a bigger one goes to a file that discard() removes', async (t) => {
  const dir = tempDir(t);
  const small = await spoolMessage(chunks(SPILL_THRESHOLD), options(dir, 10 * SPILL_THRESHOLD));
  assert.ok(small);
  assert.equal(small.spilled, false);
  assert.equal((await small.read()).length, SPILL_THRESHOLD);
  assert.deepEqual(readdirSync(dir), []);

  const size = 3 * SPILL_THRESHOLD + 5;
  const big = await spoolMessage(chunks(size), options(dir, 10 * SPILL_THRESHOLD));
  assert.ok(big);
  assert.deepEqual([big.spilled, big.size], [true, size]);
  const bytes = await big.read();
  assert.equal(bytes.length, size);
  assert.deepEqual(bytes.subarray(16 * 1024, 16 * 1024 + 3), Buffer.alloc(3, 1), 'the bytes come back in order');
  assert.equal(readdirSync(dir).length, 1);
  await big.discard();
  assert.deepEqual(readdirSync(dir), []);
});

test('past the limit nothing is kept and the result is null', async (t) => {
  const dir = tempDir(t);
  assert.equal(await spoolMessage(chunks(2 * SPILL_THRESHOLD), options(dir, SPILL_THRESHOLD + 1)), null);
  assert.deepEqual(readdirSync(dir), []);
});

test('a stream that fails midway leaves no file behind', async (t) => {
  const dir = tempDir(t);
  const failing = new Readable({ read() {} });
  const result = spoolMessage(failing, options(dir, 100 * SPILL_THRESHOLD));
  failing.push(Buffer.alloc(SPILL_THRESHOLD + 1));
  failing.destroy(new Error('connection closed'));
  await assert.rejects(result, /connection closed/);
  for (let i = 0; i < 100 && readdirSync(dir).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(readdirSync(dir), []);
});

test('prepareSpool removes what a crashed process left, and nothing else', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'smtp-data-old.3'), 'x');
  writeFileSync(join(dir, 'other'), 'y');
  prepareSpool(dir);
  assert.equal(existsSync(join(dir, 'smtp-data-old.3')), false);
  assert.equal(existsSync(join(dir, 'other')), true);
});
