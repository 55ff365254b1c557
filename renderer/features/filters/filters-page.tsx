// Settings → Filters (issue 16): milters, spam filing and Junk learning, greylisting, allow and block
// lists, and the quarantine. Each card talks to its own admin methods; the CLI twins are `mailroom
// milter|allow|block|quarantine` and `mailroom config set spam.*|greylisting.*`.
import { Stack } from '@mantine/core';
import { useQuery } from '../../client-context.js';
import { PageHeader } from '../../components/page.js';
import { QueryView } from '../../components/states.js';
import { MiltersCard } from './milters-card.js';
import { QuarantineCard } from './quarantine-card.js';
import { SenderListsCard } from './sender-lists-card.js';
import { SpamSettingsCard } from './spam-settings-card.js';

export function FiltersPage() {
  const settings = useQuery((a) => a.getSettings());
  return (
    <>
      <PageHeader title="Filters" description="Spam and content checks: milters, what happens to spam, greylisting, allow and block lists, held messages." />
      <Stack gap="lg">
        <MiltersCard />
        <QueryView query={settings} what="spam settings">
          {(s) => <SpamSettingsCard settings={s} onSaved={settings.reload} />}
        </QueryView>
        <SenderListsCard />
        <QuarantineCard />
      </Stack>
    </>
  );
}
