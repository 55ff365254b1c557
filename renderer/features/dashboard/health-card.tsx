// The dashboard's health panel: the same checks as `mailroom doctor` (admin method runDoctor), loaded
// on their own so a slow DNS probe never holds up the rest of the dashboard. Problems first, each
// with its fix; a sound server gets one line.
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { DoctorCheck, DoctorStatus } from '../../../server/admin/contract.js';
import { useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';

const COLOR: Record<DoctorStatus, string> = { ok: 'green', warn: 'yellow', fail: 'red' };

export function HealthCard() {
  const query = useQuery((api) => api.runDoctor({}));
  return (
    <Card withBorder aria-label="Health checks">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">Health checks</Title>
        <Button variant="default" size="xs" onClick={query.reload} loading={query.loading}>
          Check again
        </Button>
      </Group>
      <QueryView query={query} what="health checks">
        {(report) => {
          const problems = report.checks.filter((c) => c.status !== 'ok').sort((a, b) => rank(b.status) - rank(a.status));
          if (problems.length === 0) {
            return (
              <Text size="sm" c="dimmed">
                All {report.checks.length} checks passed: {report.checks.map((c) => c.title.toLowerCase()).join(', ')}.
              </Text>
            );
          }
          return (
            <Stack gap="xs">
              {problems.map((c) => (
                <Finding key={c.id} check={c} />
              ))}
              <Text size="xs" c="dimmed">
                {report.checks.length - problems.length} other checks passed. The same checks: mailroom doctor.
              </Text>
            </Stack>
          );
        }}
      </QueryView>
    </Card>
  );
}

function Finding({ check }: { check: DoctorCheck }) {
  return (
    <Alert color={COLOR[check.status]} p="xs" data-testid={`health-${check.id}`}>
      <Group gap="xs">
        <Badge color={COLOR[check.status]}>{check.status}</Badge>
        <Text size="sm" fw={600}>
          {check.title}
        </Text>
      </Group>
      <Text size="sm">{check.detail}</Text>
      {check.fix && (
        <Text size="xs" c="dimmed">
          Fix: {check.fix}
        </Text>
      )}
    </Alert>
  );
}

function rank(status: DoctorStatus): number {
  return status === 'fail' ? 2 : status === 'warn' ? 1 : 0;
}
