// Trusted networks (DESIGN §5): IP ranges with their own permissions, as hMailServer's IP ranges do
// it. The host itself is always trusted. Per-stage access rules join this screen once the policy
// engine's admin methods exist.
import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Switch, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { IconAlertTriangle, IconPlus, IconShieldCheck } from '@tabler/icons-react';
import { NetworkFieldsSchema, type NetworkView } from '../../../server/admin/contract.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ListTable, RowActions } from '../../components/list-table.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { FormModal } from '../../components/form-modal.js';
import { formatTime } from '../../format.js';
import { isOpenRelay, OPEN_RELAY_WARNING, useOpenRelayConfirm } from './open-relay.js';

// The open-relay confirmation is the dialog's (useOpenRelayConfirm), not a form field.
// The expiry is a day in the form (the range stops being trusted at the end of it).
const networkFormSchema = NetworkFieldsSchema.omit({ expiresAt: true, confirmOpenRelay: true }).extend({
  expires: z.string().refine((d) => d === '' || !Number.isNaN(Date.parse(`${d}T23:59:59`)), 'Pick a day, or leave it empty for never.'),
});
const dayOf = (ms: number | null) => (ms === null ? '' : new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 10));
const endOfDay = (day: string) => (day === '' ? null : Date.parse(`${day}T23:59:59.999`));

export function NetworksPage() {
  const api = useApi();
  const query = useQuery((a) => a.listNetworks());
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<NetworkView>();
  const relayConfirm = useOpenRelayConfirm();
  const open = query.data?.filter((n) => isOpenRelay(n.cidr, n.relay)) ?? [];
  return (
    <>
      <PageHeader
        title="Trusted networks"
        description="LAN ranges whose devices may use the server. This machine (127.0.0.1, ::1) is always trusted."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            Add range
          </Button>
        }
      />
      {open.length > 0 ? (
        <Alert color="red" icon={<IconAlertTriangle />} mb="md" title="This server is an open relay">
          {open.map((n) => n.cidr).join(', ')} may send without a password: {OPEN_RELAY_WARNING}. Turn off "Send without password" for{' '}
          {open.length === 1 ? 'that range' : 'those ranges'} unless you really mean it.
        </Alert>
      ) : (
        <Alert color="gray" icon={<IconShieldCheck />} mb="md">
          Mail to outside domains needs a login, or a device in a range below that may send without a password.
        </Alert>
      )}
      <QueryView
        query={query}
        what="networks"
        isEmpty={(n) => n.length === 0}
        empty={{ title: 'Only this machine is trusted', description: 'Add your LAN range (like 192.168.1.0/24) so devices there can use the server.', action: <Button onClick={() => setAdding(true)}>Add your LAN range</Button> }}
      >
        {(networks) => (
          <ListTable label="Trusted networks" minWidth={720} columns={['Range', 'Description', 'Allowed', 'Send without password', 'Expires']}>
            {networks.map((n) => (
              <Table.Tr key={n.cidr} bg={isOpenRelay(n.cidr, n.relay) ? 'var(--mantine-color-red-light)' : undefined} data-open-relay={isOpenRelay(n.cidr, n.relay) || undefined}>
                <Table.Td fw={600}>
                  <Group gap={6} wrap="nowrap">
                    <span>{n.cidr}</span>
                    {isOpenRelay(n.cidr, n.relay) && <Badge color="red">open relay</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>{n.description}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {protocols(n).map((p) => (
                      <Badge key={p} variant="light">
                        {p}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Switch
                    checked={n.relay}
                    aria-label={`${n.cidr} may send without a password`}
                    onChange={async (e) => {
                      const relay = e.currentTarget.checked;
                      const confirmOpenRelay = isOpenRelay(n.cidr, relay);
                      if (confirmOpenRelay && !(await relayConfirm.ask(n.cidr))) return;
                      await act(() => api.updateNetwork({ cidr: n.cidr, relay, confirmOpenRelay }), `Saved ${n.cidr}.`);
                      query.reload();
                    }}
                  />
                </Table.Td>
                <Table.Td>{n.expiresAt === null ? 'never' : n.expired ? <Badge color="gray">expired</Badge> : formatTime(n.expiresAt)}</Table.Td>
                <RowActions>
                  <Button size="xs" variant="light" onClick={() => setEditing(n)} aria-label={`Edit ${n.cidr}`}>
                    Edit
                  </Button>
                  <ConfirmButton
                    label="Remove"
                    aria-label={`Remove ${n.cidr}`}
                    title={`Remove ${n.cidr}?`}
                    message="Devices in this range will be treated like any other host on the internet."
                    confirmLabel="Remove range"
                    onConfirm={() => act(() => api.removeNetwork({ cidr: n.cidr }), `Removed ${n.cidr}.`).then(query.reload)}
                  />
                </RowActions>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryView>
      {adding && <NetworkModal onClose={() => setAdding(false)} onSaved={query.reload} />}
      {editing && <NetworkModal network={editing} onClose={() => setEditing(undefined)} onSaved={query.reload} />}
      {relayConfirm.dialog}
    </>
  );
}

function protocols(n: NetworkView): string[] {
  return [n.allowSmtp && 'SMTP', n.allowImap && 'IMAP', n.allowPop3 && 'POP3'].filter((p): p is string => typeof p === 'string');
}

/** Adds a range, or (with `network`) edits one: everything but the range itself. */
function NetworkModal({ network, onClose, onSaved }: { network?: NetworkView; onClose(): void; onSaved(): void }) {
  const api = useApi();
  const form = useForm({
    mode: 'controlled',
    initialValues: network
      ? { cidr: network.cidr, description: network.description, allowSmtp: network.allowSmtp, allowImap: network.allowImap, allowPop3: network.allowPop3, relay: network.relay, requireTlsForAuth: network.requireTlsForAuth, expires: dayOf(network.expiresAt) }
      : { cidr: '', description: '', allowSmtp: true, allowImap: true, allowPop3: true, relay: false, requireTlsForAuth: true, expires: '' },
    validate: validateWith(networkFormSchema),
  });
  const relayConfirm = useOpenRelayConfirm();
  const { submit, error } = useFormSubmit(
    form,
    async ({ expires, ...v }) => {
      const confirmOpenRelay = isOpenRelay(v.cidr, v.relay);
      if (confirmOpenRelay && !(await relayConfirm.ask(v.cidr.trim()))) return;
      const n = network ? await api.updateNetwork({ ...v, expiresAt: endOfDay(expires), confirmOpenRelay }) : await api.addNetwork({ ...v, expiresAt: endOfDay(expires), confirmOpenRelay });
      notifyDone(network ? `Saved ${n.cidr}.` : `Added ${n.cidr}.`);
      onSaved();
      onClose();
    },
    { expiresAt: 'expires' },
  );
  return (
    <FormModal
      title={network ? `Edit ${network.cidr}` : 'Add a trusted range'}
      onClose={onClose}
      onSubmit={submit}
      error={error}
      submitLabel={network ? 'Save' : 'Add range'}
      submitting={form.submitting}
    >
      <TextInput label="IP range (CIDR)" placeholder="192.168.1.0/24" disabled={network !== undefined} data-autofocus={network ? undefined : true} {...form.getInputProps('cidr')} />
      <TextInput label="Description" placeholder="Office LAN" data-autofocus={network ? true : undefined} {...form.getInputProps('description')} />
      <Text size="sm" fw={500}>
        Devices in this range may use
      </Text>
      <Group>
        <Checkbox label="SMTP" {...form.getInputProps('allowSmtp', { type: 'checkbox' })} />
        <Checkbox label="IMAP" {...form.getInputProps('allowImap', { type: 'checkbox' })} />
        <Checkbox label="POP3" {...form.getInputProps('allowPop3', { type: 'checkbox' })} />
      </Group>
      <Switch label="Send mail without a password (printers, scanners)" {...form.getInputProps('relay', { type: 'checkbox' })} />
      {isOpenRelay(form.getValues().cidr, form.getValues().relay) && (
        <Alert color="red" icon={<IconAlertTriangle />}>
          {form.getValues().cidr.trim()} is not a private range: {OPEN_RELAY_WARNING}. Saving it asks you to confirm.
        </Alert>
      )}
      {relayConfirm.dialog}
      <Switch label="Require TLS before a password is sent" {...form.getInputProps('requireTlsForAuth', { type: 'checkbox' })} />
      <TextInput type="date" label="Trusted until (optional)" description="After this day the range is treated like any other host; empty: never." {...form.getInputProps('expires')} />
    </FormModal>
  );
}
