// The import progress bar's line: share done, counts, size, rate and ETA, and where it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressLine } from '../../../../server/host/cli/progress-bar.js';

test('the progress line shows counts, rate and ETA from the messages per second so far', () => {
  const line = progressLine(
    { stage: 'mail', users: { done: 1, total: 3 }, messages: { done: 500, total: 2000 }, bytes: { done: 5 * 1024 * 1024, total: 0 }, user: 'alice@example.com', folder: 'Lists/dev' },
    10_000,
  );
  assert.equal(line, '[######..................] 25% users 1/3  messages 500/2000  5M  50 msg/s  ETA 0:30  alice@example.com Lists/dev');
});

test('a stored folder name cannot drive the terminal', () => {
  const line = progressLine({ stage: 'mail', users: { done: 0, total: 1 }, messages: { done: 0, total: 0 }, bytes: { done: 0, total: 0 }, folder: 'a\x1b[2Jb' }, 0);
  assert.match(line, /100% .*ETA --:-- {2}a\\x1b\[2Jb$/);
});
