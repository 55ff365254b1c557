// The setup wizard against a fake AdminClient (React Testing Library in happy-dom): Back edits what a
// step saved (no second domain, user or network; a changed password is applied), relaying for a
// public range needs the open-relay dialog, and the summary shows what was made.
import { renderWith } from './render.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { SetupWizard } from '../../renderer/features/setup/setup-wizard.js';
import { callsOf, fakeAdmin, type FakeAdmin } from './fake-admin.js';

afterEach(cleanup);

const next = async (user: ReturnType<typeof userEvent.setup>) => user.click(await screen.findByRole('button', { name: /^(Next|Finish)$/ }));
const back = async (user: ReturnType<typeof userEvent.setup>) => user.click(await screen.findByRole('button', { name: 'Back' }));

async function type(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const field = await screen.findByLabelText(label, { exact: true });
  await user.clear(field);
  if (text !== '') await user.type(field, text);
}

function start(): { admin: FakeAdmin; user: ReturnType<typeof userEvent.setup> } {
  const admin = fakeAdmin();
  renderWith(admin.client, <SetupWizard needsAdminPassword={false} onAdminPasswordSet={() => undefined} />);
  return { admin, user: userEvent.setup({ delay: null }) };
}

/** Hostname, domain, first user: the steps every test passes. */
async function throughUser(user: ReturnType<typeof userEvent.setup>, domain: string, password: string) {
  await screen.findByText(/The name this server gives itself/);
  await type(user, 'Hostname', 'mail.example.test');
  await next(user);
  await screen.findByText(/The domain your addresses end in/);
  await type(user, 'Mail domain', domain);
  await next(user);
  await screen.findByText(/The first mailbox/);
  await type(user, 'Address', 'alice');
  await type(user, 'Password', password);
  await type(user, 'Repeat the password', password);
  await next(user);
  await screen.findByText(/Devices on a trusted range/);
}

test('Back edits what a step saved: one domain, one user, one network, and a changed password applies', async () => {
  const { admin, user } = start();
  await throughUser(user, 'first.test', 'alice password 1');
  assert.deepEqual(admin.domains.map((d) => d.name), ['first.test']);
  assert.deepEqual(admin.accounts.map((a) => a.address), ['alice@first.test']);

  await type(user, 'LAN range (CIDR)', '192.168.1.0/24');
  await next(user);
  await screen.findByText(/Mail clients and other servers encrypt/);
  assert.deepEqual(admin.networks.map((n) => n.cidr), ['192.168.1.0/24']);

  // Back to the LAN: another range replaces the one the wizard added.
  await back(user);
  assert.equal((await screen.findByLabelText('LAN range (CIDR)') as HTMLInputElement).value, '192.168.1.0/24', 'the step shows what it saved');
  await type(user, 'LAN range (CIDR)', '10.1.0.0/16');
  await next(user);
  await screen.findByText(/Mail clients and other servers encrypt/);
  assert.deepEqual(admin.networks.map((n) => n.cidr), ['10.1.0.0/16']);

  // Back to the user: a new password is applied to the same account.
  await back(user);
  await back(user);
  await screen.findByText(/The first mailbox/);
  await type(user, 'Password', 'alice password 2');
  await type(user, 'Repeat the password', 'alice password 2');
  await next(user);
  await screen.findByText(/Devices on a trusted range/);
  assert.equal(callsOf(admin, 'addAccount').length, 1, 'no second account');
  assert.deepEqual(callsOf(admin, 'setPassword'), [{ address: 'alice@first.test', password: 'alice password 2' }]);
  assert.equal(admin.accounts[0].password, 'alice password 2');

  // Back to the domain: a corrected name replaces the wizard's domain, and the user follows it.
  await back(user);
  await back(user);
  await screen.findByText(/The domain your addresses end in/);
  await type(user, 'Mail domain', 'second.test');
  await next(user);
  await screen.findByText(/The first mailbox/);
  assert.deepEqual(admin.domains.map((d) => d.name), ['second.test'], 'no second domain');
  await next(user);
  await screen.findByText(/Devices on a trusted range/);
  assert.deepEqual(admin.accounts.map((a) => [a.address, a.password]), [['alice@second.test', 'alice password 2']]);
  await next(user);
  assert.deepEqual(admin.networks.map((n) => n.cidr), ['10.1.0.0/16'], 'an unchanged range is saved in place');
});

test('relaying for 0.0.0.0/0 needs the open-relay dialog; the summary marks it red', async () => {
  const { admin, user } = start();
  await throughUser(user, 'example.test', 'alice password 1');
  await type(user, 'LAN range (CIDR)', '0.0.0.0/0');
  await user.click(screen.getByLabelText('Devices in this range may send mail without a password'));
  await screen.findByText('This would be an open relay');
  await next(user);
  const dialog = await screen.findByRole('dialog', { name: 'Allow an open relay?' });
  assert.match(dialog.textContent ?? '', /anyone on the internet can send mail through this server/);
  await user.click(screen.getByRole('button', { name: 'Cancel' }));
  await waitFor(() => assert.equal(screen.queryByRole('dialog'), null));
  assert.deepEqual(admin.networks, [], 'nothing saved after Cancel');
  assert.ok(screen.getByText(/Devices on a trusted range/), 'still on the LAN step');

  await next(user);
  await user.click(await screen.findByRole('button', { name: 'Allow relaying for 0.0.0.0/0' }));
  await screen.findByText(/Mail clients and other servers encrypt/);
  assert.deepEqual(callsOf(admin, 'addNetwork'), [{ cidr: '0.0.0.0/0', description: 'Office LAN', relay: true, confirmOpenRelay: true }]);

  await next(user); // certificate: keep
  await screen.findByText(/Mail to other domains goes straight/);
  await next(user); // relay: direct
  await screen.findByText(/The ports Mailroom listens on/);
  await next(user); // ports: unchanged
  await screen.findByText('Mailroom is ready');
  const made = screen.getByRole('table', { name: 'What the wizard set up' });
  assert.match(made.textContent ?? '', /0\.0\.0\.0\/0open relay/);
  await screen.findByText('Open relay');
  assert.equal(callsOf(admin, 'updateSettings').filter((p) => 'ports' in (p as object)).length, 0, 'unchanged ports are not written');
});

test('the summary lists the next steps: the postmaster alias (created on request) and the DNS records', async () => {
  const { admin, user } = start();
  await throughUser(user, 'example.test', 'alice password 1');
  for (let i = 0; i < 4; i++) await next(user);
  await screen.findByText('Mailroom is ready');
  const records = screen.getByRole('table', { name: 'DNS records to publish' });
  assert.match(records.textContent ?? '', /10 mail\.example\.test\./);
  assert.match(records.textContent ?? '', /v=spf1 mx -all/);
  await user.click(await screen.findByRole('button', { name: 'Create postmaster alias' }));
  await screen.findByText(/delivers to alice@example\.test/);
  assert.deepEqual(admin.aliases.map((a) => [a.address, a.destinations]), [['postmaster@example.test', ['alice@example.test']]]);
});

test('a refused field shows the server sentence on the field and the step stays', async () => {
  const { user } = start();
  await screen.findByText(/The name this server gives itself/);
  await type(user, 'Hostname', 'mail.example.test');
  await next(user);
  await type(user, 'Mail domain', 'nodot');
  await next(user);
  await screen.findByText('A domain name has at least two labels.');
  assert.ok(screen.getByText(/The domain your addresses end in/));
});
