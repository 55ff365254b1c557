import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseSubject, extractSubject } from '../../../server/imap/base-subject.js';

describe('base subject (RFC 5256 §2.1)', () => {
  it('removes Re:/Fwd: leaders, blobs, (fwd) trailers and [fwd: ] wrappers', () => {
    assert.equal(baseSubject('re: hello'), 'hello');
    assert.equal(baseSubject('[foo] fwd: [bar] re: fw: b (fwd)  (fwd)'), 'b');
    assert.equal(baseSubject('re: [fwd: c]'), 'c');
    assert.equal(baseSubject('re: [fwd: [fwd: re: [fwd: babylon]]]'), 'babylon');
    assert.equal(baseSubject('  many   spaces  '), 'many spaces');
    assert.equal(baseSubject('[xyz]'), '[xyz]', 'a blob alone is the subject');
    assert.equal(baseSubject('ad: re: x'), 'ad: re: x', 'only re, fw and fwd are leaders');
  });

  it('tells replies and forwards from originals', () => {
    assert.deepEqual(extractSubject('re: plans'), { base: 'plans', reply: true });
    assert.deepEqual(extractSubject('[list] plans'), { base: 'plans', reply: false });
    assert.deepEqual(extractSubject('plans (fwd)'), { base: 'plans', reply: true });
  });
});
