// The first-run wizard (issue 7): admin password (headless installs), server name, first domain,
// first user, trusted LAN range, TLS certificate, relay host, ports with a bind test, then a summary
// with the settings mail clients need.
// Each step is saved when the user presses Next, so a refusal shows on the step that caused it and
// a wizard left half-way keeps what was done; running it again skips what already exists.
import { useEffect, useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Code,
  Container,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Stepper,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle, IconMail } from '@tabler/icons-react';
import type { Settings } from '../../../server/admin/contract.js';
import { adminPasswordSchema, domainSchema, hostnameSchema, networkSchema, portsSchema, relaySchema, userSchema } from './schema.js';
import { TlsStep, useTlsStep } from './tls-step.js';
import { PortsStep, portsOf, type PortsValues } from './ports-step.js';
import { useClient } from '../../client-context.js';
import { serverErrorOn, validateWith } from '../../forms.js';
import { passwordStrength } from '../../format.js';
import { href, navigate } from '../../router.js';

type StepForm = UseFormReturnType<Record<string, unknown>>;

export function SetupWizard({ needsAdminPassword, onAdminPasswordSet }: { needsAdminPassword: boolean; onAdminPasswordSet(): void }) {
  const client = useClient();
  const { api } = client;
  // Decided once: setting the password mid-way must not renumber the steps.
  const [withPassword] = useState(needsAdminPassword && client.auth !== null);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [settings, setSettings] = useState<Settings>();
  const [loadError, setLoadError] = useState<string>();
  const [created, setCreated] = useState<{ domain?: string; user?: string; network?: string }>({});
  const [existingNetworks, setExistingNetworks] = useState(0);

  const passwordForm = useForm({ mode: 'controlled', initialValues: { password: '', confirm: '' }, validate: validateWith(adminPasswordSchema) });
  const hostForm = useForm({ mode: 'controlled', initialValues: { hostname: '' }, validate: validateWith(hostnameSchema) });
  const domainForm = useForm({ mode: 'controlled', initialValues: { name: '' }, validate: validateWith(domainSchema) });
  const userForm = useForm({ mode: 'controlled', initialValues: { localPart: '', displayName: '', password: '', confirm: '' }, validate: validateWith(userSchema) });
  const networkForm = useForm({ mode: 'controlled', initialValues: { cidr: '', description: 'Office LAN', relay: false }, validate: validateWith(networkSchema) });
  const relayForm = useForm({
    mode: 'controlled',
    initialValues: { mode: 'direct' as 'direct' | 'relay', host: '', port: 587 as number | string, tls: 'starttls' as 'starttls' | 'implicit' | 'none', username: '', password: '' },
    validate: validateWith(relaySchema),
  });
  const portsForm = useForm<PortsValues>({
    mode: 'controlled',
    initialValues: { smtp: 25, submission: 587, submissions: 465, imap: 143, imaps: 993, pop3: 110, pop3s: 995, managesieve: 4190, admin: 8480 },
    validate: validateWith(portsSchema),
  });
  // The certificate is read when its step opens (after the hostname step may have changed the name).
  const tlsIndex = (withPassword ? 1 : 0) + 4; // after server name, domain, first user, LAN
  const tls = useTlsStep(api, active === tlsIndex);

  // Prefill from what the server already has (a second run of the wizard, or the machine's name).
  useEffect(() => {
    if (withPassword && active === 0) return; // the API is closed until the admin password is set
    if (settings) return;
    Promise.all([api.getSettings(), api.listDomains(), api.listNetworks()]).then(
      ([s, domains, networks]) => {
        setSettings(s);
        // Only fill what the user has not typed into yet.
        if (!hostForm.isDirty('hostname')) hostForm.setValues({ hostname: s.hostname === 'localhost.localdomain' ? '' : s.hostname });
        const guess = domains[0]?.name ?? (s.hostname.split('.').length > 2 ? s.hostname.split('.').slice(1).join('.') : '');
        if (!domainForm.isDirty('name')) domainForm.setValues({ name: guess });
        setExistingNetworks(networks.length);
        if (s.relayHost && !relayForm.isDirty()) relayForm.setValues({ mode: 'relay', ...s.relayHost, username: s.relayHost.username ?? '', password: s.relayHost.password ?? '' });
        if (!portsForm.isDirty()) {
          portsForm.setValues(s.ports);
          portsForm.resetDirty(s.ports);
        }
      },
      (e: Error) => setLoadError(e.message),
    );
  }, [api, withPassword, active, settings]);

  const domain = domainForm.values.name.trim().toLowerCase();
  const address = `${userForm.values.localPart.trim()}@${domain}`;

  const steps: Array<{ label: string; description: string; form: StepForm; content: React.ReactNode; save(): Promise<void> }> = [];
  if (withPassword) {
    steps.push({
      label: 'Admin password',
      description: 'protects this page',
      form: passwordForm as unknown as StepForm,
      content: <AdminPasswordStep form={passwordForm} />,
      async save() {
        await client.auth!.setPassword(passwordForm.values.password);
        onAdminPasswordSet();
      },
    });
  }
  steps.push(
    {
      label: 'Server name',
      description: 'hostname',
      form: hostForm as unknown as StepForm,
      content: (
        <Stack>
          <Text>The name this server gives itself when it talks to other mail servers, and the name mail clients connect to.</Text>
          <TextInput label="Hostname" placeholder="mail.example.com" description="Ideally a DNS name that points to this machine." {...hostForm.getInputProps('hostname')} />
        </Stack>
      ),
      async save() {
        setSettings(await api.updateSettings({ hostname: hostForm.values.hostname.trim() }));
      },
    },
    {
      label: 'Domain',
      description: 'first mail domain',
      form: domainForm as unknown as StepForm,
      content: (
        <Stack>
          <Text>The domain your addresses end in: for alice@example.com that is example.com.</Text>
          <TextInput label="Mail domain" placeholder="example.com" {...domainForm.getInputProps('name')} />
        </Stack>
      ),
      async save() {
        const existing = await api.listDomains();
        if (existing.some((d) => d.name === domain || d.displayName === domain)) return;
        const added = await api.addDomain({ name: domainForm.values.name });
        setCreated((c) => ({ ...c, domain: added.name }));
      },
    },
    {
      label: 'First user',
      description: 'a mailbox',
      form: userForm as unknown as StepForm,
      content: <UserStep form={userForm} domain={domain} />,
      async save() {
        if (created.user === address.toLowerCase()) return;
        const { localPart: _l, confirm: _c, ...rest } = userForm.values;
        const account = await api.addAccount({ address, ...rest });
        setCreated((c) => ({ ...c, user: account.address.toLowerCase() }));
      },
    },
    {
      label: 'Local network',
      description: 'trusted LAN',
      form: networkForm as unknown as StepForm,
      content: (
        <Stack>
          <Text>
            Devices on a trusted range may use the server from the LAN. Leave the range empty to trust only this machine. Allow sending without a
            password only for devices that cannot log in, like an office scanner.
          </Text>
          <TextInput
            label="LAN range (CIDR)"
            placeholder="192.168.1.0/24"
            description={existingNetworks > 0 ? `Optional: ${existingNetworks} range(s) are already trusted.` : 'Optional.'}
            {...networkForm.getInputProps('cidr')}
          />
          <TextInput label="Description" {...networkForm.getInputProps('description')} />
          <Switch label="Devices in this range may send mail without a password" {...networkForm.getInputProps('relay', { type: 'checkbox' })} />
        </Stack>
      ),
      async save() {
        const cidr = networkForm.values.cidr.trim();
        if (cidr === '' || created.network === cidr) return;
        const network = await api.addNetwork({ cidr, description: networkForm.values.description, relay: networkForm.values.relay });
        setCreated((c) => ({ ...c, network: network.cidr }));
      },
    },
    {
      label: 'Certificate',
      description: 'TLS',
      form: tls.form as unknown as StepForm,
      content: <TlsStep state={tls} />,
      async save() {
        await tls.save();
      },
    },
    {
      label: 'Outgoing mail',
      description: 'relay host',
      form: relayForm as unknown as StepForm,
      content: <RelayStep form={relayForm} />,
      async save() {
        const v = relayForm.values;
        await api.updateSettings({
          relayHost:
            v.mode === 'direct'
              ? null
              : { host: v.host.trim(), port: Number(v.port), tls: v.tls, username: v.username || undefined, password: v.password || undefined },
        });
      },
    },
    {
      label: 'Ports',
      description: 'bind test',
      form: portsForm as unknown as StepForm,
      content: <PortsStep form={portsForm} api={api} onSaved={setSettings} />,
      async save() {
        const ports = portsOf(portsForm.values);
        if (settings && Object.entries(ports).every(([k, v]) => settings.ports[k as keyof Settings['ports']] === v)) return;
        setSettings(await api.updateSettings({ ports }));
      },
    },
  );

  const next = async () => {
    const step = steps[active];
    if (step.form.validate().hasErrors) return;
    setBusy(true);
    setError(undefined);
    try {
      await step.save();
      setActive((n) => n + 1);
    } catch (e) {
      setError(serverErrorOn(step.form, e, { name: 'name', address: 'localPart', cidr: 'cidr', hostname: 'hostname' }));
    } finally {
      setBusy(false);
    }
  };

  const finished = active >= steps.length;
  return (
    <Container size="lg" py="xl">
      <Group gap="xs" mb="md">
        <IconMail size={28} />
        <Title order={2}>Set up Mailroom</Title>
      </Group>
      <Progress value={(Math.min(active, steps.length) / steps.length) * 100} size="xs" mb="lg" aria-label="Setup progress" />
      <Paper withBorder p="xl" shadow="xs">
        {loadError && (
          <Alert color="red" mb="md" icon={<IconAlertTriangle />}>
            {loadError}
          </Alert>
        )}
        <Stepper active={active} onStepClick={(n) => n < active && !(withPassword && n === 0) && setActive(n)} size="sm">
          {steps.map((s) => (
            <Stepper.Step key={s.label} label={s.label} description={s.description}>
              <form
                noValidate
                onSubmit={(e) => {
                  e.preventDefault();
                  void next();
                }}
              >
                <Stack mt="lg" maw={560}>
                  {s.content}
                </Stack>
                {/* Enter in a field submits the step, as Next does. */}
                <button type="submit" hidden aria-hidden tabIndex={-1} />
              </form>
            </Stepper.Step>
          ))}
          <Stepper.Completed>
            <Summary
              hostname={settings?.hostname ?? hostForm.values.hostname}
              address={created.user ?? address}
              ports={portsOf(portsForm.values)}
              selfSigned={tls.info?.certificate.selfSigned ?? true}
            />
          </Stepper.Completed>
        </Stepper>
        {error && (
          <Alert color="red" mt="lg" icon={<IconAlertTriangle />} role="alert">
            {error}
          </Alert>
        )}
        {!finished && (
          <Group justify="space-between" mt="xl">
            <Button variant="default" onClick={() => setActive((n) => n - 1)} disabled={active === 0 || (withPassword && active === 1) || busy}>
              Back
            </Button>
            <Group>
              {!withPassword || active > 0 ? (
                <Anchor href={href('dashboard')} size="sm" c="dimmed">
                  Finish later
                </Anchor>
              ) : null}
              <Button onClick={() => void next()} loading={busy}>
                {active === steps.length - 1 ? 'Finish' : 'Next'}
              </Button>
            </Group>
          </Group>
        )}
      </Paper>
    </Container>
  );
}

function AdminPasswordStep({ form }: { form: UseFormReturnType<{ password: string; confirm: string }> }) {
  return (
    <Stack>
      <Text>Choose the password for this admin page. Anyone who can open this page and knows it can change the whole server.</Text>
      <PasswordInput label="Admin password" autoComplete="new-password" {...form.getInputProps('password')} />
      <StrengthHint password={form.values.password} />
      <PasswordInput label="Repeat the admin password" autoComplete="new-password" {...form.getInputProps('confirm')} />
    </Stack>
  );
}

export function StrengthHint({ password }: { password: string }) {
  if (password === '') return null;
  const { score, label } = passwordStrength(password);
  const color = ['red', 'red', 'orange', 'teal', 'green'][score];
  return (
    <Group gap="xs" mt={-8}>
      <Progress value={(score / 4) * 100} color={color} w={120} size="sm" aria-label="Password strength" />
      <Text size="xs" c={color}>
        {label}
      </Text>
    </Group>
  );
}

function UserStep({ form, domain }: { form: UseFormReturnType<{ localPart: string; displayName: string; password: string; confirm: string }>; domain: string }) {
  return (
    <Stack>
      <Text>The first mailbox. Its owner logs in to mail clients with the full address and this password.</Text>
      <TextInput label="Address" placeholder="alice" rightSection={<Text size="sm" c="dimmed" pr="md">@{domain}</Text>} rightSectionWidth={Math.max(80, domain.length * 8 + 30)} {...form.getInputProps('localPart')} />
      <TextInput label="Full name" placeholder="Alice Example" {...form.getInputProps('displayName')} />
      <PasswordInput label="Password" autoComplete="new-password" {...form.getInputProps('password')} />
      <StrengthHint password={form.values.password} />
      <PasswordInput label="Repeat the password" autoComplete="new-password" {...form.getInputProps('confirm')} />
    </Stack>
  );
}

type RelayValues = { mode: 'direct' | 'relay'; host: string; port: number | string; tls: 'starttls' | 'implicit' | 'none'; username: string; password: string };

function RelayStep({ form }: { form: UseFormReturnType<RelayValues> }) {
  return (
    <Stack>
      <Text>
        Mail to other domains goes straight to the recipients' servers, or through your provider's relay (smarthost) when your network blocks
        port 25 or your address has no good reputation.
      </Text>
      <SegmentedControl
        data={[
          { value: 'direct', label: 'Deliver directly' },
          { value: 'relay', label: 'Use a relay host' },
        ]}
        {...form.getInputProps('mode')}
      />
      {form.values.mode === 'relay' && (
        <>
          <Group grow align="flex-start">
            <TextInput label="Relay host" placeholder="smtp.provider.example" {...form.getInputProps('host')} />
            <NumberInput label="Port" min={1} max={65535} maw={120} {...form.getInputProps('port')} />
          </Group>
          <Select
            label="Encryption"
            data={[
              { value: 'starttls', label: 'STARTTLS (port 587)' },
              { value: 'implicit', label: 'TLS from the start (port 465)' },
              { value: 'none', label: 'None (only inside a trusted network)' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('tls')}
          />
          <Group grow>
            <TextInput label="User name" description="Optional" autoComplete="off" {...form.getInputProps('username')} />
            <PasswordInput label="Password" description="Optional" autoComplete="new-password" {...form.getInputProps('password')} />
          </Group>
        </>
      )}
    </Stack>
  );
}

function Summary({ hostname, address, ports, selfSigned }: { hostname: string; address: string; ports: Settings['ports']; selfSigned: boolean }) {
  const rows = [
    ['Incoming (IMAP)', hostname, String(ports.imaps), 'SSL/TLS', `or port ${ports.imap} with STARTTLS`],
    ['Incoming (POP3)', hostname, String(ports.pop3s), 'SSL/TLS', `or port ${ports.pop3} with STARTTLS`],
    ['Outgoing (SMTP)', hostname, String(ports.submission), 'STARTTLS', `or port ${ports.submissions} with SSL/TLS`],
  ];
  return (
    <Stack mt="lg">
      <Title order={3}>Mailroom is ready</Title>
      <Text>
        Set up mail clients with these settings. The user name is the full address (<Code>{address}</Code>) and the password is the user's.
      </Text>
      <Table withTableBorder striped aria-label="Mail client settings">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Server</Table.Th>
            <Table.Th>Host</Table.Th>
            <Table.Th>Port</Table.Th>
            <Table.Th>Security</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r[0]}>
              {r.map((c, i) => (
                <Table.Td key={i}>{i === 4 ? <Text size="xs" c="dimmed">{c}</Text> : c}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {selfSigned && (
        <Text size="sm" c="dimmed">
          The server uses a self-signed certificate until you import one, so clients ask once whether to trust it.
        </Text>
      )}
      <Group>
        <Button onClick={() => navigate('dashboard')}>Open the dashboard</Button>
        <Button variant="default" onClick={() => navigate('users')}>
          Add more users
        </Button>
      </Group>
    </Stack>
  );
}
