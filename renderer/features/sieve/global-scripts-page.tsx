// Global Sieve scripts (issue 15): the admin's scripts that run for every user, one before each
// user's own rules and one after, and others user scripts may `include :global`. The server stores
// a script only when it compiles; its refusal names line and column and lands on the script field.
import { useState } from 'react';
import { Button, Card, Group, SegmentedControl, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { AdminSchemas, type GlobalSieveScriptView } from '../../../server/admin/contract.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { ConfirmButton } from '../../components/confirm.js';
import { FormModal } from '../../components/form-modal.js';
import { PageHeader } from '../../components/page.js';
import { QueryView } from '../../components/states.js';
import { ListTable, RowActions } from '../../components/list-table.js';
import { formatTime } from '../../format.js';
import { useFormSubmit, validateWith } from '../../forms.js';

type Phase = GlobalSieveScriptView['phase'];
const PHASES: Array<{ value: string; label: string }> = [
  { value: 'before', label: 'Before every user' },
  { value: 'after', label: 'After every user' },
  { value: 'none', label: 'Only when included' },
];
const phaseText = (phase: Phase) => PHASES.find((p) => p.value === (phase ?? 'none'))!.label;

const STARTER = 'require ["fileinto", "mailbox"];\n# Runs for every user, e.g.:\n# if header :contains "X-Spam-Flag" "YES" { fileinto :create "Junk"; stop; }\n';

export function GlobalScriptsPage() {
  const api = useApi();
  const query = useQuery((a) => a.listGlobalSieveScripts({}));
  const [editing, setEditing] = useState<GlobalSieveScriptView | 'new' | null>(null);
  return (
    <>
      <PageHeader
        title="Global mail rules"
        description="Sieve scripts you write for every user: one runs before each user's own rules (out-of-office, forwarding, their scripts) and one after. A script is saved only when it has no errors."
      />
      <Card withBorder>
        <Group justify="flex-end" mb="sm">
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setEditing('new')}>
            New script
          </Button>
        </Group>
        <QueryView query={query} what="global scripts">
          {(scripts) =>
            scripts.length === 0 ? (
              <Text c="dimmed" size="sm">
                No global scripts: only each user&apos;s own rules run.
              </Text>
            ) : (
              <ListTable label="Global scripts" minWidth={480} columns={['Name', 'Runs', 'Changed']}>
                {scripts.map((s) => (
                  <Table.Tr key={s.name}>
                    <Table.Td>{s.name}</Table.Td>
                    <Table.Td>{phaseText(s.phase)}</Table.Td>
                    <Table.Td>{formatTime(s.updatedAt)}</Table.Td>
                    <RowActions>
                      <Button size="xs" variant="subtle" aria-label={`Edit ${s.name}`} onClick={() => setEditing(s)}>
                        Edit
                      </Button>
                      <ConfirmButton
                        label="Delete"
                        aria-label={`Delete ${s.name}`}
                        title={`Delete the global script ${s.name}?`}
                        message="Users' scripts that include it will fail and keep their mail in INBOX."
                        confirmLabel="Delete"
                        onConfirm={() => act(() => api.removeGlobalSieveScript({ name: s.name }), `${s.name} is deleted.`).then(query.reload)}
                      />
                    </RowActions>
                  </Table.Tr>
                ))}
              </ListTable>
            )
          }
        </QueryView>
      </Card>
      {editing !== null && <ScriptModal script={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={query.reload} />}
    </>
  );
}

function ScriptModal({ script, onClose, onSaved }: { script: GlobalSieveScriptView | null; onClose(): void; onSaved(): void }) {
  const api = useApi();
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: script?.name ?? '', content: script?.content ?? STARTER, phase: (script === null ? 'before' : script.phase) as Phase },
    validate: validateWith(AdminSchemas.setGlobalSieveScript),
  });
  const { submit, error } = useFormSubmit(form, async (v) => {
    const saved = await api.setGlobalSieveScript(v);
    notifyDone(`${saved.name} is saved; it runs ${phaseText(saved.phase).toLowerCase()}.`);
    onSaved();
    onClose();
  });
  const phase = form.getValues().phase;
  return (
    <FormModal title={script === null ? 'New global script' : `Edit ${script.name}`} size="xl" onClose={onClose} onSubmit={submit} error={error} submitLabel="Save" submitting={form.submitting}>
      <Stack gap="xs">
        <TextInput label="Name" data-autofocus disabled={script !== null} {...form.getInputProps('name')} />
        <SegmentedControl aria-label="When it runs" data={PHASES} value={phase ?? 'none'} onChange={(v) => form.setFieldValue('phase', v === 'none' ? null : (v as 'before' | 'after'))} />
        <Text size="xs" c="dimmed">
          Giving a script a phase takes that phase from any other script.
        </Text>
        <Textarea
          label="Sieve script"
          autosize
          minRows={10}
          maxRows={24}
          styles={{ input: { fontFamily: 'monospace' }, error: { whiteSpace: 'pre-line' } }}
          spellCheck={false}
          {...form.getInputProps('content')}
        />
      </Stack>
    </FormModal>
  );
}
