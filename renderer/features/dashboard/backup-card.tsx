// The dashboard's backup card (issue 12): the last good backup, and a warning when it is older than the
// schedule allows, there is none, or the last run failed; the Backup page has the rest.
import { Alert, Button, Card, Group, Text, Title } from '@mantine/core';
import { useLiveEvents, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';

export function BackupCard() {
  const query = useQuery((api) => api.backupStatus({}));
  useLiveEvents((event) => {
    if (event.type === 'backup' && (event.event.stage === 'done' || event.event.stage === 'failed')) query.reload();
  });
  return (
    <Card withBorder aria-label="Last backup">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">Last backup</Title>
        <Button component="a" href={href('backup')} variant="default" size="xs">
          Backups
        </Button>
      </Group>
      <QueryView query={query} what="the backup status">
        {(s) => (
          <>
            <Text size="sm">{s.last ? `${formatTime(s.last.at)}: ${s.last.messages} messages` : 'No backup yet.'}</Text>
            {(s.stale || !s.last) && (
              <Alert color="orange" mt="xs">
                {s.last ? 'Older than the schedule allows: check the backup folder.' : 'Make a backup, and set a schedule on the Backup page.'}
              </Alert>
            )}
            {s.lastError && (
              <Alert color="red" mt="xs">
                The backup at {formatTime(s.lastError.at)} failed: {s.lastError.error}
              </Alert>
            )}
          </>
        )}
      </QueryView>
    </Card>
  );
}
