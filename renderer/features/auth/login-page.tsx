// The admin login of a headless install, and the page shown before the first-run setup link was used.
import { Alert, Button, Center, Code, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { useClient } from '../../client-context.js';
import { useFormSubmit } from '../../forms.js';
import { usePageTitle } from '../../components/page.js';

export function LoginPage({ onLoggedIn }: { onLoggedIn(): void }) {
  const client = useClient();
  usePageTitle('Log in');
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '' },
    validate: { password: (v) => (v === '' ? 'Enter the admin password.' : null) },
  });
  const { submit, error } = useFormSubmit(form, async ({ password }) => {
    await client.auth!.login(password);
    onLoggedIn();
  });
  return (
    <Center component="main" mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit}>
          <Stack>
            <Stack gap={4} align="center">
              <IconLock size={32} aria-hidden />
              <Title order={1} size="h2">
                Mailroom admin
              </Title>
              <Text c="dimmed" size="sm">
                Log in with the admin password.
              </Text>
            </Stack>
            {error && (
              <Alert color="red" icon={<IconAlertTriangle />} role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput label="Admin password" autoComplete="current-password" data-autofocus key={form.key('password')} {...form.getInputProps('password')} />
            <Button type="submit" loading={form.submitting}>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

export function NotSetUpPage({ error }: { error?: string }) {
  usePageTitle('Not set up');
  return (
    <Center component="main" mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" maw={520}>
        <Stack>
          <Title order={1} size="h2">
            Mailroom is not set up yet
          </Title>
          {error && (
            <Alert color="red" icon={<IconAlertTriangle />} role="alert">
              {error}
            </Alert>
          )}
          <Text>
            Open the one-time setup link that <Code>mailroom serve</Code> printed when it started (the <Code>setupUrl</Code> in its ready
            line). It lets you choose the admin password and walks you through the first domain and user.
          </Text>
          <Text size="sm" c="dimmed">
            Lost the link? Restart the server: while no admin password is set, every start prints a new one.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
