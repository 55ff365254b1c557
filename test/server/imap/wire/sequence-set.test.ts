import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatSequenceSet,
  parseSequenceSet,
  resolveSequenceSet,
  resolveUidSet,
  sequenceSetMatcher,
  sequenceSetMax,
  SAVED_RESULT,
  type SeqRanges,
} from '../../../../server/imap/wire/index.js';

/** A parsed set that is ranges (not `$`). */
function ranges(text: string): SeqRanges {
  const set = parseSequenceSet(text);
  assert.notEqual(set, SAVED_RESULT);
  return set as SeqRanges;
}

describe('sequence sets', () => {
  it('parses numbers, ranges, * and reversed ranges as written', () => {
    assert.deepEqual(parseSequenceSet('1:*,*:5,5:3,7'), [
      { from: 1, to: '*' },
      { from: '*', to: 5 },
      { from: 5, to: 3 },
      { from: 7, to: 7 },
    ]);
    assert.deepEqual(parseSequenceSet('4294967295'), [{ from: 4294967295, to: 4294967295 }]);
  });

  it('parses $ alone as the saved search result (RFC 5182)', () => {
    assert.equal(parseSequenceSet('$'), SAVED_RESULT);
  });

  it('refuses malformed sets', () => {
    for (const text of ['', '0', '1:0', '01', '1,', ',1', '1::2', '1:2:3', '4294967296', '$,1', '1:$', '$$', '**', '1 2']) {
      assert.throws(() => parseSequenceSet(text), { reason: 'Invalid sequence set' }, text);
    }
  });

  it('resolves message numbers against the message count', () => {
    assert.deepEqual(resolveSequenceSet(ranges('1:*'), 4), [1, 2, 3, 4]);
    assert.deepEqual(resolveSequenceSet(ranges('*:3'), 5), [3, 4, 5]);
    assert.deepEqual(resolveSequenceSet(ranges('5:3,2,4,9'), 6), [2, 3, 4, 5]);
    assert.deepEqual(resolveSequenceSet(ranges('*'), 0), []);
    assert.deepEqual(resolveSequenceSet(ranges('2:3,1:2,3:4'), 10), [1, 2, 3, 4]);
  });

  it('resolves UIDs to message numbers; * is the highest UID', () => {
    const uids = [3, 5, 9, 10, 20];
    assert.deepEqual(resolveUidSet(ranges('1:*'), uids), [1, 2, 3, 4, 5]);
    assert.deepEqual(resolveUidSet(ranges('4:9,20'), uids), [2, 3, 5]);
    assert.deepEqual(resolveUidSet(ranges('559:*'), uids), [5]);
    assert.deepEqual(resolveUidSet(ranges('11:19'), uids), []);
    assert.deepEqual(resolveUidSet(ranges('1:*'), []), []);
  });

  it('resolves large sets without walking the numbers they name', () => {
    const uids = Array.from({ length: 20000 }, (_, i) => 2 * i + 1);
    const all = resolveUidSet(ranges('1:4294967295'), uids);
    assert.equal(all.length, 20000);
    assert.equal(all[19999], 20000);
    const some = resolveUidSet(ranges('39999,1:5,*'), uids);
    assert.deepEqual(some, [1, 2, 3, 20000]);
    assert.equal(resolveSequenceSet(ranges('1:4294967295'), 12000).length, 12000);
  });

  it('reports the highest number a set names', () => {
    assert.equal(sequenceSetMax(ranges('1:3,7'), 5), 7);
    assert.equal(sequenceSetMax(ranges('2,*'), 5), 5);
  });

  it('tests membership', () => {
    const has = sequenceSetMatcher(ranges('2:4,10,*:12'), 15);
    assert.deepEqual(
      [1, 2, 4, 5, 10, 11, 12, 15, 16].map((n) => has(n)),
      [false, true, true, false, true, false, true, true, false],
    );
  });

  it('formats numbers compactly, keeping their order', () => {
    assert.equal(formatSequenceSet([1, 2, 3, 5, 7, 8]), '1:3,5,7:8');
    assert.equal(formatSequenceSet([305, 300, 301]), '305,300:301');
    assert.equal(formatSequenceSet([]), '');
  });
});
