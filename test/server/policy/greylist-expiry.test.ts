// Greylist expiry (issue 16): triplets past their retry window (never passed) or past their pass
// lifetime (passed) are deleted at start and on every round; live waits and passes stay. The clock
// is a fake one; rounds are run with runNow, never waited for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMailServer, openContext } from '../../../server/index.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { PORT_NAMES, defaultSettings } from '../../../server/settings.js';
import { createLogSink } from '../../../server/log.js';
import { startGreylistExpiry } from '../../../server/policy/greylist-expiry.js';
import type { Store } from '../../../server/store/index.js';
import { storeTest, usePostgresInThisFile } from '../../helpers/store-backends.js';
import { fakeClock, tempDir } from '../../helpers/temp.js';

usePostgresInThisFile();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 5, 1);
const defaults = defaultSettings().greylisting; // retry window 2 days, pass lifetime 35 days

/** A triplet per case, with its sender naming it; `passedAt`/`lastSeen` as the SMTP path records them. */
async function seed(store: Pick<Store, 'greylist'>) {
  const put = async (sender: string, firstSeen: number, passedAt?: number, lastUsed?: number) => {
    await store.greylist.start('192.0.2.0/24', sender, 'alice@local.example', firstSeen);
    if (passedAt !== undefined) await store.greylist.pass('192.0.2.0/24', sender, 'alice@local.example', passedAt);
    if (lastUsed !== undefined) await store.greylist.pass('192.0.2.0/24', sender, 'alice@local.example', lastUsed);
  };
  await put('stale-wait@x.example', NOW - 3 * DAY);
  await put('fresh-wait@x.example', NOW - DAY);
  await put('stale-pass@x.example', NOW - 60 * DAY, NOW - 60 * DAY + 10 * 60_000, NOW - 40 * DAY);
  await put('fresh-pass@x.example', NOW - 60 * DAY, NOW - 60 * DAY + 10 * 60_000, NOW - 3 * DAY);
}

async function left(store: Pick<Store, 'greylist'>): Promise<string[]> {
  const senders = ['stale-wait@x.example', 'fresh-wait@x.example', 'stale-pass@x.example', 'fresh-pass@x.example'];
  const kept = await Promise.all(senders.map(async (s) => ((await store.greylist.get('192.0.2.0/24', s, 'alice@local.example')) ? s : null)));
  return kept.filter((s) => s !== null);
}

storeTest('expired waits and passes go; fresh ones stay, including a pass older than the retry window', async (t, backend) => {
  const clock = fakeClock(NOW);
  const store = await backend.open(t, clock);
  const sink = createLogSink({ repo: store.log, clock });
  t.after(() => sink.close());
  await seed(store);

  let greylisting = defaults;
  const expiry = startGreylistExpiry({ clock, greylisting: () => greylisting, store, log: sink.root }, DAY);
  t.after(() => expiry.stop());
  await expiry.runNow();
  assert.deepEqual(await left(store), ['fresh-wait@x.example', 'fresh-pass@x.example']);

  // A day and a half later the fresh wait is past its window; the pass (used 4.5 days ago) stays.
  clock.advance(DAY + 12 * HOUR);
  assert.equal(await expiry.runNow(), 1);
  assert.deepEqual(await left(store), ['fresh-pass@x.example']);
  // The windows are read at each round: a shorter pass lifetime ends the last pass.
  greylisting = { ...defaults, passLifetimeMs: 4 * DAY };
  assert.equal(await expiry.runNow(), 1);
  assert.deepEqual(await left(store), []);
  await sink.flush();
  assert.ok((await store.log.query({ event: 'greylist.pruned' })).some((r) => r.fields.triplets === 1), 'the pruning is logged');
});

test('the running server prunes expired greylist triplets at start', async (t) => {
  const dataDir = tempDir(t);
  const setup = await openContext(dataDir);
  await seed(setup.store);
  await setup.close();

  const ports = Object.fromEntries(PORT_NAMES.map((name) => [name, 0]));
  const server = await createMailServer({ dataDir, listenHost: '127.0.0.1', adminHost: '127.0.0.1', ports }, { clock: fakeClock(NOW), hasher: createPasswordHasher({ cost: 'test' }) });
  await server.start();
  t.after(() => server.stop());
  // The start round runs on its own; poll its outcome a bounded number of times.
  for (let i = 0; i < 200 && (await left(server.context.store)).length > 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(await left(server.context.store), ['fresh-wait@x.example', 'fresh-pass@x.example']);
});
