// The wizard's TLS step (issue 7): shows the server's certificate (subject, names, issuer,
// self-signed or not, validity, SHA-256 fingerprint) and either keeps it or imports a PEM chain and
// private key, pasted or read from files. When the certificate does not name the server (the one made
// at first start predates the hostname chosen in the wizard) it also offers a new self-signed one.
// The server checks an import (server/tls/inspect.ts); a refusal lands on the field it names. The
// running listeners use the new certificate for new connections at once.
import { useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Loader, Radio, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCertificate, IconCheck } from '@tabler/icons-react';
import type { TlsInfo } from '../../../../server/admin/contract.js';
import { CertificateTable, PemFields } from '../../../components/certificate.js';
import { errorMessage, useApi } from '../../../client-context.js';
import { serverErrorOn, validateWith } from '../../../forms.js';
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
      {form.values.mode === 'import' && <PemFields form={form} />}
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
