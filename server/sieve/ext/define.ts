// Shorthands for writing command and test specifications with the usual defaults (no
// extension, no arguments, no block, no nested tests).

import type { CommandSpec, TestSpec } from '../spec.js';

export function defineCommand(name: string, spec: Partial<CommandSpec> & Pick<CommandSpec, 'run'>): CommandSpec {
  return { kind: 'command', name, extension: null, positional: [], block: false, test: false, ...spec };
}

export function defineTest(name: string, spec: Partial<TestSpec> & Pick<TestSpec, 'evaluate'>): TestSpec {
  return { kind: 'test', name, extension: null, positional: [], tests: 'none', ...spec };
}
