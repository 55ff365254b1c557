import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AUTH_BLOCK_AFTER_FAILURES,
  AUTH_BLOCK_MS,
  AUTH_DELAY_AFTER_FAILURES,
  AUTH_FAILURE_WINDOW_MS,
  createThrottle,
  ipSubject,
  type ThrottleOptions,
} from '../../../server/auth/throttle.js';

function setup(options: Omit<ThrottleOptions, 'clock'> = {}) {
  const clock = { t: 1_000_000, now: () => clock.t };
  return { clock, throttle: createThrottle({ clock, ...options }) };
}

describe('throttle', () => {
  it('documents its defaults: delays after 5 failures, a 15-minute block after 10 in 15 minutes', () => {
    assert.equal(AUTH_DELAY_AFTER_FAILURES, 5);
    assert.equal(AUTH_BLOCK_AFTER_FAILURES, 10);
    assert.equal(AUTH_FAILURE_WINDOW_MS, 15 * 60_000);
    assert.equal(AUTH_BLOCK_MS, 15 * 60_000);
  });

  it('imposes no delay for the first failures, then 1, 2, 4, 8, 16 seconds', () => {
    const { throttle, clock } = setup();
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      clock.t += 1000;
      const decision = throttle.check('192.0.2.1', 'tim@example.com');
      assert.equal(decision.blocked, false);
      delays.push(decision.blocked ? -1 : decision.delayMs);
      throttle.fail('192.0.2.1', 'tim@example.com');
    }
    assert.deepEqual(delays, [0, 0, 0, 0, 0, 1000, 2000, 4000, 8000]);
    assert.deepEqual(throttle.check('192.0.2.1', 'tim@example.com'), { blocked: false, delayMs: 16000 });
  });

  it('caps the delay', () => {
    const { throttle } = setup({ blockAfter: 100, maxDelayMs: 5000 });
    for (let i = 0; i < 20; i++) throttle.fail('192.0.2.1');
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 5000 });
  });

  it('blocks the IP and the account after 10 failures, for 15 minutes, and lists both blocks', () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 9; i++) assert.deepEqual(throttle.fail('192.0.2.1', 'Tim@Example.com'), []);
    const imposed = throttle.fail('192.0.2.1', 'Tim@Example.com');
    const until = clock.t + AUTH_BLOCK_MS;
    assert.deepEqual(imposed.map((b) => b.key), ['ip:192.0.2.1', 'account:tim@example.com']);
    assert.deepEqual(throttle.check('192.0.2.1', 'someone@else'), { blocked: true, until, key: 'ip:192.0.2.1' });
    assert.deepEqual(throttle.check('198.51.100.7', 'TIM@example.COM'), { blocked: true, until, key: 'account:tim@example.com' });
    assert.deepEqual(throttle.blocked(), [
      { key: 'ip:192.0.2.1', kind: 'ip', subject: '192.0.2.1', since: clock.t, until, failures: 10 },
      { key: 'account:tim@example.com', kind: 'account', subject: 'tim@example.com', since: clock.t, until, failures: 10 },
    ]);
  });

  it('lifts a block when it expires and starts counting afresh', () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1');
    clock.t += AUTH_BLOCK_MS - 1;
    assert.equal(throttle.check('192.0.2.1').blocked, true);
    clock.t += 1;
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 0 });
    assert.deepEqual(throttle.blocked(), []);
    throttle.fail('192.0.2.1');
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 0 });
  });

  it('does not extend a block with attempts made during it', () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1');
    const { until } = throttle.blocked()[0];
    clock.t += 60_000;
    assert.deepEqual(throttle.fail('192.0.2.1'), []);
    assert.equal(throttle.blocked()[0].until, until);
  });

  it('forgets failures older than the window', () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 9; i++) throttle.fail('192.0.2.1');
    clock.t += AUTH_FAILURE_WINDOW_MS;
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 0 });
    throttle.fail('192.0.2.1');
    assert.deepEqual(throttle.blocked(), []);
  });

  it("resets the account's counter on success but keeps the IP's", () => {
    const { throttle } = setup();
    for (let i = 0; i < 6; i++) throttle.fail('192.0.2.1', 'tim@example.com');
    throttle.succeed('192.0.2.1', 'tim@example.com');
    assert.deepEqual(throttle.check('203.0.113.9', 'tim@example.com'), { blocked: false, delayMs: 0 });
    assert.deepEqual(throttle.check('192.0.2.1', 'other@example.com'), { blocked: false, delayMs: 2000 });
  });

  it('does not lift an account block on success', () => {
    const { throttle } = setup();
    for (let i = 0; i < 10; i++) throttle.fail(`192.0.2.${i}`, 'tim@example.com');
    throttle.succeed('203.0.113.9', 'tim@example.com');
    assert.equal(throttle.check('203.0.113.9', 'tim@example.com').blocked, true);
  });

  it('unblocks by key and forgets that key\'s failures', () => {
    const { throttle } = setup();
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1', 'tim@example.com');
    assert.equal(throttle.unblock('ip:192.0.2.1'), true);
    assert.equal(throttle.unblock('ip:192.0.2.1'), false);
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 0 });
    assert.deepEqual(throttle.blocked().map((b) => b.key), ['account:tim@example.com']);
  });

  it('counts an IPv6 /64 as one source and IPv4-mapped IPv6 as IPv4', () => {
    assert.equal(ipSubject('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(ipSubject('2001:DB8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
    assert.equal(ipSubject('::1'), '0:0:0:0::/64');
    assert.equal(ipSubject('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(ipSubject('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(ipSubject('192.0.2.1'), '192.0.2.1');

    const { throttle } = setup();
    for (let i = 0; i < 10; i++) throttle.fail(`2001:db8:1:2::${i + 1}`);
    assert.equal(throttle.check('2001:db8:1:2:ffff::9').blocked, true);
    assert.equal(throttle.check('2001:db8:1:3::1').blocked, false);
    for (let i = 0; i < 10; i++) throttle.fail('::ffff:198.51.100.1');
    assert.equal(throttle.check('198.51.100.1').blocked, true);
  });

  it('stays within maxEntries, dropping idle keys first, then the least recently failed', () => {
    const { throttle, clock } = setup({ maxEntries: 3 });
    for (let i = 0; i < 6; i++) throttle.fail('192.0.2.100');
    clock.t += 10 * 60_000;
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.200');
    clock.t += 5 * 60_000; // the .100 failures are now outside the window; the .200 block runs on
    throttle.fail('192.0.2.1');
    throttle.fail('192.0.2.2'); // a fourth key: the idle .100 goes
    assert.equal(throttle.check('192.0.2.200').blocked, true);
    throttle.fail('192.0.2.3'); // nothing idle left: the least recently failed key (.200) goes
    assert.equal(throttle.check('192.0.2.200').blocked, false);
    for (let i = 0; i < 4; i++) throttle.fail('192.0.2.3');
    assert.deepEqual(throttle.check('192.0.2.3'), { blocked: false, delayMs: 1000 });
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 0 });
  });
});
