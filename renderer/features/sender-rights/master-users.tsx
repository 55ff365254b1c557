// Master users: may log in (SMTP, IMAP, POP3) as any other user with their own password, by naming
// that user as the SASL authorization identity, as Dovecot's master users do (support staff, a
// migration or backup tool). Everyone else naming another user is refused.
import { useState } from 'react';
import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { AdminSchemas } from '../../../server/admin/contract.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { ConfirmButton } from '../../components/confirm.js';
import { FormModal } from '../../components/form-modal.js';
import { QueryView } from '../../components/states.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { AccountField } from '../../components/account-field.js';

// The form sets only who; `master: true` is the button's meaning.
const masterFormSchema = AdminSchemas.setMasterUser.pick({ address: true });

export function MasterUsers() {
  const api = useApi();
  const query = useQuery((a) => a.listMasterUsers({}));
  const [adding, setAdding] = useState(false);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">Master users</Title>
        <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>
          Add master user
        </Button>
      </Group>
      <QueryView query={query} what="master users">
        {(masters) =>
          masters.length === 0 ? (
            <Text c="dimmed" size="sm">
              No master users: nobody can log in as someone else.
            </Text>
          ) : (
            <Table aria-label="Master users">
              <Table.Tbody>
                {masters.map((address) => (
                  <Table.Tr key={address}>
                    <Table.Td>{address}</Table.Td>
                    <Table.Td>
                      <ConfirmButton
                        label="Remove"
                        aria-label={`Remove master user ${address}`}
                        title={`Make ${address} an ordinary user?`}
                        message="This user will no longer be able to log in as other users."
                        confirmLabel="Remove"
                        onConfirm={() => act(() => api.setMasterUser({ address, master: false }), `${address} is no longer a master user.`).then(query.reload)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
      {adding && <MasterModal onClose={() => setAdding(false)} onAdded={query.reload} />}
    </Card>
  );
}

function MasterModal({ onClose, onAdded }: { onClose(): void; onAdded(): void }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { address: '' }, validate: validateWith(masterFormSchema) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    const result = await api.setMasterUser({ address: v.address, master: true });
    notifyDone(`${result.address} is now a master user.`);
    onAdded();
    onClose();
  });
  return (
    <FormModal title="Add a master user" onClose={onClose} onSubmit={submit} error={error} submitLabel="Make master user" submitting={form.submitting}>
      <Text size="sm">
        A master user logs in as another user by giving that user&apos;s address as the authorization identity (AUTH PLAIN) and their own password. Grant it only to accounts you
        trust with every mailbox.
      </Text>
      <AccountField label="User" placeholder="support@example.com" data-autofocus {...form.getInputProps('address')} />
    </FormModal>
  );
}
