// Spam filing, Junk learning and greylisting (the `spam` and `greylisting` settings) in one form:
// the score that files mail to Junk, what a blocked sender gets, rspamd's controller for learning
// from the Junk folder, and greylisting's switch and timings.
import { Card, NumberInput, PasswordInput, Select, SimpleGrid, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Settings } from '../../../server/admin/contract.js';
import { notifyDone, useApi } from '../../client-context.js';
import { SettingsFormShell } from '../../components/settings-form.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { SPAM_FIELDS, spamFormSchema, toSpamForm, toSpamPatch, type SpamFormValues } from './schema.js';

export function SpamSettingsCard({ settings, onSaved }: { settings: Settings; onSaved(): void }) {
  const api = useApi();
  const form = useForm<SpamFormValues>({ mode: 'controlled', initialValues: toSpamForm(settings), validate: validateWith(spamFormSchema) });
  const { submit, error } = useFormSubmit(
    form,
    async (v) => {
      await api.updateSettings(toSpamPatch(v));
      form.resetDirty();
      notifyDone('Spam settings saved.');
      onSaved();
    },
    SPAM_FIELDS,
  );
  return (
    <SettingsFormShell onSubmit={submit} dirty={form.isDirty()} submitting={form.submitting} error={error} saveLabel="Save spam settings" onUndo={() => form.setValues(toSpamForm(settings))}>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Spam filing
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <NumberInput
            label="Junk threshold"
            description="A milter's spam score at or above this files the mail to Junk."
            decimalScale={2}
            {...form.getInputProps('junkThreshold')}
          />
          <Select
            label="Mail from a blocked sender"
            data={[
              { value: 'reject', label: 'Refuse it (550)' },
              { value: 'junk', label: 'File it to Junk' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('blockAction')}
          />
          <TextInput
            label="rspamd controller"
            description="Moving mail into or out of Junk over IMAP teaches rspamd spam or ham. Empty: no learning."
            placeholder="http://127.0.0.1:11334"
            {...form.getInputProps('rspamdController')}
          />
          <PasswordInput label="rspamd controller password" autoComplete="new-password" {...form.getInputProps('rspamdPassword')} />
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb={4}>
          Greylisting
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Mail from an unknown client network, sender and recipient is asked to come back later; real mail servers do. Trusted networks and logged-in users are never greylisted.
        </Text>
        <Switch label="Greylist mail arriving on the MX port" {...form.getInputProps('greylisting', { type: 'checkbox' })} />
        <SimpleGrid cols={{ base: 1, md: 3 }} mt="md">
          <NumberInput label="Delay (seconds)" description="A retry sooner than this is refused again." min={1} {...form.getInputProps('delaySeconds')} />
          <NumberInput label="Retry window (hours)" description="A retry later than this starts over." min={1} {...form.getInputProps('retryWindowHours')} />
          <NumberInput label="Remember a passed sender (days)" description="After its last message." min={1} {...form.getInputProps('passLifetimeDays')} />
        </SimpleGrid>
      </Card>
    </SettingsFormShell>
  );
}
