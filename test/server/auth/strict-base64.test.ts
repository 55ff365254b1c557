import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64, decodeHex } from '../../../server/auth/strict-base64.js';

describe('strict-base64', () => {
  it('decodes canonical base64 with and without padding', () => {
    assert.deepEqual(decodeBase64('cGVuY2ls'), Buffer.from('pencil'));
    assert.deepEqual(decodeBase64('cGVuY2lsMQ=='), Buffer.from('pencil1'));
    assert.deepEqual(decodeBase64('cGVuY2lsMTI='), Buffer.from('pencil12'));
    assert.deepEqual(decodeBase64(''), Buffer.alloc(0));
  });

  it('refuses what Buffer.from would silently skip or guess', () => {
    for (const text of ['cGVuY2ls!', 'cGVuY2l', 'cGVu Y2ls', 'cGVuY2lsMQ', 'cGVuY2ls=', '-_8A']) {
      assert.equal(decodeBase64(text), undefined, text);
    }
  });

  it('decodes hex of either case and refuses odd lengths or non-hex', () => {
    assert.deepEqual(decodeHex('00fFaB'), Buffer.of(0, 255, 171));
    assert.equal(decodeHex('abc'), undefined);
    assert.equal(decodeHex('zz'), undefined);
  });
});
