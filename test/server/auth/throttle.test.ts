import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AUTH_ACCOUNT_DELAY_AFTER_FAILURES,
  AUTH_BLOCK_AFTER_FAILURES,
  AUTH_BLOCK_MS,
  AUTH_DELAY_AFTER_FAILURES,
  AUTH_FAILURE_WINDOW_MS,
  AUTH_TRUST_MS,
  BAN_RELOAD_MS,
  createThrottle,
  ipSubject,
  type BanLedger,
  type ThrottleOptions,
} from '../../../server/auth/throttle.js';
import type { StoredBan } from '../../../server/store/auth-bans.js';

/** Lets pending promise callbacks (a background reload, a write-through) run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: Omit<ThrottleOptions, 'clock'> = {}) {
  const clock = { t: 1_000_000, now: () => clock.t };
  return { clock, throttle: createThrottle({ clock, ...options }) };
}

describe('throttle', () => {
  it('documents its defaults: source delays after 5 failures, a 15-minute source ban after 10, account slow-down after 5, trust for 7 days', () => {
    assert.equal(AUTH_DELAY_AFTER_FAILURES, 5);
    assert.equal(AUTH_BLOCK_AFTER_FAILURES, 10);
    assert.equal(AUTH_ACCOUNT_DELAY_AFTER_FAILURES, 5);
    assert.equal(AUTH_FAILURE_WINDOW_MS, 15 * 60_000);
    assert.equal(AUTH_BLOCK_MS, 15 * 60_000);
    assert.equal(AUTH_TRUST_MS, 7 * 24 * 3600_000);
  });

  it('imposes no delay for the first failures of a source, then 1, 2, 4, 8, 16 seconds', () => {
    const { throttle, clock } = setup();
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      clock.t += 1000;
      const decision = throttle.check('192.0.2.1', `user${i}@example.com`);
      assert.equal(decision.blocked, false);
      delays.push(decision.blocked ? -1 : decision.delayMs);
      throttle.fail('192.0.2.1', `user${i}@example.com`);
    }
    assert.deepEqual(delays, [0, 0, 0, 0, 0, 1000, 2000, 4000, 8000]);
    assert.deepEqual(throttle.check('192.0.2.1', 'anyone@example.com'), { blocked: false, delayMs: 16000 });
  });

  it('caps the delay', () => {
    const { throttle } = setup({ blockAfter: 100, maxDelayMs: 5000 });
    for (let i = 0; i < 20; i++) throttle.fail('192.0.2.1');
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 5000 });
  });

  it('bans the source after 10 failures, never the account: the owner logs in from a clean address at once', () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 9; i++) assert.deepEqual(throttle.fail('192.0.2.1', 'Tim@Example.com'), []);
    const imposed = throttle.fail('192.0.2.1', 'Tim@Example.com');
    const until = clock.t + AUTH_BLOCK_MS;
    assert.deepEqual(imposed, [{ key: 'ip:192.0.2.1', subject: '192.0.2.1', since: clock.t, until, failures: 10 }]);
    assert.deepEqual(throttle.check('192.0.2.1', 'someone@else'), { blocked: true, until, key: 'ip:192.0.2.1' });
    assert.deepEqual(throttle.check('198.51.100.7', 'TIM@example.COM'), { blocked: false, delayMs: 0 });
    assert.deepEqual(throttle.blocked(), [{ key: 'ip:192.0.2.1', subject: '192.0.2.1', since: clock.t, until, failures: 10 }]);
  });

  it('slows a distributed guesser: account-wide failures delay only sources that failed before', () => {
    const { throttle } = setup();
    // 40 addresses, two guesses each against carol: no single address gets near a ban.
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i <= 40; i++) throttle.fail(`203.0.113.${i}`, 'carol@example.com');
    }
    const guesser = throttle.check('203.0.113.7', 'carol@example.com');
    assert.equal(guesser.blocked, false);
    assert.equal(guesser.blocked === false && guesser.delayMs, 30_000, 'a guessing address waits the longest delay');
    assert.deepEqual(throttle.check('203.0.113.7', 'dave@example.com'), { blocked: false, delayMs: 0 }, 'only carol is being guessed');
    assert.deepEqual(throttle.check('198.51.100.20', 'carol@example.com'), { blocked: false, delayMs: 0 }, 'a clean address is never slowed');
    assert.deepEqual(throttle.blocked(), []);
  });

  it('keeps a source that succeeded for an account working for that account, even while the source is banned', () => {
    const { throttle, clock } = setup();
    throttle.succeed('192.0.2.1', 'tim@example.com');
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1', `guess${i}@example.com`);
    assert.equal(throttle.check('192.0.2.1', 'other@example.com').blocked, true);
    assert.deepEqual(throttle.check('192.0.2.1', 'TIM@example.com'), { blocked: false, delayMs: 0 });
    clock.t += AUTH_TRUST_MS;
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1', `guess${i}@example.com`);
    assert.equal(throttle.check('192.0.2.1', 'tim@example.com').blocked, true, 'trust ends after AUTH_TRUST_MS');
  });

  it('drops the trust of a source that then fails for that account', () => {
    const { throttle } = setup();
    throttle.succeed('192.0.2.1', 'tim@example.com');
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1', 'tim@example.com');
    assert.equal(throttle.check('192.0.2.1', 'tim@example.com').blocked, true);
  });

  it("forgets the account's failures on success but keeps the source's", () => {
    const { throttle } = setup();
    for (let i = 0; i < 6; i++) throttle.fail('192.0.2.1', 'tim@example.com');
    throttle.succeed('198.51.100.1', 'tim@example.com');
    assert.deepEqual(throttle.check('192.0.2.1', 'tim@example.com'), { blocked: false, delayMs: 2000 }, 'the source delay stays');
    throttle.fail('192.0.2.2', 'tim@example.com');
    assert.deepEqual(throttle.check('192.0.2.2', 'tim@example.com'), { blocked: false, delayMs: 0 }, 'the account count started afresh');
  });

  it('lifts a ban when it expires and starts counting afresh', () => {
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

  it('does not extend a ban with attempts made during it', () => {
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

  it('unbans by address, subject or key and forgets that source\'s failures', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1', 'tim@example.com');
    for (let i = 0; i < 10; i++) throttle.fail('2001:db8:1:2::7', 'tim@example.com');
    for (let i = 0; i < 10; i++) throttle.fail('198.51.100.3');
    assert.equal(await throttle.unblock('192.0.2.1'), true);
    assert.equal(await throttle.unblock('192.0.2.1'), false);
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 0 });
    assert.equal(await throttle.unblock('2001:db8:1:2::/64'), true);
    assert.equal(await throttle.unblock('ip:198.51.100.3'), true);
    assert.deepEqual(throttle.blocked(), []);
  });

  it('with a ledger: loads its bans, writes new ones through, and follows a lift elsewhere within a second', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    const rows = new Map<string, StoredBan>([['198.51.100.9', { subject: '198.51.100.9', since: clock.t - 1000, until: clock.t + AUTH_BLOCK_MS, failures: 12 }]]);
    const ledger: BanLedger = {
      load: async (now) => [...rows.values()].filter((b) => b.until > now),
      save: async ({ subject, since, until, failures }) => void rows.set(subject, { subject, since, until, failures }),
      remove: async (subject) => rows.delete(subject),
    };
    const throttle = createThrottle({ clock, ledger });
    await throttle.reload();
    assert.deepEqual(throttle.blocked().map((b) => [b.subject, b.failures]), [['198.51.100.9', 12]]);

    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1');
    await settled();
    assert.deepEqual(rows.get('192.0.2.1'), { subject: '192.0.2.1', since: clock.t, until: clock.t + AUTH_BLOCK_MS, failures: 10 });

    rows.delete('192.0.2.1'); // another process (the CLI) lifts the ban
    clock.t += BAN_RELOAD_MS - 1;
    assert.equal(throttle.check('192.0.2.1').blocked, true, 'not reloaded yet');
    await settled();
    assert.equal(throttle.check('192.0.2.1').blocked, true);
    clock.t += 1;
    throttle.check('192.0.2.1'); // starts the reload
    await settled();
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 0 });

    assert.equal(await throttle.unblock('198.51.100.9'), true);
    assert.equal(rows.size, 0, 'unblock waits for the ledger');
  });

  it('with a ledger: checkLogin confirms a ban against the ledger first, so a lift elsewhere lets the very next login in', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    const rows = new Map<string, StoredBan>();
    let loads = 0;
    const ledger: BanLedger = {
      load: async (now) => (loads++, [...rows.values()].filter((b) => b.until > now)),
      save: async ({ subject, since, until, failures }) => void rows.set(subject, { subject, since, until, failures }),
      remove: async (subject) => rows.delete(subject),
    };
    const throttle = createThrottle({ clock, ledger });
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1');
    await settled();
    assert.equal((await throttle.checkLogin('192.0.2.1')).blocked, true);
    rows.delete('192.0.2.1'); // the CLI lifts the ban; nothing has asked since
    clock.t += 10 * BAN_RELOAD_MS;
    assert.deepEqual(await throttle.checkLogin('192.0.2.1'), { blocked: false, delayMs: 0 }, 'no attempt wasted on a stale ban');

    for (let i = 0; i < 10; i++) throttle.fail('198.51.100.3');
    await settled();
    clock.t += BAN_RELOAD_MS;
    const before = loads;
    const answers = await Promise.all(Array.from({ length: 20 }, () => throttle.checkLogin('198.51.100.3')));
    assert.ok(answers.every((a) => a.blocked), 'a ban still in the ledger holds');
    assert.equal(loads - before, 1, 'a banned guesser costs at most one ledger read per BAN_RELOAD_MS');
    assert.equal((await throttle.checkLogin('198.51.100.3')).blocked, true);
    assert.equal(loads - before, 1);
  });

  it('with a ledger: a reload keeps a ban imposed while it was reading', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    let release = () => {};
    const ledger: BanLedger = {
      load: () => new Promise((resolve) => (release = () => resolve([]))),
      save: async () => {},
      remove: async () => false,
    };
    const throttle = createThrottle({ clock, ledger });
    const reloading = throttle.reload();
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1');
    release();
    await reloading;
    assert.equal(throttle.check('192.0.2.1').blocked, true);
  });

  it('with a ledger: a failed write is reported and the ban still holds here, through reloads', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    const errors: unknown[] = [];
    const ledger: BanLedger = {
      load: async () => [],
      save: async () => {
        throw new Error('disk full');
      },
      remove: async () => false,
    };
    const throttle = createThrottle({ clock, ledger, onLedgerError: (error) => errors.push(error) });
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1');
    await settled();
    assert.deepEqual(errors.map(String), ['Error: disk full']);
    assert.equal(throttle.check('192.0.2.1').blocked, true);
    clock.t += BAN_RELOAD_MS;
    throttle.check('192.0.2.1'); // starts a reload, which finds no row for it
    await settled();
    assert.equal(throttle.check('192.0.2.1').blocked, true, 'a reload does not lift an unsaved ban');
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
    clock.t += 5 * 60_000; // the .100 failures are now outside the window; the .200 ban runs on
    throttle.fail('192.0.2.1');
    throttle.fail('192.0.2.2'); // a fourth key: the idle .100 goes
    assert.equal(throttle.check('192.0.2.200').blocked, true);
    throttle.fail('192.0.2.3'); // nothing idle left: the least recently failed key (.200) goes
    assert.equal(throttle.check('192.0.2.200').blocked, false);
    for (let i = 0; i < 4; i++) throttle.fail('192.0.2.3');
    assert.deepEqual(throttle.check('192.0.2.3'), { blocked: false, delayMs: 1000 });
    assert.deepEqual(throttle.check('192.0.2.1'), { blocked: false, delayMs: 0 });
  });

  it('keeps at most maxEntries trusted pairs, the oldest success going first', () => {
    const { throttle, clock } = setup({ maxEntries: 2 });
    for (const user of ['a', 'b', 'c']) {
      clock.t += 1000;
      throttle.succeed('192.0.2.1', `${user}@example.com`);
    }
    for (let i = 0; i < 10; i++) throttle.fail('192.0.2.1');
    assert.equal(throttle.check('192.0.2.1', 'a@example.com').blocked, true);
    assert.equal(throttle.check('192.0.2.1', 'c@example.com').blocked, false);
  });
});
