// The first-run wizard (issue 7, issue 18): admin password (headless installs), server name, first
// domain, first user, trusted LAN range, TLS certificate, relay host, ports with a bind test, then a
// summary of what was made with the next steps.
// Each step is saved when the user presses Next, so a refusal shows on the step that caused it and
// a wizard left half-way keeps what was done. Back re-opens a step with what it saved, and saving it
// again edits that (never a second domain, network or user). The steps are wizard-steps.ts.
import { useState } from 'react';
import { Container, Group, Paper, Progress, Stepper, Title } from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import { useClient } from '../../client-context.js';
import type { StepId, StepResults } from './step-types.js';
import { ADMIN_PASSWORD_STEP, SETUP_STEPS, type WizardStep } from './wizard-steps.js';
import { Summary } from './summary.js';
import { usePageTitle } from '../../components/page.js';

export function SetupWizard({ needsAdminPassword, onAdminPasswordSet }: { needsAdminPassword: boolean; onAdminPasswordSet(): void }) {
  const client = useClient();
  usePageTitle('Set up');
  // Decided once: setting the password mid-way must not renumber the steps.
  const [steps] = useState<readonly WizardStep[]>(() => (needsAdminPassword && client.auth !== null ? [ADMIN_PASSWORD_STEP, ...SETUP_STEPS] : SETUP_STEPS));
  const [active, setActive] = useState(0);
  const [results, setResults] = useState<Partial<StepResults>>({});
  // The admin password cannot be taken back, so the step after it is as far back as Back goes.
  const firstEditable = steps[0].id === 'admin-password' ? 1 : 0;

  const saved = <Id extends StepId>(id: Id, result: StepResults[Id]) => {
    setResults((r) => ({ ...r, [id]: result }));
    if (id === 'admin-password') onAdminPasswordSet();
    setActive((n) => n + 1);
  };

  const finished = active >= steps.length;
  return (
    <Container component="main" size="lg" py="xl">
      <Group gap="xs" mb="md">
        <IconMail size={28} aria-hidden />
        <Title order={1} size="h2">
          Set up Mailroom
        </Title>
      </Group>
      <Progress value={(Math.min(active, steps.length) / steps.length) * 100} size="xs" mb="lg" aria-label="Setup progress" />
      <Paper withBorder p="xl" shadow="xs">
        <Stepper active={active} onStepClick={(n) => n < active && n >= firstEditable && setActive(n)} size="sm">
          {steps.map((s, index) => (
            <Stepper.Step key={s.id} label={s.label} description={s.description}>
              {index === active &&
                s.render({
                  results,
                  nav: { back: index > firstEditable ? () => setActive(index - 1) : undefined, last: index === steps.length - 1, finishLater: s.id !== 'admin-password' },
                  onSaved: saved,
                })}
            </Stepper.Step>
          ))}
          <Stepper.Completed>{finished && <Summary results={results} />}</Stepper.Completed>
        </Stepper>
      </Paper>
    </Container>
  );
}
