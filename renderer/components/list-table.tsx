// A striped list table in a horizontal scroller: its column headings, then the rows; the last
// column holds each row's buttons (RowActions) under a heading only screen readers read.
import type { ReactNode } from 'react';
import { Group, Table, VisuallyHidden } from '@mantine/core';

export function ListTable({ label, minWidth, columns, children }: { label: string; minWidth: number; columns: string[]; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table striped aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c}>{c}</Table.Th>
            ))}
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function RowActions({ children }: { children: ReactNode }) {
  return (
    <Table.Td>
      <Group gap={4} justify="flex-end" wrap="nowrap">
        {children}
      </Group>
    </Table.Td>
  );
}
