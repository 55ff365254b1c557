// The dashboard's "Banned addresses" card (issue 11 §2): sources the auth throttle banned after
// repeated failed logins (an IPv4 address or an IPv6 /64), until when, and an Unban button. Bans
// belong to sources only, never to users, so this is the whole list the admin needs to act on.
import { Button, Card, Table, Text, Title } from '@mantine/core';
import { act, useApi, useLiveEvents, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { formatTime } from '../../format.js';
import { ListTable, RowActions } from '../../components/list-table.js';

export function BannedSourcesCard() {
  const api = useApi();
  const query = useQuery((a) => a.listBannedSources({}));
  // A ban begins with an auth.block log row: show it without a manual refresh.
  useLiveEvents((event) => {
    if (event.type === 'log' && /\.block$/.test(event.row.event)) query.reload();
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Banned addresses
      </Title>
      <QueryView query={query} what="banned addresses">
        {(bans) =>
          bans.length === 0 ? (
            <Text c="dimmed" size="sm">
              No address is banned. An address is banned for a while after repeated failed logins; users themselves are never locked out.
            </Text>
          ) : (
            <ListTable label="Banned addresses" minWidth={420} columns={['Address', 'Failed logins', 'Banned until']}>
              {bans.map((b) => (
                <Table.Tr key={b.source}>
                  <Table.Td>{b.source}</Table.Td>
                  <Table.Td>{b.failures}</Table.Td>
                  <Table.Td>{formatTime(b.until)}</Table.Td>
                  <RowActions>
                    <Button
                      size="xs"
                      variant="light"
                      aria-label={`Unban ${b.source}`}
                      onClick={() => void act(() => api.unbanSource({ source: b.source }), `${b.source} may log in again.`).then(query.reload)}
                    >
                      Unban
                    </Button>
                  </RowActions>
                </Table.Tr>
              ))}
            </ListTable>
          )
        }
      </QueryView>
    </Card>
  );
}
