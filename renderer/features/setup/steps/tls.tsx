// The wizard's TLS step (issue 7): shows the server's certificate (subject, names, issuer,
// self-signed or not, validity, SHA-256 fingerprint) and either keeps it or imports a PEM chain and
// private key, pasted or read from files. When the certificate does not name the server (the one made
// at first start predates the hostname chosen in the wizard) it also offers a new self-signed one.
// The server checks an import (server/tls/inspect.ts); a refusal lands on the field it names. The
// mail listeners load the new certificate at the next start.
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Code, FileButton, Group, Loader, Radio, Stack, Table, Text, Textarea } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle, IconCertificate, IconCheck, IconFileUpload } from '@tabler/icons-react';
import type { CertificateView, TlsInfo } from '../../../../server/admin/contract.js';
import { errorMessage, useApi } from '../../../client-context.js';
import { serverErrorOn, validateWith } from '../../../forms.js';
import { formatRelative, formatTime } from '../../../format.js';
import { tlsSchema } from '../schema.js';
import { StepFrame } from '../step-frame.js';
import type { StepProps, TlsValues } from '../step-types.js';

type Imported = { certPem: string; keyPem: string; message: string; renewed?: boolean };

export function TlsStep({ previous, nav, onSaved }: StepProps<'tls'>) {
  const api = useApi();
  const form = useForm<TlsValues>({ mode: 'controlled', initialValues: previous?.values ?? { mode: 'keep', certPem: '', keyPem: '' }, validate: validateWith(tlsSchema) });
  const [info, setInfo] = useState<TlsInfo>();
  const [loadError, setLoadError] = useState<string>();
  // What this step imported or renewed before (Back keeps it from being done twice).
  const [imported, setImported] = useState<Imported | undefined>(
    previous?.message === undefined ? undefined : { certPem: previous.values.certPem, keyPem: previous.values.keyPem, message: previous.message, renewed: previous.values.mode === 'renew' },
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    api.getTlsInfo().then(setInfo, (e: unknown) => setLoadError(errorMessage(e)));
  }, [api]);

  /** Imports the pasted pair unless exactly that pair was imported already. Throws the server's refusal. */
  const importNow = async (): Promise<Imported> => {
    const { certPem, keyPem } = form.getValues();
    if (imported && !imported.renewed && imported.certPem === certPem && imported.keyPem === keyPem) return imported;
    const { message, ...rest } = await api.importCertificate({ certPem, keyPem });
    const done = { certPem, keyPem, message };
    setInfo(rest);
    setImported(done);
    return done;
  };

  /** Replaces the certificate with a self-signed one for the hostname, once. */
  const renewNow = async (): Promise<Imported> => {
    if (imported?.renewed) return imported;
    const { message, ...rest } = await api.renewSelfSigned();
    const done = { certPem: '', keyPem: '', message, renewed: true };
    setInfo(rest);
    setImported(done);
    return done;
  };

  const save = async (values: TlsValues) => {
    const done = values.mode === 'import' ? await importNow() : values.mode === 'renew' ? await renewNow() : imported;
    onSaved({ values, message: done?.message, selfSigned: values.mode === 'import' ? false : (info?.certificate.selfSigned ?? true) });
  };

  const importClicked = async () => {
    if (form.validate().hasErrors) return;
    setBusy(true);
    setError(undefined);
    try {
      await importNow();
    } catch (e) {
      setError(serverErrorOn(form, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <StepFrame form={form} nav={nav} save={save}>
      <Text>
        Mail clients and other servers encrypt their connections with this certificate. The generated one works at once, but clients ask
        whether to trust it; a certificate from a CA (for example Let's Encrypt) for the server's name avoids that.
      </Text>
      {loadError && (
        <Alert color="red" icon={<IconAlertTriangle />}>
          {loadError}
        </Alert>
      )}
      {!info && !loadError && <Loader size="sm" aria-label="Loading the certificate" />}
      {info && <CertificateTable certificate={info.certificate} />}
      {info && !info.namesHostname && (
        <Alert color="yellow" icon={<IconAlertTriangle />} title="The certificate does not name this server">
          It is not made out to <Code>{info.hostname}</Code>, so mail clients connecting by that name will warn. Make a new self-signed
          certificate for {info.hostname}, import one from a CA, or keep this one and accept the warning in each client.
        </Alert>
      )}
      {imported && (
        <Alert color="green" icon={<IconCheck />} role="status">
          {imported.message}
        </Alert>
      )}
      <Radio.Group label="What should the server use?" {...form.getInputProps('mode')}>
        <Stack gap="xs" mt={6}>
          <Radio value="keep" label={info?.certificate.selfSigned === false ? 'Keep this certificate' : 'Keep the generated self-signed certificate'} />
          {info && !info.namesHostname && <Radio value="renew" label={`Make a new self-signed certificate for ${info.hostname}`} />}
          <Radio value="import" label="Import PEM: a certificate chain and its private key" />
        </Stack>
      </Radio.Group>
      {form.values.mode === 'import' && <ImportFields form={form} />}
      {form.values.mode === 'import' && (
        <Group>
          <Button variant="light" leftSection={<IconCertificate size={16} />} loading={busy} onClick={() => void importClicked()}>
            Check and import
          </Button>
          <Text size="xs" c="dimmed">
            Or press Next: it imports too.
          </Text>
        </Group>
      )}
      {error && (
        <Alert color="red" icon={<IconAlertTriangle />} role="alert">
          {error}
        </Alert>
      )}
    </StepFrame>
  );
}

function ImportFields({ form }: { form: UseFormReturnType<TlsValues> }) {
  const readInto = (field: 'certPem' | 'keyPem') => async (file: File | null) => {
    if (file) form.setFieldValue(field, await file.text());
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
      <Textarea
        label="Certificate chain (PEM)"
        description="The server's certificate first, then the intermediates (fullchain.pem from Let's Encrypt)."
        placeholder="-----BEGIN CERTIFICATE-----"
        autosize
        minRows={4}
        maxRows={8}
        styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        {...form.getInputProps('certPem')}
      />
      <Textarea
        label="Private key (PEM)"
        description="Without a passphrase (privkey.pem from Let's Encrypt). It is stored readable only by Mailroom."
        placeholder="-----BEGIN PRIVATE KEY-----"
        autosize
        minRows={4}
        maxRows={8}
        styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        {...form.getInputProps('keyPem')}
      />
      <Group gap="xs">
        {pick('certPem', 'Choose certificate file…')}
        {pick('keyPem', 'Choose key file…')}
      </Group>
    </>
  );
}

function CertificateTable({ certificate: c }: { certificate: CertificateView }) {
  const names = c.altNames.map((n) => n.replace(/^(DNS|IP Address):/, '')).join(', ') || '—';
  const rows: Array<[string, React.ReactNode]> = [
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
