// "Send as" grants: a user may use an address it does not own (one address, or `*@domain` for a whole
// domain) as envelope sender and in From: on submission.
import { useState } from 'react';
import { Button, Card, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { AdminSchemas } from '../../../server/admin/contract.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { ConfirmButton } from '../../components/confirm.js';
import { FormModal } from '../../components/form-modal.js';
import { QueryView } from '../../components/states.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { formatTime } from '../../format.js';
import { AccountField } from '../../components/account-field.js';

export function SendAsGrants() {
  const api = useApi();
  const query = useQuery((a) => a.listSenderGrants({}));
  const [adding, setAdding] = useState(false);
  return (
    <Card withBorder mb="lg">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">Send as</Title>
        <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>
          Let a user send as…
        </Button>
      </Group>
      <QueryView query={query} what="send-as grants">
        {(grants) =>
          grants.length === 0 ? (
            <Text c="dimmed" size="sm">
              No grants: every user sends only as their own address and their aliases. A shared mailbox (info@, sales@) that people reply from needs a grant for each of them.
            </Text>
          ) : (
            <Table aria-label="Send-as grants">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>May send as</Table.Th>
                  <Table.Th>Since</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {grants.map((g) => (
                  <Table.Tr key={`${g.user} ${g.address}`}>
                    <Table.Td>{g.user}</Table.Td>
                    <Table.Td>{g.address.startsWith('*@') ? `any address @${g.address.slice(2)}` : g.address}</Table.Td>
                    <Table.Td>{formatTime(g.createdAt)}</Table.Td>
                    <Table.Td>
                      <ConfirmButton
                        label="Remove"
                        aria-label={`Remove ${g.address} from ${g.user}`}
                        title={`Stop ${g.user} sending as ${g.address}?`}
                        message="Mail from that address by this user will be refused on submission."
                        confirmLabel="Remove grant"
                        onConfirm={() => act(() => api.revokeSendAs({ user: g.user, address: g.address }), `${g.user} may no longer send as ${g.address}.`).then(query.reload)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
      {adding && <GrantModal onClose={() => setAdding(false)} onGranted={query.reload} />}
    </Card>
  );
}

function GrantModal({ onClose, onGranted }: { onClose(): void; onGranted(): void }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { user: '', address: '' }, validate: validateWith(AdminSchemas.grantSendAs) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    const grant = await api.grantSendAs(v);
    notifyDone(`${grant.user} may send as ${grant.address}.`);
    onGranted();
    onClose();
  });
  return (
    <FormModal title="Let a user send as another address" onClose={onClose} onSubmit={submit} error={error} submitLabel="Grant" submitting={form.submitting}>
      <AccountField label="User" placeholder="alice@example.com" data-autofocus {...form.getInputProps('user')} />
      <TextInput label="May send as" description="One address, or *@domain for every address of a domain" placeholder="info@example.com" {...form.getInputProps('address')} />
    </FormModal>
  );
}
