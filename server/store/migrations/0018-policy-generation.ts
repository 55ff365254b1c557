// Policy generation (issue 13): a counter every change to the access rules, the trusted networks or
// the hosted domains moves (triggers, so the CLI writing the same file from another process moves it
// too). The SMTP listeners keep their compiled policy with the counter it was read at and read the
// three tables again only when it has moved: one small read per connection instead of three lists.
import type { Migration } from './migration.js';
import { sqliteGenerationCounter } from './generation-counter.js';

export const m0018: Migration = {
  version: 18,
  name: 'policy-generation',
  up: sqliteGenerationCounter('policy_generation', ['rules', 'networks', 'domains'], (table, event) => `${table}_${event}_policy_generation`),
};
