// The dashboard's nodes card (issue 19): each node sharing the PostgreSQL database with its host,
// process and state, the one answering marked "this node", a silent one marked so.
import { renderWith } from './render.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, screen, within } from '@testing-library/react';
import type { AdminClient } from '../../renderer/api.js';
import { NodesCard } from '../../renderer/features/dashboard/nodes-card.js';

afterEach(cleanup);

test('lists the nodes with their state, marking this node and a silent one', () => {
  const now = Date.UTC(2026, 11, 3, 20, 0, 0);
  renderWith({} as AdminClient, (
    <NodesCard
      nodes={[
        { id: 'a1', host: 'mail-a', pid: 101, startedAt: now - 60_000, seenAt: now - 2_000, alive: true, self: true },
        { id: 'b2', host: 'mail-b', pid: 202, startedAt: now - 50_000, seenAt: now - 45_000, alive: false, self: false },
      ]}
    />
  ));
  const rows = within(screen.getByRole('table', { name: 'Nodes' })).getAllByRole('row').slice(1);
  assert.equal(rows.length, 2);
  assert.match(rows[0].textContent ?? '', /mail-a.*this node.*101.*alive/);
  assert.match(rows[1].textContent ?? '', /mail-b.*202.*silent/);
  assert.doesNotMatch(rows[1].textContent ?? '', /this node/);
});
