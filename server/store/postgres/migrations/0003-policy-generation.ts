// Policy generation (SQLite's migration 0018): a counter every change to the access rules, the
// trusted networks or the hosted domains moves, by triggers, so a change made on any node moves it
// for every node's cached policy.
import type { PostgresMigration } from './migration.js';
import { postgresGenerationCounter } from '../../migrations/generation-counter.js';

export const p0003: PostgresMigration = {
  version: 3,
  name: 'policy-generation',
  up: postgresGenerationCounter('policy_generation', ['rules', 'networks', 'domains'], (table) => `${table}_policy_generation`),
};
