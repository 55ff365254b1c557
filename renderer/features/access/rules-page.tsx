// Access rules (DESIGN §5): per SMTP stage an ordered list, first match wins; drag a row (or use the
// arrows) to reorder; add from plain-language presets or as a custom rule; a "test a connection"
// panel shows which rule decides. The built-in no-open-relay tail is shown and cannot be removed.
import { useState, type DragEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconGripVertical, IconLock, IconPlus } from '@tabler/icons-react';
import { RULE_STAGES, STAGE_CONDITIONS, type RuleStage } from '../../../server/policy/rule-schema.js';
import type { Explanation, RuleView } from '../../../server/admin/contract.js';
import { act, notifyDone, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { serverErrorOn, useFormSubmit } from '../../forms.js';
import { FormModal } from '../../components/form-modal.js';
import { ACTION_LABELS, CONDITION_LABELS, PRESETS, STAGE_LABELS, customRule, describeMatch, ruleErrors, type CustomValues, type PresetId } from './rule-forms.js';

const ACTION_COLORS: Record<string, string> = { allow: 'green', reject: 'red', 'require-auth': 'indigo', defer: 'orange' };

export function RulesPage() {
  const api = useApi();
  const query = useQuery((a) => a.listRules({}));
  const [stage, setStage] = useState<RuleStage>('connect');
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<RuleView>();
  const [dragged, setDragged] = useState<RuleView>();

  const move = (rule: RuleView, position: number) =>
    act(() => api.moveRule({ id: rule.id, position }), `Moved “${rule.description || `rule ${rule.id}`}”.`).then(query.reload);

  return (
    <>
      <PageHeader
        title="Access rules"
        description="Who may send what, checked at each step of an SMTP session. In each step the first matching rule decides."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            Add rule
          </Button>
        }
      />
      <Tabs value={stage} onChange={(v) => v && setStage(v as RuleStage)} mb="md">
        <Tabs.List>
          {RULE_STAGES.map((s) => (
            <Tabs.Tab key={s} value={s}>
              {STAGE_LABELS[s]}
              {query.data && (
                <Badge size="xs" ml={6} variant="light">
                  {query.data.filter((r) => r.stage === s).length}
                </Badge>
              )}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <QueryView query={query} what="rules">
        {(rules) => {
          const list = rules.filter((r) => r.stage === stage).sort((a, b) => a.position - b.position);
          return (
            <Table aria-label={`${STAGE_LABELS[stage]} rules`} verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40} />
                  <Table.Th>Rule</Table.Th>
                  <Table.Th>Matches</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>On</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text c="dimmed" size="sm" py="sm">
                        No rules at this step: every client goes on to the next one.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {list.map((r, i) => (
                  <Table.Tr
                    key={r.id}
                    draggable
                    onDragStart={(e: DragEvent) => {
                      setDragged(r);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    onDragOver={(e: DragEvent) => dragged && dragged.id !== r.id && e.preventDefault()}
                    onDrop={(e: DragEvent) => {
                      e.preventDefault();
                      if (dragged && dragged.id !== r.id) void move(dragged, r.position);
                      setDragged(undefined);
                    }}
                    style={{ opacity: dragged?.id === r.id ? 0.5 : 1 }}
                  >
                    <Table.Td style={{ cursor: 'grab' }} aria-hidden>
                      <IconGripVertical size={16} />
                    </Table.Td>
                    <Table.Td fw={500}>{r.description || `Rule ${r.id}`}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{describeMatch(r.match).join(' · ')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={ACTION_COLORS[r.action]}>{ACTION_LABELS[r.action]}</Badge>
                      {r.replyCode !== null && (
                        <Text size="xs" c="dimmed">
                          {r.replyCode} {r.replyText ?? ''}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Switch
                        checked={r.enabled}
                        aria-label={`${r.description || `Rule ${r.id}`} enabled`}
                        onChange={(e) => {
                          const { id, position: _p, createdAt: _c, ...fields } = r;
                          void act(() => api.updateRule({ id, rule: { ...fields, enabled: e.currentTarget.checked } }), 'Saved.').then(query.reload);
                        }}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={2} justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="light" mr={4} onClick={() => setEditing(r)} aria-label={`Edit ${r.description || `rule ${r.id}`}`}>
                          Edit
                        </Button>
                        <ActionIcon variant="subtle" disabled={i === 0} onClick={() => void move(r, list[i - 1].position)} aria-label={`Move ${r.description || `rule ${r.id}`} up`}>
                          <IconArrowUp size={16} />
                        </ActionIcon>
                        <ActionIcon variant="subtle" disabled={i === list.length - 1} onClick={() => void move(r, list[i + 1].position)} aria-label={`Move ${r.description || `rule ${r.id}`} down`}>
                          <IconArrowDown size={16} />
                        </ActionIcon>
                        <ConfirmButton
                          label="Remove"
                          aria-label={`Remove ${r.description || `rule ${r.id}`}`}
                          title="Remove this rule?"
                          message={r.description || describeMatch(r.match).join(' · ')}
                          confirmLabel="Remove rule"
                          onConfirm={() => act(() => api.removeRule({ id: r.id }), 'Rule removed.').then(query.reload)}
                        />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {stage === 'rcpt-to' && (
                  <Table.Tr bg="gray.0">
                    <Table.Td>
                      <IconLock size={16} aria-label="Built in" />
                    </Table.Td>
                    <Table.Td fw={500}>No open relay (built in)</Table.Td>
                    <Table.Td>
                      <Text size="sm">mail to other domains from a client that neither logged in nor is in a range allowed to send without a password</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color="red">Reject</Badge>
                      <Text size="xs" c="dimmed">
                        554 5.7.1 Relay access denied
                      </Text>
                    </Table.Td>
                    <Table.Td colSpan={2}>
                      <Text size="xs" c="dimmed">
                        always last; cannot be removed
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          );
        }}
      </QueryView>
      <TestConnection />
      {(adding || editing) && (
        <RuleModal
          rule={editing}
          onClose={() => {
            setAdding(false);
            setEditing(undefined);
          }}
          onSaved={(s) => {
            setStage(s);
            query.reload();
          }}
        />
      )}
    </>
  );
}

const yesNo = (v: boolean | undefined): CustomValues['trusted'] => (v === undefined ? 'any' : v ? 'yes' : 'no');

/** Adds a rule from a preset or custom fields, or (with `rule`) edits one in the custom form. */
function RuleModal({ rule: editing, onClose, onSaved }: { rule?: RuleView; onClose(): void; onSaved(stage: RuleStage): void }) {
  const api = useApi();
  const m = editing?.match;
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      preset: (editing ? 'custom' : 'block-ip') as PresetId,
      values: [] as string[],
      stage: editing?.stage ?? ('connect' as CustomValues['stage']),
      action: editing?.action ?? ('reject' as CustomValues['action']),
      description: editing?.description ?? '',
      ip: m?.ip ?? ([] as string[]),
      helo: m?.helo ?? ([] as string[]),
      sender: m?.sender ?? ([] as string[]),
      recipient: m?.recipient ?? ([] as string[]),
      dnsbl: m?.dnsbl ?? ([] as string[]),
      trusted: yesNo(m?.trusted),
      authenticated: yesNo(m?.authenticated),
      replyCode: (editing?.replyCode ?? '') as number | string,
      replyText: editing?.replyText ?? '',
    },
  });
  const v = form.values;
  const preset = PRESETS.find((p) => p.id === v.preset)!;
  const build = () => (v.preset === 'custom' ? customRule(v) : preset.build(v.values, v.description.trim()));

  const { submit, error } = useFormSubmit(
    form,
    async () => {
      if (v.preset !== 'custom' && v.values.length === 0) return form.setFieldError('values', `Enter at least one: ${preset.valueLabel.toLowerCase()}.`);
      const rule = build()!;
      const errors = ruleErrors(rule, (path) => (v.preset === 'custom' ? path : ['ip', 'sender', 'recipient'].includes(path) ? 'values' : path));
      if (Object.keys(errors).length > 0) return form.setErrors(errors);
      if (editing) await api.updateRule({ id: editing.id, rule: { ...rule, enabled: editing.enabled } });
      else await api.addRule({ rule });
      notifyDone(editing ? 'Rule saved.' : 'Rule added.');
      onSaved(rule.stage);
      onClose();
    },
    { 'rule.match.ip': v.preset === 'custom' ? 'ip' : 'values' },
  );

  const conditions = STAGE_CONDITIONS[v.stage];
  return (
    <FormModal
      title={editing ? `Edit ${editing.description || `rule ${editing.id}`}` : 'Add an access rule'}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      error={error}
      submitLabel={editing ? 'Save' : 'Add rule'}
      submitting={form.submitting}
    >
      {!editing && <Select label="What should the rule do?" data={PRESETS.map((p) => ({ value: p.id, label: p.label }))} allowDeselect={false} {...form.getInputProps('preset')} />}
      {v.preset !== 'custom' ? (
        <TagsInput label={preset.valueLabel} placeholder={preset.placeholder} description="Press Enter after each one." splitChars={[',', ' ']} acceptValueOnBlur {...form.getInputProps('values')} />
      ) : (
        <>
          <SimpleGrid cols={2}>
            <Select label="Step" data={RULE_STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s] }))} allowDeselect={false} {...form.getInputProps('stage')} />
            <Select label="Action" data={Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))} allowDeselect={false} {...form.getInputProps('action')} />
          </SimpleGrid>
          {(['ip', 'helo', 'sender', 'recipient', 'dnsbl'] as const)
            .filter((c) => conditions.includes(c))
            .map((c) => (
              <TagsInput key={c} label={CONDITION_LABELS[c]} splitChars={[',', ' ']} acceptValueOnBlur {...form.getInputProps(c)} />
            ))}
          <SimpleGrid cols={2}>
            {(['trusted', 'authenticated'] as const)
              .filter((c) => conditions.includes(c))
              .map((c) => (
                <Select
                  key={c}
                  label={CONDITION_LABELS[c]}
                  data={[
                    { value: 'any', label: 'does not matter' },
                    { value: 'yes', label: 'yes' },
                    { value: 'no', label: 'no' },
                  ]}
                  allowDeselect={false}
                  {...form.getInputProps(c)}
                />
              ))}
          </SimpleGrid>
          {(v.action === 'reject' || v.action === 'defer') && (
            <SimpleGrid cols={2}>
              <NumberInput label="Reply code" placeholder={v.action === 'reject' ? '550' : '450'} {...form.getInputProps('replyCode')} />
              <TextInput label="Reply text" placeholder="Optional" {...form.getInputProps('replyText')} />
            </SimpleGrid>
          )}
        </>
      )}
      <TextInput label="Description" placeholder="Shown in the list and the log" {...form.getInputProps('description')} />
    </FormModal>
  );
}

function TestConnection() {
  const api = useApi();
  const [result, setResult] = useState<Explanation>();
  const [error, setError] = useState<string>();
  const form = useForm({
    mode: 'controlled',
    initialValues: { ip: '', helo: '', from: '', to: [] as string[], authenticated: false },
    validate: { ip: (ip) => (ip.trim() === '' ? 'Enter the client IP address.' : null) },
  });
  const submit = form.onSubmit(async (v) => {
    setError(undefined);
    try {
      setResult(await api.testRules({ ip: v.ip.trim(), helo: v.helo || undefined, from: v.from || undefined, to: v.to, authenticated: v.authenticated }));
    } catch (e) {
      setResult(undefined);
      setError(serverErrorOn(form, e));
    }
  });
  return (
    <Card withBorder mt="xl">
      <Title order={3} size="h4">Test a connection</Title>
      <Text size="sm" c="dimmed" mb="sm">
        What would happen to a client with these details? Nothing is sent.
      </Text>
      <form onSubmit={submit} noValidate>
        <SimpleGrid cols={{ base: 1, md: 4 }}>
          <TextInput label="Client IP" placeholder="192.0.2.7" {...form.getInputProps('ip')} />
          <TextInput label="HELO name" placeholder="optional" {...form.getInputProps('helo')} />
          <TextInput label="Sender" placeholder="optional" {...form.getInputProps('from')} />
          <TagsInput label="Recipients" placeholder="optional" splitChars={[',', ' ']} acceptValueOnBlur {...form.getInputProps('to')} />
        </SimpleGrid>
        <Group mt="sm">
          <Switch label="Logged in" {...form.getInputProps('authenticated', { type: 'checkbox' })} />
          <Button type="submit" variant="light">
            Test
          </Button>
        </Group>
      </form>
      {error && (
        <Alert color="red" mt="md" role="alert">
          {error}
        </Alert>
      )}
      {result && (
        <Alert mt="md" color={result.refusal ? 'red' : 'green'} title={result.refusal ? 'Refused' : 'Accepted'} data-testid="rule-test-result">
          <Stack gap={2}>
            {result.lines.map((line, i) => (
              <Text key={i} size="sm">
                {line}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
    </Card>
  );
}
