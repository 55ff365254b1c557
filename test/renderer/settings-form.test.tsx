// The settings form against a fake AdminClient: numbers out of range are field errors (never
// clamped, never sent), and unsaved edits hold navigation until the admin chooses to leave.
import { renderWith } from './render.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { SettingsPage } from '../../renderer/features/settings/settings-page.js';
import { useRoute } from '../../renderer/router.js';
import { callsOf, fakeAdmin } from './fake-admin.js';

afterEach(cleanup);

/** The settings page with the app's router listening, as in the shell. */
function Routed() {
  const route = useRoute();
  return (
    <>
      <output aria-label="Current page">{route.path.join('/')}</output>
      <SettingsPage />
    </>
  );
}

async function setNumber(user: ReturnType<typeof userEvent.setup>, label: string, value: string) {
  const field = await screen.findByLabelText(label);
  await user.clear(field);
  await user.type(field, value);
  await user.tab(); // Mantine clamps on blur unless told not to
  return field as HTMLInputElement;
}

test('out-of-range numbers stay as typed with the field error, and nothing is saved', async () => {
  const admin = fakeAdmin();
  renderWith(admin.client, <SettingsPage />);
  const user = userEvent.setup({ delay: null });
  const size = await setNumber(user, 'Largest message (MB)', '0');
  const lifetime = await setNumber(user, 'Give up and bounce after (days)', '999');
  const retention = await setNumber(user, 'Keep log rows for (days)', '-5');
  assert.equal(size.value, '0');
  assert.equal(lifetime.value, '999');
  await user.click(screen.getByRole('button', { name: 'Save settings' }));
  assert.equal((await screen.findAllByText('At least 1.')).length, 2, 'the size of 0 MB and the retention of -5 days');
  await screen.findByText('At most 30.');
  assert.equal(retention.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(callsOf(admin, 'updateSettings'), []);

  await setNumber(user, 'Largest message (MB)', '10');
  await setNumber(user, 'Give up and bounce after (days)', '30');
  await setNumber(user, 'Keep log rows for (days)', '90');
  await user.click(screen.getByRole('button', { name: 'Save settings' }));
  await waitFor(() => assert.equal(callsOf(admin, 'updateSettings').length, 1));
  assert.equal(admin.settings.limits.maxMessageBytes, 10 * 1024 * 1024);
  assert.equal(admin.settings.queue.lifetimeMs, 30 * 86_400_000);
  assert.equal(admin.settings.logRetentionDays, 90);
});

test('unsaved edits ask before another page opens; Stay keeps them, Leave goes', async () => {
  const admin = fakeAdmin();
  window.location.hash = '#/settings';
  renderWith(admin.client, <Routed />);
  const user = userEvent.setup({ delay: null });
  const hostname = await screen.findByLabelText('Hostname');
  await user.clear(hostname);
  await user.type(hostname, 'mail.changed.test');

  window.location.hash = '#/users';
  const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' }, { timeout: 5000 }); // slow under load
  assert.equal(window.location.hash, '#/settings', 'the address goes back while the dialog asks');
  assert.ok(dialog);
  await user.click(screen.getByRole('button', { name: 'Stay here' }));
  await waitFor(() => assert.equal(screen.queryByRole('dialog'), null));
  assert.equal((screen.getByLabelText('Hostname') as HTMLInputElement).value, 'mail.changed.test');
  assert.equal(screen.getByLabelText('Current page').textContent, 'settings');

  window.location.hash = '#/users';
  await user.click(await screen.findByRole('button', { name: 'Leave without saving' }, { timeout: 5000 }));
  await waitFor(() => assert.equal(screen.getByLabelText('Current page').textContent, 'users'));
});

test('the network card refuses a bad address and DNS server on the field, and says DNS servers apply at once', async () => {
  const admin = fakeAdmin();
  renderWith(admin.client, <SettingsPage />);
  const user = userEvent.setup({ delay: null });
  const network = await screen.findByRole('form', { name: 'Network' });
  const listenHost = within(network).getByLabelText('Mail listeners bind to');
  await user.clear(listenHost);
  await user.type(listenHost, '999.1.1.1');
  const dns = within(network).getByLabelText('DNS servers');
  await user.type(dns, 'not-a-server');
  await user.click(within(network).getByRole('button', { name: 'Save network settings' }));
  await within(network).findByText('"999.1.1.1" is not an IP address (for example 127.0.0.1, 0.0.0.0 or ::).');
  await within(network).findByText(/"not-a-server" is not a DNS server address/);
  assert.deepEqual(callsOf(admin, 'updateSettings'), []);

  await user.clear(listenHost);
  await user.type(listenHost, '0.0.0.0');
  await user.clear(dns);
  await user.type(dns, '192.0.2.53{Enter}[[2001:db8::53]:53'); // [[ types a [
  await user.click(within(network).getByRole('button', { name: 'Save network settings' }));
  await within(network).findByText('Saved. DNS servers apply at once.');
  assert.deepEqual(admin.settings.dnsServers, ['192.0.2.53', '[2001:db8::53]:53']);
  assert.equal(callsOf(admin, 'testPorts').length, 0, 'nothing that binds changed');
});
