// The title row of every screen: heading, one sentence of what the screen is for, and its actions;
// and the document title each screen sets (issue 18: "a page title per screen").
import { useEffect, type ReactNode } from 'react';
import { Group, Stack, Text, Title } from '@mantine/core';

export const PRODUCT = 'Mailroom';

/** Sets the window's title to "`screen` — Mailroom" while the caller is shown. */
export function usePageTitle(screen: string | undefined): void {
  useEffect(() => {
    document.title = screen ? `${screen} — ${PRODUCT}` : PRODUCT;
  }, [screen]);
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="lg" gap="sm">
      <Stack gap={4} miw={0} style={{ flex: '1 1 20rem' }}>
        <Title order={2}>{title}</Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}
