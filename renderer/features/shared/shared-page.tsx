// Shared mailboxes (issue 17): office mailboxes such as Shared/sales that receive mail at their own
// address, and the users granted rights on them (RFC 4314 letters, offered as three levels). The
// rights are enforced by the server's store wherever a user reaches the mailbox; this screen keeps
// the list. The CLI twin is `mailroom shared`.
import { useState } from 'react';
import { Badge, Button, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { AdminSchemas, type SharedMailboxView } from '../../../server/admin/contract.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ListTable, RowActions } from '../../components/list-table.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { FormModal } from '../../components/form-modal.js';
import { AccountField } from '../../components/account-field.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { formatBytes } from '../../format.js';

/** The rights offered, from least to most. */
const LEVELS = [
  { value: 'lr', label: 'Read only (lr)' },
  { value: 'lrswite', label: 'Read and work: flags, file in, delete (lrswite)' },
  { value: 'lrswipkxtea', label: 'Full, incl. folders and sharing (lrswipkxtea)' },
];

export function SharedMailboxesPage() {
  const query = useQuery((a) => a.listSharedMailboxes({}));
  const [adding, setAdding] = useState(false);
  const [granting, setGranting] = useState<SharedMailboxView>();
  const api = useApi();
  return (
    <>
      <PageHeader
        title="Shared mailboxes"
        description="Mailboxes an office shares, such as Shared/sales: mail to their address lands there, and the people you grant see them in their mail program under Shared/."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            Add shared mailbox
          </Button>
        }
      />
      <QueryView
        query={query}
        what="shared mailboxes"
        isEmpty={(s) => s.length === 0}
        empty={{
          title: 'No shared mailboxes yet',
          description: 'Make one for an address several people answer (sales@, info@), then grant them access.',
          action: <Button onClick={() => setAdding(true)}>Add the first shared mailbox</Button>,
        }}
      >
        {(mailboxes) => (
          <ListTable label="Shared mailboxes" minWidth={760} columns={['Mailbox', 'Address', 'Messages', 'Size', 'Who has access']}>
            {mailboxes.map((s) => (
              <Table.Tr key={s.name}>
                <Table.Td fw={600}>{s.imapName}</Table.Td>
                <Table.Td>{s.address}</Table.Td>
                <Table.Td>{s.messages}</Table.Td>
                <Table.Td>{formatBytes(s.usedBytes)}</Table.Td>
                <Table.Td>
                  {s.grants.length === 0 ? (
                    <Text c="dimmed" size="sm">
                      No one yet
                    </Text>
                  ) : (
                    <Group gap={4}>
                      {s.grants.map((g) => (
                        <Badge key={g.user} variant="light" tt="none" rightSection={<RevokeButton mailbox={s} user={g.user} onDone={query.reload} />}>
                          {g.user}: {g.rights}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                <RowActions>
                  <Button size="xs" variant="light" onClick={() => setGranting(s)} aria-label={`Grant access to ${s.imapName}`}>
                    Grant access
                  </Button>
                  <ConfirmButton
                    label="Remove"
                    aria-label={`Remove ${s.imapName}`}
                    title={`Remove ${s.imapName}?`}
                    message={`Its ${s.messages} messages are deleted and mail to ${s.address} is refused from now on.`}
                    confirmLabel="Remove shared mailbox"
                    onConfirm={() => act(() => api.removeSharedMailbox({ name: s.name }), `Removed ${s.imapName}.`).then(query.reload)}
                  />
                </RowActions>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryView>
      {adding && <AddModal onClose={() => setAdding(false)} onSaved={query.reload} />}
      {granting && <GrantModal mailbox={granting} onClose={() => setGranting(undefined)} onSaved={query.reload} />}
    </>
  );
}

function RevokeButton({ mailbox, user, onDone }: { mailbox: SharedMailboxView; user: string; onDone(): void }) {
  const api = useApi();
  return (
    <ConfirmButton
      label="×"
      aria-label={`Revoke ${user} on ${mailbox.imapName}`}
      title={`Revoke ${user}'s access to ${mailbox.imapName}?`}
      message="The mailbox disappears from their mail program."
      confirmLabel="Revoke"
      onConfirm={() => act(() => api.grantSharedMailbox({ name: mailbox.name, user, rights: '' }), `${user} no longer has access to ${mailbox.imapName}.`).then(onDone)}
    />
  );
}

function AddModal({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { name: '', address: '' }, validate: validateWith(AdminSchemas.addSharedMailbox) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    const made = await api.addSharedMailbox(v);
    notifyDone(`Made ${made.imapName}: mail to ${made.address} lands there.`);
    onSaved();
    onClose();
  });
  return (
    <FormModal title="Add a shared mailbox" onClose={onClose} onSubmit={submit} error={error} submitLabel="Add" submitting={form.submitting}>
      <TextInput label="Name" description="Shown to users as Shared/<name>" placeholder="sales" data-autofocus {...form.getInputProps('name')} />
      <TextInput label="Address" description="Mail to this address lands in the shared mailbox" placeholder="sales@example.com" {...form.getInputProps('address')} />
    </FormModal>
  );
}

function GrantModal({ mailbox, onClose, onSaved }: { mailbox: SharedMailboxView; onClose(): void; onSaved(): void }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { name: mailbox.name, user: '', rights: 'lrswite' }, validate: validateWith(AdminSchemas.grantSharedMailbox) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    await api.grantSharedMailbox(v);
    notifyDone(`${v.user} has access to ${mailbox.imapName}.`);
    onSaved();
    onClose();
  });
  return (
    <FormModal title={`Grant access to ${mailbox.imapName}`} onClose={onClose} onSubmit={submit} error={error} submitLabel="Grant" submitting={form.submitting}>
      <AccountField label="User" placeholder="alice@example.com" data-autofocus {...form.getInputProps('user')} />
      <Select label="Access" data={LEVELS} allowDeselect={false} {...form.getInputProps('rights')} />
    </FormModal>
  );
}
