// Trusted networks (DESIGN §5): IP ranges with their own permissions, as hMailServer's IP ranges do
// it. The host itself is always trusted. Per-stage access rules join this screen once the policy
// engine's admin methods exist.
import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Switch, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconShieldCheck } from '@tabler/icons-react';
import { NetworkFieldsSchema, refuseOpenRelay, type NetworkView } from '../../../server/admin/contract.js';
import { isPrivateRange } from '../../../server/policy/private-range.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { FormModal } from '../../components/form-modal.js';
import { formatTime } from '../../format.js';

const networkFormSchema = NetworkFieldsSchema.omit({ expiresAt: true }).superRefine(refuseOpenRelay);
const OPEN_RELAY_WARNING = 'anyone there can send mail anywhere through this server without a password: an open relay, which spammers find within hours and which gets the server blocklisted.';

/** Relay for a range beyond the private ones needs the admin's explicit yes (the server refuses it otherwise). */
function confirmsOpenRelay(cidr: string, relay: boolean): boolean | undefined {
  if (!relay || isPrivateRange(cidr) !== false) return false;
  return window.confirm(`${cidr} is not a private range: ${OPEN_RELAY_WARNING} Allow it anyway?`) ? true : undefined;
}

export function NetworksPage() {
  const api = useApi();
  const query = useQuery((a) => a.listNetworks());
  const [adding, setAdding] = useState(false);
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
      <Alert color="gray" icon={<IconShieldCheck />} mb="md">
        Whatever is configured here, the server never relays mail for strangers: mail to outside domains needs a login or a range allowed to send
        without a password.
      </Alert>
      <QueryView
        query={query}
        what="networks"
        isEmpty={(n) => n.length === 0}
        empty={{ title: 'Only this machine is trusted', description: 'Add your LAN range (like 192.168.1.0/24) so devices there can use the server.', action: <Button onClick={() => setAdding(true)}>Add range</Button> }}
      >
        {(networks) => (
          <Table striped aria-label="Trusted networks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Range</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Allowed</Table.Th>
                <Table.Th>Send without password</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {networks.map((n) => (
                <Table.Tr key={n.cidr}>
                  <Table.Td fw={600}>{n.cidr}</Table.Td>
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
                      onChange={(e) => {
                        const relay = e.currentTarget.checked;
                        const confirmOpenRelay = confirmsOpenRelay(n.cidr, relay);
                        if (confirmOpenRelay === undefined) return;
                        void act(() => api.updateNetwork({ cidr: n.cidr, relay, confirmOpenRelay }), `Saved ${n.cidr}.`).then(query.reload);
                      }}
                    />
                  </Table.Td>
                  <Table.Td>{n.expiresAt === null ? 'never' : n.expired ? <Badge color="gray">expired</Badge> : formatTime(n.expiresAt)}</Table.Td>
                  <Table.Td>
                    <ConfirmButton
                      label="Remove"
                      aria-label={`Remove ${n.cidr}`}
                      title={`Remove ${n.cidr}?`}
                      message="Devices in this range will be treated like any other host on the internet."
                      confirmLabel="Remove range"
                      onConfirm={() => act(() => api.removeNetwork({ cidr: n.cidr }), `Removed ${n.cidr}.`).then(query.reload)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryView>
      {adding && <AddNetworkModal onClose={() => setAdding(false)} onAdded={query.reload} />}
    </>
  );
}

function protocols(n: NetworkView): string[] {
  return [n.allowSmtp && 'SMTP', n.allowImap && 'IMAP', n.allowPop3 && 'POP3'].filter((p): p is string => typeof p === 'string');
}

function AddNetworkModal({ onClose, onAdded }: { onClose(): void; onAdded(): void }) {
  const api = useApi();
  const form = useForm({
    mode: 'controlled',
    initialValues: { cidr: '', description: '', allowSmtp: true, allowImap: true, allowPop3: true, relay: false, requireTlsForAuth: true, confirmOpenRelay: false },
    validate: validateWith(networkFormSchema),
  });
  const { submit, error } = useFormSubmit(form, async (v) => {
    const n = await api.addNetwork(v);
    notifyDone(`Added ${n.cidr}.`);
    onAdded();
    onClose();
  });
  return (
    <FormModal title="Add a trusted range" onClose={onClose} onSubmit={submit} error={error} submitLabel="Add range" submitting={form.submitting}>
      <TextInput label="IP range (CIDR)" placeholder="192.168.1.0/24" data-autofocus {...form.getInputProps('cidr')} />
      <TextInput label="Description" placeholder="Office LAN" {...form.getInputProps('description')} />
      <Text size="sm" fw={500}>
        Devices in this range may use
      </Text>
      <Group>
        <Checkbox label="SMTP" {...form.getInputProps('allowSmtp', { type: 'checkbox' })} />
        <Checkbox label="IMAP" {...form.getInputProps('allowImap', { type: 'checkbox' })} />
        <Checkbox label="POP3" {...form.getInputProps('allowPop3', { type: 'checkbox' })} />
      </Group>
      <Switch label="Send mail without a password (printers, scanners)" {...form.getInputProps('relay', { type: 'checkbox' })} />
      {form.getValues().relay && isPrivateRange(form.getValues().cidr) === false && (
        <Checkbox
          color="red"
          label={`I know this is an open relay: ${OPEN_RELAY_WARNING}`}
          {...form.getInputProps('confirmOpenRelay', { type: 'checkbox' })}
        />
      )}
      <Switch label="Require TLS before a password is sent" {...form.getInputProps('requireTlsForAuth', { type: 'checkbox' })} />
    </FormModal>
  );
}
