// The dashboard's nodes card (issue 19): on PostgreSQL, every Mailroom node sharing the database, by
// its heartbeat — alive, or silent (its queue claims have gone to the others) — and which one is
// answering this page. Not shown on SQLite (one node).
import { Badge, Card, Table, Text, Title } from '@mantine/core';
import type { NodeView } from '../../../server/admin/contract.js';
import { formatTime } from '../../format.js';

export function NodesCard({ nodes }: { nodes: NodeView[] }) {
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Nodes
      </Title>
      <Table aria-label="Nodes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Host</Table.Th>
            <Table.Th>Process</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Last heartbeat</Table.Th>
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {nodes.map((n) => (
            <Table.Tr key={n.id} data-node={n.id}>
              <Table.Td>
                {n.host}
                {n.self && (
                  <Badge ml="xs" variant="light">
                    this node
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{n.pid}</Table.Td>
              <Table.Td>{formatTime(n.startedAt)}</Table.Td>
              <Table.Td>{formatTime(n.seenAt)}</Table.Td>
              <Table.Td>{n.alive ? <Badge color="green">alive</Badge> : <Badge color="red">silent</Badge>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        Nodes share this PostgreSQL database. A node silent for 30 seconds is taken for stopped: the others take over its queued deliveries.
      </Text>
    </Card>
  );
}
