// "Move in" (issue 12): the wizard that brings an old Postfix/Dovecot server's directory and mail here.
// Source (SQL directory, Maildir, IMAP, mbox) → preview (the dry run: what will be created, every
// conflict and its effect; nothing written) → the run in the background with live progress (`import`
// events) → the report, with what was skipped and why. A page opened during a run shows that run.
import { useRef, useState } from 'react';
import { Alert, Button, Group, Paper, Stepper, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconTruckDelivery } from '@tabler/icons-react';
import type { ImportReport, ImportRunView } from '../../../server/admin/contract.js';
import { errorMessage, useApi, useLiveEvents, useQuery } from '../../client-context.js';
import { useFormSubmit } from '../../forms.js';
import { PageHeader } from '../../components/page.js';
import { formatTime } from '../../format.js';
import { PlanView, ProgressView, ResultView, type Rate } from './import-report.js';
import { INITIAL_SOURCE, SourceFields, toSource, validateSource, type SourceValues } from './source-form.js';

type Step = 'source' | 'preview' | 'run';
const STEP_INDEX: Record<Step, number> = { source: 0, preview: 1, run: 2 };

/** A rate needs this much time since the first mail sample to mean something. */
const RATE_AFTER_MS = 1000;

export function MoveInPage() {
  const api = useApi();
  const status = useQuery((a) => a.importStatus({}));
  const form = useForm<SourceValues>({ mode: 'controlled', initialValues: INITIAL_SOURCE, validate: validateSource });
  const [chosen, setChosen] = useState<Step | undefined>();
  const [preview, setPreview] = useState<ImportReport | undefined>();
  const [live, setLive] = useState<ImportRunView | undefined>();
  const [rate, setRate] = useState<Rate | undefined>();
  const [startError, setStartError] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const firstMail = useRef<{ run: number; at: number; messages: number; bytes: number } | undefined>(undefined);

  const run = live ?? status.data;
  const step: Step = chosen ?? (run?.state === 'running' ? 'run' : 'source');

  useLiveEvents((event) => {
    if (event.type !== 'import') return;
    const run = event.event;
    setLive(run);
    // A page showing a run (or opened during one) stays on it when the run ends.
    if (step === 'run' || run.state === 'running') setChosen((c) => c ?? 'run');
    const p = run.progress;
    if (run.state !== 'running' || p?.stage !== 'mail') return;
    const now = Date.now();
    const first = firstMail.current;
    if (first?.run !== run.startedAt) firstMail.current = { run: run.startedAt, at: now, messages: p.messages.done, bytes: p.bytes.done };
    else if (now - first.at >= RATE_AFTER_MS) setRate({ messages: ((p.messages.done - first.messages) * 1000) / (now - first.at), bytes: ((p.bytes.done - first.bytes) * 1000) / (now - first.at) });
  });

  const { submit, error } = useFormSubmit(form, async (values) => {
    setPreview(await api.previewImport({ source: toSource(values) }));
    setChosen('preview');
  });

  const start = async () => {
    setStartError(undefined);
    setStarting(true);
    try {
      setRate(undefined);
      const started = await api.startImport({ source: toSource(form.getValues()) });
      // A live event of this run may have come before the answer: it is the newer news.
      setLive((seen) => (seen?.startedAt === started.startedAt ? seen : started));
      setChosen('run');
    } catch (e) {
      setStartError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  const again = () => {
    setPreview(undefined);
    setChosen('source');
  };

  return (
    <>
      <PageHeader
        title="Move in"
        description="Bring an old Postfix/Dovecot server's users and mail here. First a preview that writes nothing; running it again later copies only what is new."
      />
      <Stepper active={STEP_INDEX[step]} size="sm" mb="lg">
        <Stepper.Step label="Source" description="where the old data is" />
        <Stepper.Step label="Preview" description="nothing written yet" />
        <Stepper.Step label="Import" description="progress and report" />
      </Stepper>
      {step === 'source' && (
        <Paper withBorder p="md">
          {run && run.state !== 'idle' && run.state !== 'running' && (
            <Alert color={run.state === 'failed' ? 'red' : 'gray'} mb="md">
              <Group justify="space-between">
                <Text size="sm">
                  The last import, of {run.source}, {run.state === 'failed' ? 'failed' : 'finished'} at {formatTime(run.finishedAt)}.
                </Text>
                <Button size="xs" variant="light" onClick={() => setChosen('run')}>
                  Show its report
                </Button>
              </Group>
            </Alert>
          )}
          <form onSubmit={submit}>
            <SourceFields form={form} />
            {error && (
              <Alert color="red" mt="md" title="The source cannot be read">
                {error}
              </Alert>
            )}
            <Group justify="flex-end" mt="md">
              <Button type="submit" loading={form.submitting}>
                Preview
              </Button>
            </Group>
          </form>
        </Paper>
      )}
      {step === 'preview' && preview && (
        <Paper withBorder p="md">
          <PlanView report={preview} />
          {startError && (
            <Alert color="red" mt="md">
              {startError}
            </Alert>
          )}
          <Group justify="space-between" mt="md">
            <Button variant="default" onClick={() => setChosen('source')}>
              Back
            </Button>
            <Button leftSection={<IconTruckDelivery size={16} />} loading={starting} onClick={() => void start()}>
              Import now
            </Button>
          </Group>
        </Paper>
      )}
      {step === 'run' && run && (
        <Paper withBorder p="md">
          <Text size="sm" mb="sm">
            Importing {run.source}, started {formatTime(run.startedAt)}.
          </Text>
          {run.state === 'running' && <ProgressView progress={run.progress} rate={rate} />}
          {run.state === 'failed' && (
            <Alert color="red" title="The import stopped">
              {run.error} What was copied so far is kept; run the same import again to continue where it stopped.
            </Alert>
          )}
          {run.state === 'done' && run.report && (
            <>
              <Alert color="green" mb="md" role="status" aria-label="Import result">
                The import finished at {formatTime(run.finishedAt)}.
              </Alert>
              <ResultView report={run.report} />
            </>
          )}
          {run.state !== 'running' && (
            <Group justify="flex-end" mt="md">
              <Button variant="light" onClick={again}>
                Import something else
              </Button>
            </Group>
          )}
        </Paper>
      )}
    </>
  );
}
