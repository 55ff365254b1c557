import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDnsCache } from '../../../server/dns/cache.js';
import type { DnsResolver } from '../../../server/dns/resolver.js';
import { fakeClock } from '../../helpers/temp.js';

/** A resolver whose answers the test scripts, counting the questions that reach it. */
function scripted(answers: Record<string, () => unknown>) {
  const asked: string[] = [];
  const ask = async (key: string) => {
    asked.push(key);
    const answer = answers[key];
    if (!answer) throw Object.assign(new Error(`queryTxt ENOTFOUND ${key}`), { code: 'ENOTFOUND' });
    return answer();
  };
  const resolver: DnsResolver = {
    resolveMx: (name) => ask(`MX ${name}`) as never,
    resolve4: (name) => ask(`A ${name}`) as never,
    resolve6: (name) => ask(`AAAA ${name}`) as never,
    resolveTxt: (name) => ask(`TXT ${name}`) as never,
    resolve: (name, type) => ask(`${type} ${name}`) as never,
    resolve4Ttl: (name) => ask(`A+ttl ${name}`) as never,
  };
  return { resolver, asked };
}

test('answers are reused until their time is up, then asked again', async () => {
  const clock = fakeClock();
  const { resolver, asked } = scripted({ 'TXT sender.test': () => [['v=spf1 -all']] });
  const cache = createDnsCache(resolver, { clock, ttlMs: 60_000 });
  assert.deepEqual(await cache.resolve('sender.test', 'TXT'), [['v=spf1 -all']]);
  assert.deepEqual(await cache.resolve('SENDER.test', 'TXT'), [['v=spf1 -all']], 'names compare case-insensitively');
  assert.equal(asked.length, 1);
  clock.advance(60_001);
  await cache.resolve('sender.test', 'TXT');
  assert.equal(asked.length, 2);
});

test('A answers are kept for their own TTL, capped', async () => {
  const clock = fakeClock();
  const { resolver, asked } = scripted({ 'A+ttl 2.0.0.127.zen.test': () => [{ address: '127.0.0.2', ttl: 5 }] });
  const cache = createDnsCache(resolver, { clock, ttlMs: 60_000 });
  assert.deepEqual(await cache.resolve4('2.0.0.127.zen.test'), ['127.0.0.2']);
  clock.advance(4_000);
  await cache.resolve4('2.0.0.127.zen.test');
  assert.equal(asked.length, 1);
  clock.advance(1_001);
  await cache.resolve4('2.0.0.127.zen.test');
  assert.equal(asked.length, 2, 'asked again after the 5 s TTL');
});

test('"no such name" is cached; a failure to get an answer is not', async () => {
  const clock = fakeClock();
  let fail = true;
  const { resolver, asked } = scripted({
    'TXT flaky.test': () => {
      if (fail) throw Object.assign(new Error('queryTxt ETIMEOUT flaky.test'), { code: 'ETIMEOUT' });
      return [['ok']];
    },
  });
  const cache = createDnsCache(resolver, { clock });
  await assert.rejects(cache.resolveTxt('missing.test'), { code: 'ENOTFOUND' });
  await assert.rejects(cache.resolveTxt('missing.test'), { code: 'ENOTFOUND' });
  assert.equal(asked.filter((q) => q === 'TXT missing.test').length, 1);
  await assert.rejects(cache.resolveTxt('flaky.test'), { code: 'ETIMEOUT' });
  fail = false;
  assert.deepEqual(await cache.resolveTxt('flaky.test'), [['ok']]);
  assert.equal(asked.filter((q) => q === 'TXT flaky.test').length, 2);
});

test('concurrent identical questions share one lookup, and the cache stays bounded', async () => {
  const clock = fakeClock();
  const { resolver, asked } = scripted({ 'MX a.test': () => [{ exchange: 'mx.a.test', priority: 10 }], 'MX b.test': () => [], 'MX c.test': () => [] });
  const cache = createDnsCache(resolver, { clock, maxEntries: 2 });
  await Promise.all([cache.resolveMx('a.test'), cache.resolveMx('a.test'), cache.resolveMx('a.test')]);
  assert.equal(asked.length, 1);
  await cache.resolveMx('b.test');
  await cache.resolveMx('c.test');
  await cache.resolveMx('a.test');
  assert.equal(asked.filter((q) => q === 'MX a.test').length, 2, 'the oldest entry was dropped for the third');
});
