// RFC 5232 imap4flags: setflag/addflag/removeflag on the internal flags variable (or a named
// variable), the hasflag test, and :flags on keep and fileinto. The internal variable's flags
// are what keep, fileinto and the implicit keep store when no :flags is given.
//
// Invariants: a flag list is the space-separated words of every string given; flags are
// compared case-insensitively and kept once, in first-seen order.

import { evaluateMatch } from '../match-test.js';
import type { Extension, Interpreter, ValidatedNode } from '../spec.js';
import { defineCommand, defineTest } from './define.js';

const NAME = 'imap4flags';

/** The flags named by the strings, split on whitespace, case-insensitively de-duplicated. */
export function flagList(strings: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of strings) {
    for (const f of s.split(/\s+/)) if (f !== '' && !out.some((g) => g.toLowerCase() === f.toLowerCase())) out.push(f);
  }
  return out;
}

/** The flags keep/fileinto should store: their :flags, else the internal variable's. */
export function actionFlags(node: ValidatedNode, rt: Interpreter): string[] {
  const given = rt.tagList(node, 'flags');
  return given === null ? [...rt.flags] : flagList(given);
}

type Change = (current: string[], flags: string[]) => string[];

function flagCommand(name: string, change: Change): ReturnType<typeof defineCommand> {
  return defineCommand(name, {
    extension: NAME,
    positional: [
      { name: 'variable', type: 'string', optional: true },
      { name: 'flags', type: 'string-list' },
    ],
    validate(node, ctx) {
      if (node.args.has('variable') && !ctx.requires.has('variables')) ctx.error(`${name} with a variable name needs require "variables".`, node.position);
    },
    run(node, rt) {
      const flags = flagList(rt.list(node, 'flags'));
      if (node.args.has('variable')) {
        const variable = rt.str(node, 'variable').toLowerCase();
        rt.setVariable(variable, change(flagList([rt.variable(variable)]), flags).join(' '), node.position);
      } else rt.flags = change(rt.flags, flags);
    },
  });
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const imap4flags: Extension = {
  name: NAME,
  commands: [
    flagCommand('setflag', (_current, flags) => flags),
    flagCommand('addflag', (current, flags) => flagList([...current, ...flags])),
    flagCommand('removeflag', (current, flags) => current.filter((f) => !flags.some((g) => same(f, g)))),
  ],
  tests: [
    defineTest('hasflag', {
      extension: NAME,
      groups: ['comparator', 'match-type'],
      positional: [
        { name: 'variables', type: 'string-list', optional: true },
        { name: 'keys', type: 'string-list' },
      ],
      evaluate(node, rt) {
        const current = node.args.has('variables') ? flagList(rt.list(node, 'variables').map((v) => rt.variable(v.toLowerCase()))) : rt.flags;
        return evaluateMatch(node, rt, current, flagList(rt.list(node, 'keys')));
      },
    }),
  ],
  commandTags: [{ commands: ['keep', 'fileinto'], tag: { name: 'flags', extension: NAME, param: 'string-list' } }],
};
