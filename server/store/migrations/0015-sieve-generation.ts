// Sieve generation (issue 15): a counter every change to a script, a managed part or a global
// script moves (triggers, so a CLI writing the same file from another process moves it too).
// Delivery keeps each account's compiled program with the counter it was read at and reads the
// scripts again only when the counter has moved: one small read per delivery instead of every
// script's text.
import type { Migration } from './migration.js';
import { sqliteGenerationCounter } from './generation-counter.js';

export const m0015: Migration = {
  version: 15,
  name: 'sieve-generation',
  up: sqliteGenerationCounter('sieve_generation', ['sieve_scripts', 'sieve_managed', 'sieve_global_scripts'], (table, event) => `${table}_${event}_generation`),
};
