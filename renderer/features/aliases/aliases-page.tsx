// Aliases: single aliases, distribution lists (many destinations), catch-alls (*@domain) and
// forwards to outside addresses. The server refuses loops and unknown local targets; the refusal
// shows on the destinations field.
import { useState } from 'react';
import { Badge, Button, Group, SegmentedControl, Select, Table, TagsInput, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import type { AliasView, DomainView } from '../../../server/admin/contract.js';
import { aliasFormSchema } from './schema.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { DomainFilter } from '../../components/domain-filter.js';
import { PagedTable, SearchBox, SortTh, usePaging } from '../../components/paging.js';
import { useAddressSuggestions } from '../../components/address-suggestions.js';
import type { AliasSort } from '../../../server/store/list-sorts.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { FormModal } from '../../components/form-modal.js';
import { navigate } from '../../router.js';

function kindOf(alias: AliasView, localDomains: Set<string>): { label: string; color: string } {
  if (alias.catchAll) return { label: 'catch-all', color: 'grape' };
  const external = alias.destinations.some((d) => !localDomains.has(d.slice(d.lastIndexOf('@') + 1).toLowerCase()));
  if (alias.destinations.length > 1) return { label: `list of ${alias.destinations.length}`, color: 'indigo' };
  return external ? { label: 'forward', color: 'orange' } : { label: 'alias', color: 'gray' };
}

export function AliasesPage({ domain }: { domain?: string }) {
  const api = useApi();
  const paging = usePaging<AliasSort>('address');
  const query = useQuery((a) => Promise.all([a.searchAliases({ domain, ...paging.params }), a.listDomains()]), [domain, paging.params]);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<AliasView>();

  return (
    <>
      <PageHeader
        title="Aliases"
        description="Extra addresses that deliver to users, lists that deliver to many, catch-alls and forwards."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} disabled={query.data?.[1].length === 0}>
            Add alias
          </Button>
        }
      />
      <Group mb="md">
        <SearchBox paging={paging} label="Search aliases" placeholder="Search address or destination" />
        <DomainFilter domains={query.data?.[1]} value={domain} onChange={(d) => navigate('aliases', { domain: d })} />
      </Group>
      <QueryView
        query={query}
        what="aliases"
        isEmpty={([aliases, domains]) => (aliases.total === 0 && paging.params.query === '') || domains.length === 0}
        empty={
          query.data?.[1].length === 0
            ? { title: 'No domains yet', description: 'Add a domain first.', action: <Button onClick={() => navigate('domains')}>Go to domains</Button> }
            : {
                title: 'No aliases yet',
                description: 'An alias like info@ or sales@ delivers to one or more users; a catch-all takes mail for unknown addresses.',
                action: <Button onClick={() => setAdding(true)}>Add the first alias</Button>,
              }
        }
      >
        {([page, domains]) => {
          const local = new Set(domains.map((d) => d.name));
          if (page.total === 0) return <Text c="dimmed">No alias matches “{paging.params.query}”.</Text>;
          return (
            <PagedTable
              label="Aliases"
              minWidth={640}
              page={page}
              paging={paging}
              what="aliases"
              head={
                <>
                  <SortTh paging={paging} sortKey="address">Address</SortTh>
                  <Table.Th>Kind</Table.Th>
                  <SortTh paging={paging} sortKey="destinations">Delivers to</SortTh>
                  <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
                </>
              }
            >
              {(items) =>
                items.map((a) => {
                  const kind = kindOf(a, local);
                  return (
                    <Table.Tr key={a.address}>
                      <Table.Td fw={600}>{a.displayAddress}</Table.Td>
                      <Table.Td>
                        <Badge color={kind.color} variant="light">
                          {kind.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {a.destinations.map((d) => (
                            <Badge key={d} variant="outline" tt="none">
                              {d}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button size="xs" variant="light" onClick={() => setEditing(a)} aria-label={`Edit ${a.displayAddress}`}>
                            Edit
                          </Button>
                          <ConfirmButton
                            label="Remove"
                            aria-label={`Remove ${a.displayAddress}`}
                            title={`Remove ${a.displayAddress}?`}
                            message={a.catchAll ? 'Mail to unknown addresses of this domain will be refused again.' : `Mail to ${a.displayAddress} will be refused.`}
                            confirmLabel="Remove alias"
                            onConfirm={() => act(() => api.removeAlias({ address: a.address }), `Removed ${a.displayAddress}.`).then(query.reload)}
                          />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })
              }
            </PagedTable>
          );
        }}
      </QueryView>
      {adding && query.data && <AliasModal domains={query.data[1]} defaultDomain={domain} onClose={() => setAdding(false)} onSaved={query.reload} />}
      {editing && query.data && <AliasModal domains={query.data[1]} alias={editing} onClose={() => setEditing(undefined)} onSaved={query.reload} />}
    </>
  );
}

function AliasModal({ domains, alias, defaultDomain, onClose, onSaved }: { domains: DomainView[]; alias?: AliasView; defaultDomain?: string; onClose(): void; onSaved(): void }) {
  const api = useApi();
  const at = alias ? alias.address.lastIndexOf('@') : -1;
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      kind: (alias?.catchAll ? 'catch-all' : 'alias') as 'alias' | 'catch-all',
      localPart: alias && !alias.catchAll ? alias.address.slice(0, at) : '',
      domain: alias ? alias.address.slice(at + 1) : (defaultDomain ?? domains[0]?.name ?? ''),
      destinations: alias?.destinations ?? ([] as string[]),
    },
    validate: validateWith(aliasFormSchema),
  });
  const [typed, setTyped] = useState('');
  const suggestions = useAddressSuggestions(typed);
  const { submit, error } = useFormSubmit(
    form,
    async (v) => {
      const address = v.kind === 'catch-all' ? `*@${v.domain}` : `${v.localPart.trim()}@${v.domain}`;
      if (alias) await api.updateAlias({ address: alias.address, destinations: v.destinations });
      else await api.addAlias({ address, destinations: v.destinations });
      notifyDone(alias ? `Saved ${alias.displayAddress}.` : `Added ${address}.`);
      onSaved();
      onClose();
    },
    { address: 'localPart' },
  );
  return (
    <FormModal
      title={alias ? `Edit ${alias.displayAddress}` : 'Add an alias'}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      error={error}
      submitLabel={alias ? 'Save' : 'Add alias'}
      submitting={form.submitting}
    >
      {!alias && (
        <SegmentedControl
          data={[
            { value: 'alias', label: 'Alias or list' },
            { value: 'catch-all', label: 'Catch-all for a domain' },
          ]}
          {...form.getInputProps('kind')}
        />
      )}
      <Group grow align="flex-start">
        {form.values.kind === 'alias' ? (
          <TextInput label="Address" placeholder="info" disabled={alias !== undefined} data-autofocus {...form.getInputProps('localPart')} />
        ) : (
          <TextInput label="Address" value="* (any unknown address)" disabled readOnly />
        )}
        <Select label="Domain" disabled={alias !== undefined} data={domains.map((d) => ({ value: d.name, label: `@${d.displayName}` }))} allowDeselect={false} {...form.getInputProps('domain')} />
      </Group>
      <TagsInput
        label="Delivers to"
        description="Users, other aliases or outside addresses. Press Enter after each one."
        placeholder="alice@example.com"
        splitChars={[',', ' ', ';']}
        acceptValueOnBlur
        data={suggestions}
        searchValue={typed}
        onSearchChange={setTyped}
        {...form.getInputProps('destinations')}
      />
      {form.values.kind === 'catch-all' && <Text size="sm" c="dimmed">A catch-all also collects spam sent to made-up addresses.</Text>}
    </FormModal>
  );
}
