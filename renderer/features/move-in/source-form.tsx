// The "Move in" wizard's first step: where the old server's data is. One flat form for every kind of
// source (the fields of the kind not picked are ignored); toSource() turns it into the contract's
// ImportSource, and the contract's schema checks it, so the form shows the server's own sentences.
import { Checkbox, Group, NumberInput, PasswordInput, Radio, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { ImportSourceSchema, type ImportSource } from '../../../server/admin/contract.js';

type SqlSource = Extract<ImportSource, { kind: 'sql' }>;

export interface SourceValues {
  kind: ImportSource['kind'];
  url: string;
  preset: string;
  queries: { accounts: string; domains: string; aliases: string; transports: string };
  path: string;
  /** Maildir: one user's Maildir, or every user's under a root. */
  scope: 'one' | 'all';
  user: string;
  layout: string;
  folder: string;
  host: string;
  port: number | string;
  security: 'tls' | 'starttls' | 'none';
  verifyCertificate: boolean;
  password: string;
  masterUser: string;
  to: string;
}

export const INITIAL_SOURCE: SourceValues = {
  kind: 'sql',
  url: '',
  preset: 'postfixadmin',
  queries: { accounts: '', domains: '', aliases: '', transports: '' },
  path: '',
  scope: 'all',
  user: '',
  layout: '%d/%n/Maildir',
  folder: '',
  host: '',
  port: 993,
  security: 'tls',
  verifyCertificate: true,
  password: '',
  masterUser: '',
  to: '',
};

export function toSource(v: SourceValues): ImportSource {
  switch (v.kind) {
    case 'sql':
      return { kind: 'sql', url: v.url, preset: v.preset as SqlSource['preset'], ...(v.preset === 'custom' ? { queries: v.queries } : {}) };
    case 'maildir':
      return { kind: 'maildir', path: v.path, ...(v.scope === 'one' ? { user: v.user } : { layout: v.layout }) };
    case 'mbox':
      return { kind: 'mbox', path: v.path, user: v.user, folder: v.folder };
    case 'imap':
      return {
        kind: 'imap',
        host: v.host,
        port: typeof v.port === 'number' ? v.port : Number.NaN,
        security: v.security,
        verifyCertificate: v.verifyCertificate,
        user: v.user,
        password: v.password,
        masterUser: v.masterUser,
        to: v.to,
      };
  }
}

/** The contract's checks, each message on the form field it names. */
export function validateSource(values: SourceValues): Record<string, string> {
  const result = ImportSourceSchema.safeParse(toSource(values));
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

const KINDS = [
  { value: 'sql', label: 'SQL directory' },
  { value: 'maildir', label: 'Maildir' },
  { value: 'imap', label: 'IMAP server' },
  { value: 'mbox', label: 'mbox' },
];

const PRESETS = [
  { value: 'postfixadmin', label: 'PostfixAdmin (domain, mailbox, alias, alias_domain)' },
  { value: 'howto', label: 'HOWTO (virtual_domains/users/aliases, or domains/users/forwardings/transport)' },
  { value: 'extmail', label: 'extmail (domain, mailbox, alias)' },
  { value: 'custom', label: 'Custom: the lookup queries Postfix and Dovecot use' },
];

const KIND_TEXT: Record<ImportSource['kind'], string> = {
  sql: 'Domains, accounts with their password hashes, aliases, forwardings, alias domains and transports, read from the database Postfix and Dovecot use.',
  maildir: 'Mail from Dovecot or Courier Maildirs, with folders, flags, keywords, dates, UIDs and subscriptions. The accounts must exist here (import the directory first).',
  imap: "One account's mail copied from the old server over IMAP: every folder, flags, dates and UIDs. Run it again to copy only what is new.",
  mbox: "One user's mbox file (one folder), or a folder of mbox files (one per folder).",
};

export function SourceFields({ form }: { form: UseFormReturnType<SourceValues> }) {
  const v = form.getValues();
  return (
    <Stack>
      <SegmentedControl aria-label="Source" data={KINDS} {...form.getInputProps('kind')} />
      <Text size="sm" c="dimmed">
        {KIND_TEXT[v.kind]}
      </Text>
      {v.kind === 'sql' && (
        <>
          <Select label="Schema" data={PRESETS} allowDeselect={false} {...form.getInputProps('preset')} />
          <TextInput label="Database URL" placeholder="mysql://postfix:PASSWORD@db.example.com/postfix, postgres://…, or sqlite:/path/to/file" {...form.getInputProps('url')} />
          {v.preset === 'custom' && (
            <>
              <Textarea label="Accounts: Dovecot's password_query" placeholder="SELECT password FROM users WHERE email = '%u'" autosize minRows={2} {...form.getInputProps('queries.accounts')} />
              <Textarea label="Domains: Postfix's virtual_mailbox_domains query" placeholder="SELECT 1 FROM domains WHERE name = '%s'" autosize minRows={1} {...form.getInputProps('queries.domains')} />
              <Textarea label="Aliases: Postfix's virtual_alias_maps query" placeholder="SELECT destination FROM aliases WHERE source = '%s'" autosize minRows={1} {...form.getInputProps('queries.aliases')} />
              <Textarea label="Transports: Postfix's transport_maps query" placeholder="SELECT transport FROM transport WHERE domain = '%s'" autosize minRows={1} {...form.getInputProps('queries.transports')} />
            </>
          )}
        </>
      )}
      {v.kind === 'maildir' && (
        <>
          <TextInput label="Folder on this machine" placeholder="/var/vmail" {...form.getInputProps('path')} />
          <Radio.Group label="It holds" {...form.getInputProps('scope')}>
            <Group mt="xs">
              <Radio value="all" label="Every user's Maildir" />
              <Radio value="one" label="One user's Maildir" />
            </Group>
          </Radio.Group>
          {v.scope === 'all' ? (
            <TextInput label="Layout under the folder" description="As Dovecot's mail_location: %d the domain, %n the user's name, %u the whole address" {...form.getInputProps('layout')} />
          ) : (
            <TextInput label="Account here" placeholder="alice@example.com" {...form.getInputProps('user')} />
          )}
        </>
      )}
      {v.kind === 'mbox' && (
        <>
          <TextInput label="mbox file or folder on this machine" {...form.getInputProps('path')} />
          <TextInput label="Account here" placeholder="alice@example.com" {...form.getInputProps('user')} />
          <TextInput label="Folder for a single file" placeholder="INBOX" {...form.getInputProps('folder')} />
        </>
      )}
      {v.kind === 'imap' && (
        <>
          <Group grow align="flex-start">
            <TextInput label="Old server" placeholder="mail.example.com" {...form.getInputProps('host')} />
            <NumberInput label="Port" min={1} max={65535} {...form.getInputProps('port')} />
            <Select
              label="Security"
              allowDeselect={false}
              data={[
                { value: 'tls', label: 'TLS (993)' },
                { value: 'starttls', label: 'STARTTLS (143)' },
                { value: 'none', label: 'None (a trusted network only)' },
              ]}
              {...form.getInputProps('security')}
            />
          </Group>
          <Checkbox label="Check the server's certificate (untick for a self-signed old server)" {...form.getInputProps('verifyCertificate', { type: 'checkbox' })} />
          <Group grow align="flex-start">
            <TextInput label="Login on the old server" {...form.getInputProps('user')} />
            <PasswordInput label="Password" autoComplete="off" {...form.getInputProps('password')} />
          </Group>
          <Group grow align="flex-start">
            <TextInput label="Master user (optional)" description="Logs in as user*master: the password is the master's" {...form.getInputProps('masterUser')} />
            <TextInput label="Account here (optional)" description="When the login is not the address here" {...form.getInputProps('to')} />
          </Group>
        </>
      )}
    </Stack>
  );
}
