// The "All domains" filter above a list that can be narrowed to one domain (users, aliases); the
// chosen domain lives in the route, so `onChange` navigates.
import { Select } from '@mantine/core';
import type { DomainView } from '../../server/admin/contract.js';

export function DomainFilter({ domains, value, onChange }: { domains: DomainView[] | undefined; value: string | undefined; onChange(domain: string | undefined): void }) {
  return (
    <Select
      placeholder="All domains"
      clearable
      aria-label="Domain filter"
      data={(domains ?? []).map((d) => ({ value: d.name, label: d.displayName }))}
      value={value ?? null}
      onChange={(v) => onChange(v ?? undefined)}
    />
  );
}
