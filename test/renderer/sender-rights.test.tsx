// The Sender rights screen (issue 11 §3) against the real admin service (a temp store), reached as
// the desktop app reaches it: createIpcClient over the RPC dispatch main/ relays to. Grants and
// master users are added and removed through the forms, and a refusal lands on its field.
import { renderWith } from './render.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { dispatch } from '../../server/admin/rpc.js';
import type { AdminMethod } from '../../server/admin/contract.js';
import { createIpcClient, type MailroomBridge } from '../../renderer/api.js';
import { SenderRightsPage } from '../../renderer/features/sender-rights/sender-rights-page.js';
import { adminFixture } from '../helpers/admin.js';

afterEach(cleanup);

async function start(t: Parameters<typeof adminFixture>[0]) {
  const { api, log } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  for (const local of ['alice', 'bob']) await api.addAccount({ address: `${local}@example.com`, password: 'a long password' });
  const bridge: MailroomBridge = {
    admin: new Proxy({} as MailroomBridge['admin'], { get: (_t, method: AdminMethod) => (input: unknown) => dispatch(api, method, input, log) }),
    onEvent: () => () => undefined,
  };
  renderWith(createIpcClient(bridge), <SenderRightsPage />);
  return { api, user: userEvent.setup({ delay: null }) };
}

async function fill(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, label: string, text: string) {
  // The user field is an Autocomplete (a combobox whose suggestion list carries the same label).
  const field = within(dialog).getByRole(label === 'User' ? 'combobox' : 'textbox', { name: label });
  await user.clear(field);
  await user.type(field, text);
}

test('grants "send as" through the form, shows the refusal on its field, and removes a grant', async (t) => {
  const { api, user } = await start(t);
  await screen.findByText(/No grants/);
  await user.click(screen.getByRole('button', { name: 'Let a user send as…' }));
  let dialog = await screen.findByRole('dialog');
  await fill(user, dialog, 'User', 'nobody@example.com');
  await fill(user, dialog, 'May send as', 'info@example.com');
  await user.click(within(dialog).getByRole('button', { name: 'Grant' }));
  await within(dialog).findByText('There is no account nobody@example.com.');
  assert.deepEqual(await api.listSenderGrants({}), []);

  await fill(user, dialog, 'User', 'alice@example.com');
  await fill(user, dialog, 'May send as', '*@Example.org');
  await user.click(within(dialog).getByRole('button', { name: 'Grant' }));
  await waitFor(() => assert.equal(screen.queryByRole('dialog'), null));
  const table = await screen.findByRole('table', { name: 'Send-as grants' });
  await within(table).findByText('any address @example.org');
  assert.deepEqual((await api.listSenderGrants({})).map((g) => [g.user, g.address]), [['alice@example.com', '*@example.org']]);

  await user.click(screen.getByRole('button', { name: 'Let a user send as…' }));
  dialog = await screen.findByRole('dialog');
  await user.click(within(dialog).getByRole('button', { name: 'Grant' }));
  assert.equal((await within(dialog).findAllByText(/is required/)).length, 2, 'empty fields never reach the server');
  await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

  await user.click(within(table).getByRole('button', { name: 'Remove *@example.org from alice@example.com' }));
  await user.click(await screen.findByRole('button', { name: 'Remove grant' }));
  await screen.findByText(/No grants/);
  assert.deepEqual(await api.listSenderGrants({}), []);
});

test('makes a user a master user and back', async (t) => {
  const { api, user } = await start(t);
  await screen.findByText(/No master users/);
  await user.click(screen.getByRole('button', { name: 'Add master user' }));
  const dialog = await screen.findByRole('dialog');
  await fill(user, dialog, 'User', 'bob@example.com');
  await user.click(within(dialog).getByRole('button', { name: 'Make master user' }));
  const table = await screen.findByRole('table', { name: 'Master users' });
  await within(table).findByText('bob@example.com');
  assert.deepEqual(await api.listMasterUsers(), ['bob@example.com']);

  await user.click(within(table).getByRole('button', { name: 'Remove master user bob@example.com' }));
  await user.click(await screen.findByRole('button', { name: 'Remove' }));
  await screen.findByText(/No master users/);
  assert.deepEqual(await api.listMasterUsers(), []);
});
