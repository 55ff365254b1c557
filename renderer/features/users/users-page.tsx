// Users (mail accounts): list with quota bars and last login, search and domain filter; add (password
// twice with a strength hint), edit (name, quota, disable), reset password, out-of-office and
// forwarding (mail-rules-modal.tsx), remove after confirming.
import { useState } from 'react';
import { Badge, Button, Group, Menu, NumberInput, PasswordInput, Progress, Select, Stack, Switch, Table, Text, TextInput, ActionIcon, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDots, IconPlus } from '@tabler/icons-react';
import type { AccountView, DomainView, Page } from '../../../server/admin/contract.js';
import { addUserFormSchema, editFormSchema, passwordFormSchema } from './schema.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { DomainFilter } from '../../components/domain-filter.js';
import { PagedTable, SearchBox, SortTh, usePaging, type Paging } from '../../components/paging.js';
import type { AccountSort } from '../../../server/store/list-sorts.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { FormModal } from '../../components/form-modal.js';
import { formatBytes, formatQuota, formatRelative, MB, quotaPercent } from '../../format.js';
import { navigate } from '../../router.js';
import { StrengthHint } from '../../components/strength-hint.js';
import { MailRulesModal } from './mail-rules-modal.js';

export function UsersPage({ domain }: { domain?: string }) {
  const paging = usePaging<AccountSort>('address');
  const query = useQuery((api) => Promise.all([api.searchAccounts({ domain, ...paging.params }), api.listDomains()]), [domain, paging.params]);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<AccountView>();
  const [resetting, setResetting] = useState<AccountView>();
  const [rules, setRules] = useState<AccountView>();

  return (
    <>
      <PageHeader
        title="Users"
        description="Mailboxes: each user logs in to mail clients with the full address."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} disabled={query.data?.[1].length === 0}>
            Add user
          </Button>
        }
      />
      <Group mb="md">
        <SearchBox paging={paging} label="Search users" placeholder="Search address or name" />
        <DomainFilter domains={query.data?.[1]} value={domain} onChange={(d) => navigate('users', { domain: d })} />
      </Group>
      <QueryView
        query={query}
        what="users"
        isEmpty={([accounts, domains]) => (accounts.total === 0 && paging.params.query === '') || domains.length === 0}
        empty={
          query.data?.[1].length === 0
            ? { title: 'No domains yet', description: 'Add a domain first; users belong to a domain.', action: <Button onClick={() => navigate('domains')}>Go to domains</Button> }
            : { title: 'No users yet', description: 'Add a user to create a mailbox.', action: <Button onClick={() => setAdding(true)}>Add the first user</Button> }
        }
      >
        {([page]) =>
          page.total === 0 ? (
            <Text c="dimmed">No user matches “{paging.params.query}”.</Text>
          ) : (
            <UsersTable page={page} paging={paging} onEdit={setEditing} onReset={setResetting} onRules={setRules} onChanged={query.reload} />
          )
        }
      </QueryView>
      {adding && query.data && <AddUserModal domains={query.data[1]} defaultDomain={domain} onClose={() => setAdding(false)} onAdded={query.reload} />}
      {editing && <EditUserModal account={editing} onClose={() => setEditing(undefined)} onSaved={query.reload} />}
      {resetting && <ResetPasswordModal account={resetting} onClose={() => setResetting(undefined)} />}
      {rules && <MailRulesModal account={rules} onClose={() => setRules(undefined)} />}
    </>
  );
}

function UsersTable({ page, paging, onEdit, onReset, onRules, onChanged }: { page: Page<AccountView>; paging: Paging<AccountSort>; onEdit(a: AccountView): void; onReset(a: AccountView): void; onRules(a: AccountView): void; onChanged(): void }) {
  const api = useApi();
  return (
    <PagedTable
      label="Users"
      minWidth={760}
      page={page}
      paging={paging}
      what="users"
      head={
        <>
          <SortTh paging={paging} sortKey="address">Address</SortTh>
          <SortTh paging={paging} sortKey="name">Name</SortTh>
          <SortTh paging={paging} sortKey="used" w={220}>Storage</SortTh>
          <SortTh paging={paging} sortKey="lastLogin">Last login</SortTh>
          <Table.Th>State</Table.Th>
          <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
        </>
      }
    >
      {(accounts) =>
        accounts.map((a) => {
          const percent = quotaPercent(a.usedBytes, a.quota);
          return (
            <Table.Tr key={a.address}>
              <Table.Td fw={600}>{a.displayAddress}</Table.Td>
              <Table.Td>{a.displayName}</Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {a.quota > 0 && <Progress value={percent} color={percent >= 90 ? 'red' : percent >= 75 ? 'orange' : 'indigo'} size="sm" aria-label={`${a.displayAddress} quota used`} />}
                  <Text size="xs" c="dimmed">
                    {formatBytes(a.usedBytes)} of {formatQuota(a.quota)}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td>{a.lastLoginAt ? formatRelative(a.lastLoginAt) : 'never'}</Table.Td>
              <Table.Td>{a.active ? <Badge color="green">active</Badge> : <Badge color="gray">disabled</Badge>}</Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => onEdit(a)} aria-label={`Edit ${a.displayAddress}`}>
                    Edit
                  </Button>
                  <Menu position="bottom-end">
                    <Menu.Target>
                      <ActionIcon variant="subtle" aria-label={`More actions for ${a.displayAddress}`}>
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => onReset(a)}>Reset password</Menu.Item>
                      <Menu.Item onClick={() => onRules(a)}>Out-of-office and forwarding</Menu.Item>
                      <Menu.Item onClick={() => void act(() => api.updateAccount({ address: a.address, active: !a.active }), `${a.displayAddress} ${a.active ? 'disabled' : 'enabled'}.`).then(onChanged)}>
                        {a.active ? 'Disable' : 'Enable'}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                  <ConfirmButton
                    label="Remove"
                    aria-label={`Remove ${a.displayAddress}`}
                    title={`Remove ${a.displayAddress}?`}
                    message={`The mailbox and all its mail (${formatBytes(a.usedBytes)}) will be deleted. This cannot be undone.`}
                    confirmLabel="Remove user"
                    onConfirm={() => act(() => api.removeAccount({ address: a.address }), `Removed ${a.displayAddress}.`).then(onChanged)}
                  />
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })
      }
    </PagedTable>
  );
}

function AddUserModal({ domains, defaultDomain, onClose, onAdded }: { domains: DomainView[]; defaultDomain?: string; onClose(): void; onAdded(): void }) {
  const api = useApi();
  const form = useForm({
    mode: 'controlled',
    initialValues: { localPart: '', domain: defaultDomain ?? domains[0]?.name ?? '', displayName: '', password: '', confirm: '', quotaMb: null as number | string | null },
    validate: validateWith(addUserFormSchema),
  });
  const chosen = domains.find((d) => d.name === form.values.domain);
  const { submit, error } = useFormSubmit(
    form,
    async (v) => {
      const quota = v.quotaMb === null || v.quotaMb === '' ? undefined : Number(v.quotaMb) * MB;
      const account = await api.addAccount({ address: `${v.localPart.trim()}@${v.domain}`, displayName: v.displayName, password: v.password, quota });
      notifyDone(`Added ${account.displayAddress}.`);
      onAdded();
      onClose();
    },
    { address: 'localPart' },
  );
  return (
    <FormModal title="Add a user" size="lg" onClose={onClose} onSubmit={submit} error={error} submitLabel="Add user" submitting={form.submitting}>
      <Group grow align="flex-start">
        <TextInput label="Address" placeholder="alice" data-autofocus {...form.getInputProps('localPart')} />
        <Select label="Domain" data={domains.map((d) => ({ value: d.name, label: `@${d.displayName}` }))} allowDeselect={false} {...form.getInputProps('domain')} />
      </Group>
      <TextInput label="Full name" placeholder="Alice Example" {...form.getInputProps('displayName')} />
      <PasswordInput label="Password" autoComplete="new-password" {...form.getInputProps('password')} />
      <StrengthHint password={form.values.password} />
      <PasswordInput label="Repeat the password" autoComplete="new-password" {...form.getInputProps('confirm')} />
      <NumberInput
        label="Quota (MB)"
        description={`Empty: the domain's default (${formatQuota(chosen?.defaultQuota ?? 0)}); 0: unlimited.`}
        min={0}
        {...form.getInputProps('quotaMb')}
        value={form.values.quotaMb ?? ''}
      />
    </FormModal>
  );
}

function EditUserModal({ account, onClose, onSaved }: { account: AccountView; onClose(): void; onSaved(): void }) {
  const api = useApi();
  const form = useForm({
    mode: 'controlled',
    initialValues: { displayName: account.displayName, quotaMb: Math.round(account.quota / MB) as number | string, active: account.active },
    validate: validateWith(editFormSchema),
  });
  const { submit, error } = useFormSubmit(
    form,
    async (v) => {
      await api.updateAccount({ address: account.address, displayName: v.displayName, quota: Number(v.quotaMb) * MB, active: v.active });
      notifyDone(`Saved ${account.displayAddress}.`);
      onSaved();
      onClose();
    },
    { quota: 'quotaMb' },
  );
  return (
    <FormModal title={`Edit ${account.displayAddress}`} onClose={onClose} onSubmit={submit} error={error} submitLabel="Save" submitting={form.submitting}>
      <TextInput label="Full name" {...form.getInputProps('displayName')} />
      <NumberInput label="Quota (MB)" description="0 means unlimited." min={0} {...form.getInputProps('quotaMb')} />
      <Switch label="Active (a disabled user cannot log in or receive mail)" {...form.getInputProps('active', { type: 'checkbox' })} />
    </FormModal>
  );
}

function ResetPasswordModal({ account, onClose }: { account: AccountView; onClose(): void }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { password: '', confirm: '' }, validate: validateWith(passwordFormSchema) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    await api.setPassword({ address: account.address, password: v.password });
    notifyDone(`New password set for ${account.displayAddress}.`);
    onClose();
  });
  return (
    <FormModal title={`New password for ${account.displayAddress}`} onClose={onClose} onSubmit={submit} error={error} submitLabel="Set password" submitting={form.submitting}>
      <PasswordInput label="New password" autoComplete="new-password" data-autofocus {...form.getInputProps('password')} />
      <StrengthHint password={form.values.password} />
      <PasswordInput label="Repeat the new password" autoComplete="new-password" {...form.getInputProps('confirm')} />
    </FormModal>
  );
}
