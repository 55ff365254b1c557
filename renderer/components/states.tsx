// Loading, error and empty states for every list (issue 7: "every list has empty, loading and error
// states"), so screens only describe the loaded case.
import type { ReactNode } from 'react';
import { Alert, Button, Center, EmptyState, Group, Loader, Stack } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import type { Query } from '../client-context.js';

export interface QueryViewProps<T> {
  query: Query<T>;
  /** What to call the things being loaded, for the messages ("domains"). */
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: { title: string; description?: ReactNode; action?: ReactNode };
  children: (data: T) => ReactNode;
}

export function QueryView<T>({ query, what, isEmpty, empty, children }: QueryViewProps<T>) {
  if (query.data === undefined && query.loading) {
    return (
      <Center py="xl" data-testid="loading">
        <Loader aria-label={`Loading ${what}`} />
      </Center>
    );
  }
  if (query.data === undefined) {
    return (
      <Alert color="red" icon={<IconAlertTriangle />} title={`The ${what} could not be loaded`}>
        <Stack gap="xs">
          <div>{query.error?.message ?? 'Unknown error.'}</div>
          <Group>
            <Button size="xs" variant="light" color="red" onClick={query.reload}>
              Try again
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  if (empty && isEmpty?.(query.data)) {
    return (
      <EmptyState py="xl" icon={<IconInbox size={32} />} withIndicatorBackground title={empty.title} description={empty.description}>
        {empty.action && <EmptyState.Actions>{empty.action}</EmptyState.Actions>}
      </EmptyState>
    );
  }
  return (
    <>
      {query.error && (
        <Alert color="red" mb="sm" icon={<IconAlertTriangle />}>
          Refreshing failed: {query.error.message}
        </Alert>
      )}
      {children(query.data)}
    </>
  );
}
