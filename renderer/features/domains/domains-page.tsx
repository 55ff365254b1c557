// Domains: the list with counts and storage, add (form validated with the contract's schema),
// enable/disable, remove (with everything in it, after confirmation), and the DNS check (dns-check.tsx).
import { useState } from 'react';
import { Anchor, Button, Checkbox, Drawer, NumberInput, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconWorld } from '@tabler/icons-react';
import type { DomainView } from '../../../server/admin/contract.js';
import { addDomainFormSchema, editDomainFormSchema } from './schema.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ListTable, RowActions } from '../../components/list-table.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { FormModal } from '../../components/form-modal.js';
import { formatBytes, formatQuota, MB } from '../../format.js';
import { href } from '../../router.js';
import { DnsCheck } from './dns-check.js';

export function DomainsPage() {
  const api = useApi();
  const query = useQuery((a) => a.listDomains());
  const [adding, setAdding] = useState(false);
  const [dnsFor, setDnsFor] = useState<DomainView>();
  const [editing, setEditing] = useState<DomainView>();

  return (
    <>
      <PageHeader
        title="Domains"
        description="The mail domains this server receives mail for."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            Add domain
          </Button>
        }
      />
      <QueryView
        query={query}
        what="domains"
        isEmpty={(domains) => domains.length === 0}
        empty={{
          title: 'No domains yet',
          description: 'Add the domain your addresses end in, like example.com.',
          action: <Button onClick={() => setAdding(true)}>Add the first domain</Button>,
        }}
      >
        {(domains) => (
          <ListTable label="Domains" minWidth={720} columns={['Domain', 'Users', 'Aliases', 'Storage', 'Default quota', 'Active']}>
            {domains.map((d) => (
              <Table.Tr key={d.name}>
                <Table.Td fw={600}>{d.displayName}</Table.Td>
                <Table.Td>
                  <Anchor href={href('users', { domain: d.name })}>{d.accounts}</Anchor>
                </Table.Td>
                <Table.Td>
                  <Anchor href={href('aliases', { domain: d.name })}>{d.aliases}</Anchor>
                </Table.Td>
                <Table.Td>{formatBytes(d.usedBytes)}</Table.Td>
                <Table.Td>{formatQuota(d.defaultQuota)}</Table.Td>
                <Table.Td>
                  <Switch
                    checked={d.active}
                    aria-label={`${d.displayName} active`}
                    onChange={(e) => void act(() => api.updateDomain({ name: d.name, active: e.currentTarget.checked }), `${d.displayName} ${e.currentTarget.checked ? 'enabled' : 'disabled'}.`).then(query.reload)}
                  />
                </Table.Td>
                <RowActions>
                  <Button size="xs" variant="light" onClick={() => setEditing(d)} aria-label={`Edit ${d.displayName}`}>
                    Edit
                  </Button>
                  <Button size="xs" variant="light" leftSection={<IconWorld size={14} />} onClick={() => setDnsFor(d)} aria-label={`DNS records for ${d.displayName}`}>
                    DNS records
                  </Button>
                  <RemoveDomain domain={d} onDone={query.reload} />
                </RowActions>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryView>
      <AddDomainModal opened={adding} onClose={() => setAdding(false)} onAdded={query.reload} />
      {editing && <EditDomainModal domain={editing} onClose={() => setEditing(undefined)} onSaved={query.reload} />}
      <Drawer opened={dnsFor !== undefined} onClose={() => setDnsFor(undefined)} title={`DNS records for ${dnsFor?.displayName ?? ''}`} position="right" size="xl" closeButtonProps={{ 'aria-label': 'Close the DNS records' }}>
        {dnsFor && <DnsCheck domain={dnsFor.name} />}
      </Drawer>
    </>
  );
}

function EditDomainModal({ domain, onClose, onSaved }: { domain: DomainView; onClose(): void; onSaved(): void }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { quotaMb: Math.round(domain.defaultQuota / MB) as number | string }, validate: validateWith(editDomainFormSchema) });
  const { submit, error } = useFormSubmit(
    form,
    async (v) => {
      await api.updateDomain({ name: domain.name, defaultQuota: Number(v.quotaMb) * MB });
      notifyDone(`Saved ${domain.displayName}.`);
      onSaved();
      onClose();
    },
    { defaultQuota: 'quotaMb' },
  );
  return (
    <FormModal title={`Edit ${domain.displayName}`} onClose={onClose} onSubmit={submit} error={error} submitLabel="Save" submitting={form.submitting}>
      <NumberInput label="Default mailbox quota (MB)" description="For users added from now on; existing users keep theirs. 0 means unlimited." min={0} data-autofocus {...form.getInputProps('quotaMb')} />
    </FormModal>
  );
}

function AddDomainModal({ opened, onClose, onAdded }: { opened: boolean; onClose(): void; onAdded(): void }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { name: '', quotaMb: 0 as number | string }, validate: validateWith(addDomainFormSchema) });
  const { submit, error, setError } = useFormSubmit(form, async (v) => {
    const added = await api.addDomain({ name: v.name, defaultQuota: Number(v.quotaMb) * MB });
    notifyDone(`Added ${added.displayName}.`);
    onAdded();
    form.reset();
    onClose();
  });
  const close = () => {
    form.reset();
    setError(undefined);
    onClose();
  };
  return (
    <FormModal title="Add a domain" opened={opened} onClose={close} onSubmit={submit} error={error} submitLabel="Add domain" submitting={form.submitting}>
      <TextInput label="Domain name" placeholder="example.com" data-autofocus {...form.getInputProps('name')} />
      <NumberInput label="Default mailbox quota (MB)" description="For new users of this domain; 0 means unlimited." min={0} {...form.getInputProps('quotaMb')} />
    </FormModal>
  );
}

function RemoveDomain({ domain, onDone }: { domain: DomainView; onDone(): void }) {
  const api = useApi();
  const [cascade, setCascade] = useState(false);
  const hasContent = domain.accounts > 0 || domain.aliases > 0;
  return (
    <ConfirmButton
      label="Remove"
      aria-label={`Remove ${domain.displayName}`}
      title={`Remove ${domain.displayName}?`}
      confirmLabel="Remove domain"
      message={
        <Stack>
          <Text>Mail for {domain.displayName} will be refused from now on.</Text>
          {hasContent && (
            <Checkbox
              checked={cascade}
              onChange={(e) => setCascade(e.currentTarget.checked)}
              label={`Also delete its ${domain.accounts} user(s) with all their mail and ${domain.aliases} alias(es)`}
            />
          )}
        </Stack>
      }
      onConfirm={() => act(() => api.removeDomain({ name: domain.name, cascade }), `Removed ${domain.displayName}.`).then(onDone)}
    />
  );
}
