// The "Move in" page's run step driven by live `import` events (issue 12): a page opened during an
// import shows its progress (users, messages, bytes; the rate once a second of mail has passed), and
// the report when the `done` event arrives, with what was skipped and why. The e2e test runs real
// imports, which finish too fast to catch the progress on screen.
import { renderWith } from './render.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, screen, within } from '@testing-library/react';
import type { AdminApi, ImportProgress, ImportReport, ImportRunView, LiveEvent } from '../../server/admin/contract.js';
import type { AdminClient } from '../../renderer/api.js';
import { MoveInPage } from '../../renderer/features/move-in/move-in-page.js';

afterEach(cleanup);

const progress = (messages: number, bytes: number): ImportProgress => ({
  stage: 'mail',
  users: { done: 0, total: 2 },
  messages: { done: messages, total: 100 },
  bytes: { done: bytes, total: 1_048_576 },
  user: 'alice@example.com',
  folder: 'Sent',
});

const report: ImportReport = {
  job: 'maildir:/var/vmail:%d/%n/Maildir',
  dryRun: false,
  plan: {
    create: { domains: [], accounts: [], aliases: [], forwardings: [], aliasDomains: [], transports: [], mail: [] },
    existingDomains: [],
    conflicts: [{ kind: 'mail-without-account', address: 'ghost@example.com', source: '/var/vmail/example.com/ghost/Maildir', effect: 'skipped' }],
    totals: { domains: 0, accounts: 0, aliases: 0, messages: 100, bytes: 1_048_576 },
  },
  warnings: [],
  problems: [],
  mail: [
    {
      address: 'alice@example.com',
      folders: 3,
      messages: 99,
      bytes: 1_000_000,
      alreadyImported: 0,
      renumbered: 0,
      foldersRenumbered: [],
      problems: [{ kind: 'unreadable', path: '/var/vmail/example.com/alice/Maildir/cur/1:2,S', reason: 'EIO: i/o error, read' }],
    },
  ],
};

test('a running import shows live progress with its rate, then the report with what was skipped and why', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
  let send: (event: LiveEvent) => void = () => undefined;
  const running: ImportRunView = { state: 'running', source: '/var/vmail', startedAt: 999_000, finishedAt: null, progress: null, report: null, error: null };
  const api = new Proxy({} as AdminApi, {
    get: (_t, method) => (method === 'importStatus' ? async () => running : async () => assert.fail(`unexpected call ${String(method)}`)),
  });
  const client: AdminClient = {
    transport: 'http',
    api,
    auth: null,
    subscribe: (handler) => {
      send = handler;
      return () => undefined;
    },
  };
  renderWith(client, <MoveInPage />);
  await screen.findByText('Starting…');

  act(() => send({ type: 'import', event: { ...running, progress: progress(10, 100_000) } }));
  const status = screen.getByRole('status', { name: 'Import progress' });
  await within(status).findByText(/Users 0 of 2 · messages 10 of 100 · 97\.7 KB of 1 MB$/);
  within(status).getByText(/alice@example\.com \/ Sent/);

  t.mock.timers.tick(2000);
  act(() => send({ type: 'import', event: { ...running, progress: progress(50, 500_000) } }));
  await within(status).findByText(/messages 50 of 100 .* · 20 messages\/s \(195 KB\/s\) · 3 s left$/);

  act(() => send({ type: 'import', event: { ...running, state: 'done', finishedAt: 1_002_500, progress: progress(99, 1_000_000), report } }));
  await screen.findByRole('status', { name: 'Import result' });
  const table = screen.getByRole('table', { name: 'Mail imported' });
  within(table).getByText('alice@example.com');
  const conflicts = screen.getByRole('list', { name: 'Conflicts' });
  within(conflicts).getByText('skipped');
  within(conflicts).getByText('mail of ghost@example.com (/var/vmail/example.com/ghost/Maildir): there is no such account');
  within(screen.getByRole('list', { name: 'Unreadable' })).getByText('/var/vmail/example.com/alice/Maildir/cur/1:2,S: EIO: i/o error, read');
});
