// A user's out-of-office and forwarding, from the users list: what the admin sets here becomes the
// user's managed Sieve part (shown at the bottom, as it runs). A user's own ManageSieve script is
// named and left alone: the managed part runs before it.
import { Alert, Checkbox, Code, Group, NumberInput, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { AccountView, MailRulesView } from '../../../server/admin/contract.js';
import { notifyDone, useApi, useQuery } from '../../client-context.js';
import { FormModal } from '../../components/form-modal.js';
import { QueryView } from '../../components/states.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { destinations, mailRulesFormSchema } from './mail-rules-schema.js';

/** Server field names → this form's fields. */
const FIELDS: Record<string, string> = {
  'vacation.subject': 'subject',
  'vacation.text': 'text',
  'vacation.html': 'html',
  'vacation.start': 'start',
  'vacation.end': 'end',
  'vacation.days': 'days',
  'forward.to': 'forwardTo',
  to: 'forwardTo',
};

export function MailRulesModal({ account, onClose }: { account: AccountView; onClose(): void }) {
  const query = useQuery((api) => api.getMailRules({ address: account.address }), [account.address]);
  return (
    <QueryView query={query} what="mail rules">
      {(rules) => <MailRulesForm account={account} rules={rules} onClose={onClose} />}
    </QueryView>
  );
}

function MailRulesForm({ account, rules, onClose }: { account: AccountView; rules: MailRulesView; onClose(): void }) {
  const api = useApi();
  const v = rules.vacation;
  const f = rules.forward;
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      vacationOn: v !== null,
      subject: v?.subject ?? 'Out of office',
      text: v?.text ?? '',
      html: v?.html ?? '',
      start: v?.start ?? '',
      end: v?.end ?? '',
      days: v?.days ?? 7,
      forwardOn: f !== null,
      forwardTo: f?.to.join(', ') ?? '',
      keepCopy: f?.keepCopy ?? true,
    },
    validate: validateWith(mailRulesFormSchema),
  });
  const { submit, error } = useFormSubmit(
    form,
    async (x) => {
      const vacation = x.vacationOn
        ? { subject: x.subject, text: x.text, html: x.html.trim() === '' ? null : x.html, start: x.start || null, end: x.end || null, days: x.days, addresses: v?.addresses ?? [] }
        : null;
      await api.setVacation({ address: account.address, vacation });
      await api.setForwarding({ address: account.address, forward: x.forwardOn ? { to: destinations(x.forwardTo), keepCopy: x.keepCopy } : null });
      notifyDone(`Saved the out-of-office and forwarding of ${account.displayAddress}.`);
      onClose();
    },
    FIELDS,
  );
  const own = rules.userScripts.find((s) => s.active);
  return (
    <FormModal title={`Out-of-office and forwarding: ${account.displayAddress}`} size="xl" onClose={onClose} onSubmit={submit} error={error} submitLabel="Save" submitting={form.submitting}>
      {own && (
        <Alert color="blue" title="This user has an own Sieve script">
          The script “{own.name}” (set up with a mail client) is kept as it is: these settings only change Mailroom's own part, which runs before it.
        </Alert>
      )}
      <Title order={3} size="h5">Out-of-office</Title>
      <Switch label="Send an automatic reply" {...form.getInputProps('vacationOn', { type: 'checkbox' })} />
      {form.values.vacationOn && (
        <Stack gap="xs">
          <TextInput label="Subject" {...form.getInputProps('subject')} />
          <Textarea label="Reply" autosize minRows={3} {...form.getInputProps('text')} />
          <Textarea label="HTML version (optional)" autosize minRows={2} {...form.getInputProps('html')} />
          <Group grow align="flex-start">
            <TextInput label="First day" placeholder="2026-12-24" description="Empty: from now on" {...form.getInputProps('start')} />
            <TextInput label="Last day" placeholder="2027-01-02" description="Empty: until turned off" {...form.getInputProps('end')} />
            <NumberInput label="Days between replies to one sender" min={1} max={90} {...form.getInputProps('days')} />
          </Group>
          <Text size="xs" c="dimmed">
            Never sent to mailing lists, bulk or automatic mail, bounces or no-reply senders, nor for mail not addressed to this user.
          </Text>
        </Stack>
      )}
      <Title order={3} size="h5">Forwarding</Title>
      <Switch label="Forward incoming mail" {...form.getInputProps('forwardOn', { type: 'checkbox' })} />
      {form.values.forwardOn && (
        <Stack gap="xs">
          <TextInput label="Forward to" placeholder="me@phone.example, assistant@example.com" description="Up to 4 addresses, separated by commas" {...form.getInputProps('forwardTo')} />
          <Checkbox label="Keep a copy in this mailbox" {...form.getInputProps('keepCopy', { type: 'checkbox' })} />
        </Stack>
      )}
      {rules.managedScript !== null && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            The Sieve rules these settings make (as saved)
          </Text>
          <Code block aria-label="Generated Sieve script">
            {rules.managedScript}
          </Code>
        </Stack>
      )}
    </FormModal>
  );
}
