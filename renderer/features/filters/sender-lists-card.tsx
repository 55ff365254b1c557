// Allow and block lists: the global lists, a hosted domain's, or one user's (the scope is chosen
// above the table). An allowed sender skips spam filing; a blocked one is refused or filed to Junk.
// The server reads the pattern (address, @domain, IP or CIDR) and says what is wrong with it.
import { useState } from 'react';
import { Badge, Button, Card, Group, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { SenderListEntryView } from '../../../server/admin/contract.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { AccountField } from '../../components/account-field.js';
import { ConfirmButton } from '../../components/confirm.js';
import { FormError } from '../../components/form-modal.js';
import { ListTable, RowActions } from '../../components/list-table.js';
import { QueryView } from '../../components/states.js';
import { formatTime } from '../../format.js';
import { useFormSubmit } from '../../forms.js';

type Scope = { user?: string; domain?: string };

const KIND: Record<SenderListEntryView['kind'], string> = { address: 'Address', domain: 'Domain', network: 'Network' };

export function SenderListsCard() {
  const [scope, setScope] = useState<Scope>({});
  const where = scope.user ? `${scope.user}'s lists` : scope.domain ? `the lists of ${scope.domain}` : 'the global lists';
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb={4}>
        Allow and block lists
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Allowed senders skip spam filing; blocked ones are handled as set above. A user&apos;s own list wins over the domain&apos;s, the domain&apos;s over the global one. Moving mail out of Junk adds its sender to the user&apos;s allow list.
      </Text>
      <ScopePicker onChange={setScope} />
      <Stack mt="md">
        <EntryTable key={`${scope.user ?? ''} ${scope.domain ?? ''}`} scope={scope} where={where} />
      </Stack>
    </Card>
  );
}

function ScopePicker({ onChange }: { onChange(scope: Scope): void }) {
  const domains = useQuery((a) => a.listDomains({}));
  const [kind, setKind] = useState<'global' | 'domain' | 'user'>('global');
  const [domain, setDomain] = useState<string | null>(null);
  const [user, setUser] = useState('');
  const choose = (next: string) => {
    setKind(next as typeof kind);
    if (next === 'global') onChange({});
    else if (next === 'domain' && domain) onChange({ domain });
    else if (next === 'user' && user.trim()) onChange({ user: user.trim() });
  };
  return (
    <Group align="flex-end">
      <SegmentedControl
        aria-label="Whose lists"
        value={kind}
        onChange={choose}
        data={[
          { value: 'global', label: 'Global' },
          { value: 'domain', label: 'A domain' },
          { value: 'user', label: 'A user' },
        ]}
      />
      {kind === 'domain' && (
        <Select
          label="Domain"
          placeholder="Choose a domain"
          data={(domains.data ?? []).map((d) => d.name)}
          value={domain}
          onChange={(d) => {
            setDomain(d);
            if (d) onChange({ domain: d });
          }}
        />
      )}
      {kind === 'user' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (user.trim()) onChange({ user: user.trim() });
          }}
        >
          <Group align="flex-end">
            <AccountField label="User" placeholder="alice@example.com" value={user} onChange={setUser} onOptionSubmit={(u) => onChange({ user: u })} />
            <Button type="submit" variant="light">
              Show lists
            </Button>
          </Group>
        </form>
      )}
    </Group>
  );
}

function EntryTable({ scope, where }: { scope: Scope; where: string }) {
  const api = useApi();
  const query = useQuery((a) => a.listSenderLists(scope), [scope.user, scope.domain]);
  const form = useForm({
    mode: 'controlled',
    initialValues: { list: 'block' as 'allow' | 'block', pattern: '' },
    validate: { pattern: (p) => (p.trim() === '' ? 'Enter a sender address, @domain or an IP range.' : null) },
  });
  const { submit, error } = useFormSubmit(form, async (v) => {
    const added = await api.addSenderListEntry({ ...scope, list: v.list, pattern: v.pattern });
    form.setFieldValue('pattern', '');
    notifyDone(`${added.pattern} is on the ${added.list} list.`);
    query.reload();
  });
  return (
    <>
      <form onSubmit={submit} noValidate aria-label="Add to a list">
        <Group align="flex-start">
          <Select
            label="List"
            w={140}
            data={[
              { value: 'block', label: 'Block' },
              { value: 'allow', label: 'Allow' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('list')}
          />
          <TextInput label="Sender" placeholder="spammer@example.org, @example.org or 192.0.2.0/24" miw={320} {...form.getInputProps('pattern')} />
          <Button type="submit" mt={25} loading={form.submitting}>
            Add
          </Button>
        </Group>
        <FormError error={error} />
      </form>
      <QueryView query={query} what={where} isEmpty={(e) => e.length === 0} empty={{ title: `Nothing on ${where}` }}>
        {(entries) => (
          <ListTable label="List entries" minWidth={560} columns={['List', 'Sender', 'Kind', 'Added']}>
            {entries.map((e) => (
              <Table.Tr key={`${e.list} ${e.pattern}`}>
                <Table.Td>
                  <Badge color={e.list === 'allow' ? 'teal' : 'red'} variant="light">
                    {e.list === 'allow' ? 'Allow' : 'Block'}
                  </Badge>
                </Table.Td>
                <Table.Td fw={600}>{e.pattern}</Table.Td>
                <Table.Td>{KIND[e.kind]}</Table.Td>
                <Table.Td>
                  {formatTime(e.createdAt)}
                  {e.source === 'junk-folder' && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      (moved out of Junk)
                    </Text>
                  )}
                </Table.Td>
                <RowActions>
                  <ConfirmButton
                    label="Remove"
                    aria-label={`Remove ${e.pattern} from the ${e.list} list`}
                    title={`Remove ${e.pattern} from the ${e.list} list?`}
                    message={e.list === 'allow' ? 'Its mail is filtered for spam again.' : 'Its mail is accepted again.'}
                    confirmLabel="Remove"
                    onConfirm={() => act(() => api.removeSenderListEntry({ ...scope, list: e.list, pattern: e.pattern }), `Removed ${e.pattern}.`).then(query.reload)}
                  />
                </RowActions>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryView>
    </>
  );
}
