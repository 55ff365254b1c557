// Settings → Certificate (issue 18): the certificate the mail listeners use, with its names, issuer,
// expiry and fingerprint; import a CA-issued chain and key (pasted or picked), or make a new
// self-signed one. The running server applies either to new connections at once (no restart).
import { useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCertificate, IconCheck } from '@tabler/icons-react';
import { AdminSchemas } from '../../../server/admin/contract.js';
import { act, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { CertificateTable, PemFields, type PemValues } from '../../components/certificate.js';
import { ConfirmButton } from '../../components/confirm.js';
import { FormModal } from '../../components/form-modal.js';
import { useFormSubmit, validateWith } from '../../forms.js';

/** A certificate this close to its end is shown as expiring. */
const EXPIRY_WARNING_MS = 14 * 24 * 3600_000;

export function CertificateCard() {
  const api = useApi();
  // The time of the answer, for "expires soon" (render stays pure).
  const query = useQuery(async (a) => ({ info: await a.getTlsInfo(), at: Date.now() }));
  const [importing, setImporting] = useState(false);
  const [message, setMessage] = useState<string>();
  const done = (text: string) => {
    setMessage(text);
    query.reload();
  };
  return (
    <Card withBorder component="section" aria-labelledby="certificate-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="certificate-title">
          Certificate
        </Title>
        <Group gap="xs">
          <Button size="xs" variant="light" leftSection={<IconCertificate size={14} />} onClick={() => setImporting(true)}>
            Import certificate…
          </Button>
          <ConfirmButton
            size="xs"
            variant="default"
            label="New self-signed"
            title="Make a new self-signed certificate?"
            message="It names the server's hostname. Mail clients will ask once more whether to trust it. New connections use it at once."
            confirmLabel="Make it"
            onConfirm={() => act(() => api.renewSelfSigned(), 'New self-signed certificate made.').then((r) => r && done(r.message))}
          />
        </Group>
      </Group>
      <QueryView query={query} what="certificate">
        {({ info, at }) => {
          const expiresSoon = info.certificate.validTo - at < EXPIRY_WARNING_MS;
          return (
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                Mail clients and other servers encrypt their connections with it (SMTP, IMAP, POP3, ManageSieve). Same from the command line: mailroom cert show|import|renew.
              </Text>
              {message && (
                <Alert color="green" icon={<IconCheck />} role="status">
                  {message}
                </Alert>
              )}
              <CertificateTable certificate={info.certificate} />
              <Group gap="xs">
                {expiresSoon ? (
                  <Badge color="red">{info.certificate.validTo < at ? 'expired' : 'expires soon'}</Badge>
                ) : (
                  <Badge color="green" variant="light">
                    valid
                  </Badge>
                )}
                <Badge color={info.namesHostname ? 'green' : 'yellow'} variant="light">
                  {info.namesHostname ? `names ${info.hostname}` : `does not name ${info.hostname}`}
                </Badge>
              </Group>
              {!info.namesHostname && (
                <Alert color="yellow" icon={<IconAlertTriangle />}>
                  It is not made out to <Code>{info.hostname}</Code>, so mail clients connecting by that name will warn.
                </Alert>
              )}
            </Stack>
          );
        }}
      </QueryView>
      {importing && <ImportModal onClose={() => setImporting(false)} onImported={done} />}
    </Card>
  );
}

function ImportModal({ onClose, onImported }: { onClose(): void; onImported(message: string): void }) {
  const api = useApi();
  const form = useForm<PemValues>({ mode: 'controlled', initialValues: { certPem: '', keyPem: '' }, validate: validateWith(AdminSchemas.importCertificate) });
  const { submit, error } = useFormSubmit(form, async (v) => {
    const result = await api.importCertificate(v);
    onImported(result.message);
    onClose();
  });
  return (
    <FormModal title="Import a certificate" size="lg" onClose={onClose} onSubmit={submit} error={error} submitLabel="Check and import" submitting={form.submitting}>
      <PemFields form={form} />
    </FormModal>
  );
}
