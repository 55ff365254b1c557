// Sieve generation (SQLite's migration 0015): a counter every change to a script, a managed part or a
// global script moves, by triggers, so a change made on any node moves it for every node's cache of
// compiled programs.
import type { PostgresMigration } from './migration.js';
import { postgresGenerationCounter } from '../../migrations/generation-counter.js';

export const p0002: PostgresMigration = {
  version: 2,
  name: 'sieve-generation',
  up: postgresGenerationCounter('sieve_generation', ['sieve_scripts', 'sieve_managed', 'sieve_global_scripts'], (table) => `${table}_generation`),
};
