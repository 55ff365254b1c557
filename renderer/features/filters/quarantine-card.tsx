// Messages a milter quarantined: held until the admin releases them (delivered, spam filing
// skipped) or deletes them.
import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { act, useApi, useQuery } from '../../client-context.js';
import { ConfirmButton } from '../../components/confirm.js';
import { ListTable, RowActions } from '../../components/list-table.js';
import { QueryView } from '../../components/states.js';
import { formatBytes, formatTime } from '../../format.js';

export function QuarantineCard() {
  const api = useApi();
  const query = useQuery((a) => a.listQuarantine({}));
  const release = async (id: string) => {
    const done = await act(() => api.releaseQuarantined({ quarantineId: id }), 'Released to its recipients.');
    if (done?.unresolved.length) notifications.show({ color: 'yellow', title: 'Not everyone', message: `No longer here, so not delivered: ${done.unresolved.join(', ')}.`, autoClose: 8000 });
    query.reload();
  };
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Stack gap={2}>
          <Title order={3} size="h4">Quarantine</Title>
          <Text size="sm" c="dimmed">
            Messages a milter asked to hold. Release delivers one to its recipients; delete drops it.
          </Text>
        </Stack>
        <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={query.reload} loading={query.loading}>
          Refresh
        </Button>
      </Group>
      <QueryView query={query} what="quarantine" isEmpty={(q) => q.length === 0} empty={{ title: 'Nothing held' }}>
        {(held) => (
          <ListTable label="Quarantined messages" minWidth={720} columns={['Received', 'From', 'To', 'Subject', 'Why', 'Size']}>
            {held.map((q) => (
              <Table.Tr key={q.quarantineId}>
                <Table.Td>{formatTime(q.createdAt)}</Table.Td>
                <Table.Td>{q.sender || '<>'}</Table.Td>
                <Table.Td>{q.recipients.join(', ')}</Table.Td>
                <Table.Td>{q.subject ?? '(no subject)'}</Table.Td>
                <Table.Td>
                  {q.reason} ({q.milter})
                </Table.Td>
                <Table.Td>{formatBytes(q.size)}</Table.Td>
                <RowActions>
                  <Button size="xs" variant="light" onClick={() => void release(q.quarantineId)} aria-label={`Release ${q.subject ?? q.quarantineId}`}>
                    Release
                  </Button>
                  <ConfirmButton
                    label="Delete"
                    aria-label={`Delete ${q.subject ?? q.quarantineId}`}
                    title="Delete this held message?"
                    message={`"${q.subject ?? '(no subject)'}" from ${q.sender || '<>'} is deleted without delivery.`}
                    confirmLabel="Delete message"
                    onConfirm={() => act(() => api.deleteQuarantined({ quarantineId: q.quarantineId }), 'Deleted the held message.').then(query.reload)}
                  />
                </RowActions>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryView>
    </Card>
  );
}
