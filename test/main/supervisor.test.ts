import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createSupervisor, type ServerState, type UtilityLike } from '../../main/supervisor.js';
import type { MainToUtility, UtilityToMain } from '../../server/host/utility.js';
import type { LiveEvent } from '../../server/admin/contract.js';
import { notificationFor } from '../../main/notifications.js';
import { describeState, trayIconBitmap, TRAY_ICON_SIZE } from '../../main/tray-icon.js';

/** A stand-in utility process: records what main sends, lets the test answer and exit. */
class FakeUtility extends EventEmitter implements UtilityLike {
  sent: MainToUtility[] = [];
  killed = false;
  postMessage(message: MainToUtility) {
    this.sent.push(message);
  }
  reply(message: UtilityToMain) {
    this.emit('message', message);
  }
  exit(code: number) {
    this.emit('exit', code);
  }
  kill() {
    this.killed = true;
    this.exit(137);
    return true;
  }
}

function harness(options: { maxFailedStarts?: number } = {}) {
  const forks: FakeUtility[] = [];
  const states: ServerState[] = [];
  const events: LiveEvent[] = [];
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const supervisor = createSupervisor({
    fork: () => {
      const f = new FakeUtility();
      forks.push(f);
      return f;
    },
    onEvent: (e) => events.push(e),
    onState: (s) => states.push(s),
    schedule: (fn, ms) => {
      const timer = { fn, ms, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
    restartDelaysMs: [100, 200],
    ...options,
  });
  const runTimers = () => {
    for (const t of timers.splice(0)) if (!t.cancelled) t.fn();
  };
  return { supervisor, forks, states, events, timers, runTimers };
}

test('relays admin calls once the server is ready, and its live events', async () => {
  const { supervisor, forks, states, events } = harness();
  supervisor.start();
  const early = supervisor.call('listDomains', {});
  assert.deepEqual(forks[0].sent, [], 'a call waits for the server to be ready');
  forks[0].reply({ type: 'ready', ports: { smtp: 2525 } });
  const rpc = forks[0].sent[0] as Extract<MainToUtility, { type: 'rpc' }>;
  assert.deepEqual([rpc.type, rpc.method, rpc.input], ['rpc', 'listDomains', {}]);
  forks[0].reply({ type: 'rpc-result', id: rpc.id, result: { ok: true, result: ['example.com'] } });
  assert.deepEqual(await early, { ok: true, result: ['example.com'] });
  forks[0].reply({ type: 'event', event: { type: 'bounce', event: { queueId: 'Q1', sender: 'a@x', recipient: 'b@y', reason: '550 no such user' } } });
  assert.equal(events.length, 1);
  assert.deepEqual(states.map((s) => s.kind), ['starting', 'running']);
});

test('a server that dies is restarted with a delay; calls in flight get a clear answer', async () => {
  const { supervisor, forks, states, timers, runTimers } = harness();
  supervisor.start();
  forks[0].reply({ type: 'ready', ports: {} });
  const inFlight = supervisor.call('getStatus', {});
  forks[0].exit(1);
  const answer = await inFlight;
  assert.equal(answer.ok, false);
  assert.match((answer as { error: { message: string } }).error.message, /restarted/);
  assert.equal(states.at(-1)!.kind, 'restarting');
  assert.equal(timers[0].ms, 100);
  runTimers();
  assert.equal(forks.length, 2, 'a new server process');
  const queued = supervisor.call('getStatus', {});
  forks[1].reply({ type: 'ready', ports: {} });
  const rpc = forks[1].sent[0] as Extract<MainToUtility, { type: 'rpc' }>;
  forks[1].reply({ type: 'rpc-result', id: rpc.id, result: { ok: true, result: 'fine' } });
  assert.deepEqual(await queued, { ok: true, result: 'fine' });
});

test('a server that never starts is given up after a few tries, with the reason', async () => {
  const { supervisor, forks, states, runTimers } = harness({ maxFailedStarts: 3 });
  supervisor.start();
  for (let i = 0; i < 3; i++) {
    forks[i].reply({ type: 'failed', message: 'listen EACCES: permission denied 0.0.0.0:25', code: 'EACCES' });
    forks[i].exit(1);
    runTimers();
  }
  assert.equal(forks.length, 3);
  assert.deepEqual(states.at(-1), { kind: 'failed', reason: 'listen EACCES: permission denied 0.0.0.0:25' });
  const refused = await supervisor.call('getStatus', {});
  assert.match((refused as { error: { message: string } }).error.message, /could not start: listen EACCES/);
});

test('stop asks the server to stop, kills it if it does not, and never restarts it', async () => {
  const { supervisor, forks, states, runTimers, timers } = harness();
  supervisor.start();
  forks[0].reply({ type: 'ready', ports: {} });
  const stopped = supervisor.stop();
  assert.deepEqual(forks[0].sent, [{ type: 'stop' }]);
  forks[0].reply({ type: 'stopped' });
  forks[0].exit(0);
  await stopped;
  assert.equal(states.at(-1)!.kind, 'stopped');
  runTimers();
  assert.equal(forks.length, 1);
  assert.equal((await supervisor.call('getStatus', {})).ok, false);

  const other = harness();
  other.supervisor.start();
  other.forks[0].reply({ type: 'ready', ports: {} });
  const stopping = other.supervisor.stop();
  other.runTimers(); // the stop timeout passes without an exit
  await stopping;
  assert.equal(other.forks[0].killed, true);
  assert.equal(timers.length, 0);
});

test('notifications for bounces and failed listeners, tray text per state, a drawn tray icon', () => {
  assert.deepEqual(notificationFor({ type: 'bounce', event: { queueId: 'Q', sender: 'a@x', recipient: 'b@y', reason: '550 5.1.1 unknown' } }), {
    title: 'Mail bounced',
    body: 'A message to b@y could not be delivered: 550 5.1.1 unknown',
  });
  assert.equal(notificationFor({ type: 'listener', event: { name: 'smtp', state: 'failed', error: 'EACCES' } })?.title, 'The smtp listener failed');
  assert.equal(notificationFor({ type: 'listener', event: { name: 'smtp', state: 'listening', port: 25 } }), undefined);
  assert.equal(describeState({ kind: 'running', ports: {} }).tone, 'ok');
  assert.match(describeState({ kind: 'restarting', reason: 'crashed', inMs: 2000 }).text, /restarting in 2 s/);
  assert.equal(describeState({ kind: 'failed', reason: 'EACCES' }).tone, 'bad');
  const bitmap = trayIconBitmap('ok');
  assert.equal(bitmap.length, TRAY_ICON_SIZE * TRAY_ICON_SIZE * 4);
  assert.ok(bitmap.some((b) => b !== 0));
});
