// The transport table (Postfix transport(5)): per destination domain, deliver here (local), refuse
// (reject), or hand to a fixed relay (smtp:[host]:port) or the domain's MX on a port (smtp:host:port).
// The route is checked by the contract's schema, so the form shows the server's own sentence.
import { useState } from 'react';
import { Button, Code, Group, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { AdminSchemas, type TransportView } from '../../../server/admin/contract.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { FormModal } from '../../components/form-modal.js';

export function TransportsPage() {
  const api = useApi();
  const query = useQuery((a) => a.listTransports({}));
  const [editing, setEditing] = useState<TransportView | 'new'>();
  return (
    <>
      <PageHeader
        title="Transports"
        description="Where mail for a domain goes instead of its MX: a smarthost for one partner, local delivery, or a refusal."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            Add transport
          </Button>
        }
      />
      <QueryView
        query={query}
        what="transports"
        isEmpty={(t) => t.length === 0}
        empty={{ title: 'No transports', description: 'Mail for other domains goes to their MX servers (or the relay host in Settings).', action: <Button onClick={() => setEditing('new')}>Add the first transport</Button> }}
      >
        {(transports) => (
          <Table.ScrollContainer minWidth={560} type="native">
            <Table striped aria-label="Transports">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Domain</Table.Th>
                  <Table.Th>Route</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {transports.map((t) => (
                  <Table.Tr key={t.domain}>
                    <Table.Td fw={600}>{t.domain}</Table.Td>
                    <Table.Td>
                      <Code>{t.route}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="light" onClick={() => setEditing(t)} aria-label={`Edit the transport of ${t.domain}`}>
                          Edit
                        </Button>
                        <ConfirmButton
                          label="Remove"
                          aria-label={`Remove the transport of ${t.domain}`}
                          title={`Remove the transport of ${t.domain}?`}
                          message="Mail for this domain goes to its MX servers again."
                          confirmLabel="Remove transport"
                          onConfirm={() => act(() => api.removeTransport({ domain: t.domain }), `Removed the transport of ${t.domain}.`).then(query.reload)}
                        />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      {editing && <TransportModal transport={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onSaved={query.reload} />}
    </>
  );
}

function TransportModal({ transport, onClose, onSaved }: { transport?: TransportView; onClose(): void; onSaved(): void }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { domain: transport?.domain ?? '', route: transport?.route ?? '' }, validate: validateWith(AdminSchemas.setTransport) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    const saved = await api.setTransport(v);
    notifyDone(`Mail for ${saved.domain} goes to ${saved.route}.`);
    onSaved();
    onClose();
  });
  return (
    <FormModal title={transport ? `Edit the transport of ${transport.domain}` : 'Add a transport'} onClose={onClose} onSubmit={submit} error={error} submitLabel="Save" submitting={form.submitting}>
      <TextInput label="Domain" placeholder="partner.example" disabled={transport !== undefined} data-autofocus={transport ? undefined : true} {...form.getInputProps('domain')} />
      <TextInput label="Route" placeholder="smtp:[mail.partner.example]:25" data-autofocus={transport ? true : undefined} {...form.getInputProps('route')} />
      <Text size="sm" c="dimmed">
        <Code>local</Code> delivers here, <Code>reject</Code> refuses, <Code>smtp:[host]:port</Code> sends to that host, <Code>smtp:host:port</Code> to the MX of host.
      </Text>
    </FormModal>
  );
}
