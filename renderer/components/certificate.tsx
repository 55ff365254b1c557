// The server certificate in the GUI (wizard TLS step and Settings → Certificate): its description
// as a table, and the PEM fields of an import (pasted, or read from a picked file).
import type { ReactNode } from 'react';
import { Badge, Button, Code, FileButton, Group, Table, Textarea, type TextareaProps } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconFileUpload } from '@tabler/icons-react';
import type { CertificateView } from '../../server/admin/contract.js';
import { formatRelative, formatTime } from '../format.js';

export interface PemValues {
  certPem: string;
  keyPem: string;
}

/** One PEM text field: monospace, growing from 4 to 8 rows. */
export function PemField(props: TextareaProps) {
  return <Textarea autosize minRows={4} maxRows={8} styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }} {...props} />;
}

/** The chain and key fields, pasted or read from files; `form` has certPem and keyPem. */
export function PemFields<V extends PemValues>({ form }: { form: UseFormReturnType<V> }) {
  const readInto = (field: 'certPem' | 'keyPem') => async (file: File | null) => {
    if (file) form.setFieldValue(field as never, (await file.text()) as never);
  };
  const pick = (field: 'certPem' | 'keyPem', label: string) => (
    <FileButton onChange={(f) => void readInto(field)(f)} accept=".pem,.crt,.cer,.key,text/plain,application/x-pem-file">
      {(props) => (
        <Button {...props} size="xs" variant="default" leftSection={<IconFileUpload size={14} />}>
          {label}
        </Button>
      )}
    </FileButton>
  );
  return (
    <>
      <PemField
        label="Certificate chain (PEM)"
        description="The server's certificate first, then the intermediates (fullchain.pem from Let's Encrypt)."
        placeholder="-----BEGIN CERTIFICATE-----"
        {...form.getInputProps('certPem' as never)}
      />
      <PemField
        label="Private key (PEM)"
        description="Without a passphrase (privkey.pem from Let's Encrypt). It is stored readable only by Mailroom."
        placeholder="-----BEGIN PRIVATE KEY-----"
        {...form.getInputProps('keyPem' as never)}
      />
      <Group gap="xs">
        {pick('certPem', 'Choose certificate file…')}
        {pick('keyPem', 'Choose key file…')}
      </Group>
    </>
  );
}

export function CertificateTable({ certificate: c }: { certificate: CertificateView }) {
  const names = c.altNames.map((n) => n.replace(/^(DNS|IP Address):/, '')).join(', ') || '—';
  const rows: Array<[string, ReactNode]> = [
    ['Subject', c.subject],
    ['Names', names],
    [
      'Issuer',
      <Group gap="xs" key="issuer">
        <span>{c.issuer}</span>
        {c.selfSigned ? (
          <Badge color="orange" variant="light">
            self-signed
          </Badge>
        ) : (
          <Badge color="green" variant="light">
            issued by a CA
          </Badge>
        )}
      </Group>,
    ],
    ['Valid until', `${formatTime(c.validTo)} (${formatRelative(c.validTo)})`],
    ['SHA-256 fingerprint', <Code key="fp" style={{ wordBreak: 'break-all', whiteSpace: 'normal' }}>{c.fingerprint256}</Code>],
    ['Key', c.chainLength > 1 ? `${c.keyType}, chain of ${c.chainLength} certificates` : c.keyType],
  ];
  return (
    <Table withTableBorder aria-label="Current certificate" layout="fixed">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={170}>{label}</Table.Th>
            <Table.Td>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
