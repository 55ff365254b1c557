// Settings: server name, limits, relay host, queue timing, log retention, the certificate, the network (bind
// addresses, listener ports, autoconfig, DNS servers), and (on a headless install) the admin password. Values are checked with the contract's settings schema.
import { Button, Card, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Settings } from '../../../server/admin/contract.js';
import { adminPasswordChange, settingsFormSchema, toForm, toPatch, type FormValues } from './schema.js';
import { notifyDone, useClient, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { PageHeader } from '../../components/page.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { FormError } from '../../components/form-modal.js';
import { StrengthHint } from '../../components/strength-hint.js';
import { SettingsFormShell } from '../../components/settings-form.js';
import { CertificateCard } from './certificate-card.js';
import { NetworkCard } from './network-card.js';

export function SettingsPage() {
  const client = useClient();
  const query = useQuery((api) => api.getSettings());
  return (
    <>
      <PageHeader title="Settings" description="How the server names itself, what it accepts, and how it sends." />
      <QueryView query={query} what="settings">
        {(settings) => (
          <Stack gap="lg">
            <SettingsForm settings={settings} onSaved={query.reload} />
            <CertificateCard />
            <NetworkCard settings={settings} onSaved={query.reload} />
            {client.auth && <AdminPasswordCard />}
          </Stack>
        )}
      </QueryView>
    </>
  );
}

function SettingsForm({ settings, onSaved }: { settings: Settings; onSaved(): void }) {
  const { api } = useClient();
  const form = useForm<FormValues>({ mode: 'controlled', initialValues: toForm(settings), validate: validateWith(settingsFormSchema) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    await api.updateSettings(toPatch(v, settings));
    form.resetDirty();
    notifyDone('Settings saved.');
    onSaved();
  });
  return (
    <SettingsFormShell onSubmit={submit} dirty={form.isDirty()} submitting={form.submitting} error={error} saveLabel="Save settings" onUndo={() => form.setValues(toForm(settings))}>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Server
        </Title>
        <TextInput label="Hostname" description="The name in the SMTP banner, HELO and Received headers." maw={420} {...form.getInputProps('hostname')} />
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Limits
        </Title>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <NumberInput label="Largest message (MB)" min={1} {...form.getInputProps('maxMessageMb')} />
          <NumberInput label="Recipients per message" min={1} {...form.getInputProps('maxRecipients')} />
          <NumberInput label="Messages per user per hour" description="0: no limit" min={0} {...form.getInputProps('messagesPerUserPerHour')} />
        </SimpleGrid>
        <Select
          mt="md"
          maw={420}
          label="When a mailbox is full"
          data={[
            { value: '452', label: 'Ask the sender to try later (452)' },
            { value: '552', label: 'Refuse the message (552)' },
          ]}
          allowDeselect={false}
          {...form.getInputProps('overQuotaReply')}
        />
        <Stack mt="md" gap="xs">
          <Switch label="Users may only send as their own addresses and aliases" {...form.getInputProps('enforceSenderOwnership', { type: 'checkbox' })} />
          <Switch label="Allow passwords without TLS from trusted networks (old devices)" {...form.getInputProps('allowPlaintextAuthFromTrusted', { type: 'checkbox' })} />
        </Stack>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Outgoing mail
        </Title>
        <Switch label="Send through a relay host (smarthost)" {...form.getInputProps('relayEnabled', { type: 'checkbox' })} />
        {form.values.relayEnabled && (
          <SimpleGrid cols={{ base: 1, md: 3 }} mt="md">
            <TextInput label="Relay host" {...form.getInputProps('relayHost')} />
            <NumberInput label="Port" min={1} max={65535} {...form.getInputProps('relayPort')} />
            <Select
              label="Encryption"
              data={[
                { value: 'starttls', label: 'STARTTLS' },
                { value: 'implicit', label: 'TLS from the start' },
                { value: 'none', label: 'None' },
              ]}
              allowDeselect={false}
              {...form.getInputProps('relayTls')}
            />
            <TextInput label="User name" autoComplete="off" {...form.getInputProps('relayUsername')} />
            <PasswordInput label="Password" autoComplete="new-password" {...form.getInputProps('relayPassword')} />
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, md: 3 }} mt="md">
          <NumberInput label="First retry after (minutes)" min={1} {...form.getInputProps('minRetryMinutes')} />
          <NumberInput label="Longest wait between retries (minutes)" min={1} {...form.getInputProps('maxRetryMinutes')} />
          <NumberInput label="Give up and bounce after (days)" min={1} {...form.getInputProps('lifetimeDays')} />
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Logs
        </Title>
        <NumberInput label="Keep log rows for (days)" min={1} maw={240} {...form.getInputProps('logRetentionDays')} />
      </Card>
    </SettingsFormShell>
  );
}

function AdminPasswordCard() {
  const client = useClient();
  const form = useForm({ mode: 'controlled', initialValues: { currentPassword: '', password: '', confirm: '' }, validate: validateWith(adminPasswordChange) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    await client.auth!.setPassword(v.password, v.currentPassword);
    form.reset();
    notifyDone('Admin password changed. Other admin sessions were logged out.');
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Admin password
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack maw={420}>
          <PasswordInput label="Current password" autoComplete="current-password" {...form.getInputProps('currentPassword')} />
          <PasswordInput label="New password" autoComplete="new-password" {...form.getInputProps('password')} />
          <StrengthHint password={form.values.password} />
          <PasswordInput label="Repeat the new password" autoComplete="new-password" {...form.getInputProps('confirm')} />
          <FormError error={error} />
          <Group>
            <Button type="submit" loading={form.submitting}>
              Change admin password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
