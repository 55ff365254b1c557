// RFC 5229 variables: the set command with its modifiers, the string test, and (in runtime.ts and
// template.ts) "${name}" expansion and the match variables "${0}".."${N}".
//
// Invariants: variable names given to set are constant identifiers; modifiers apply from the
// highest precedence down (:lower/:upper 40, :lowerfirst/:upperfirst 30, :quotewildcard 20,
// :length 10) and at most one of each level is allowed.

import { evaluateMatch } from '../match-test.js';
import type { Matcher } from '../match.js';
import type { Extension, TagSpec, ValidationContext, Value } from '../spec.js';
import { constantArgument } from '../validator.js';
import { defineCommand, defineTest } from './define.js';

const NAME = 'variables';
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;

const MODIFIERS: { name: string; precedence: number; apply(value: string): string }[] = [
  { name: 'lower', precedence: 40, apply: (v) => v.toLowerCase() },
  { name: 'upper', precedence: 40, apply: (v) => v.toUpperCase() },
  { name: 'lowerfirst', precedence: 30, apply: (v) => v.charAt(0).toLowerCase() + v.slice(1) },
  { name: 'upperfirst', precedence: 30, apply: (v) => v.charAt(0).toUpperCase() + v.slice(1) },
  { name: 'quotewildcard', precedence: 20, apply: (v) => v.replace(/[*?\\]/g, '\\$&') },
  { name: 'length', precedence: 10, apply: (v) => String(Array.from(v).length) },
];

const modifierTags: TagSpec[] = MODIFIERS.map((m) => ({ name: m.name, extension: NAME, group: `modifier-${m.precedence}` }));

/** Checks a variable name argument: a constant identifier. Returns it lower-cased. */
export function variableName(ctx: ValidationContext, value: Value | undefined, what: string): string | null {
  const name = constantArgument(ctx, value, what);
  if (name === null || value === undefined) return null;
  if (!IDENTIFIER.test(name)) {
    ctx.error(`"${name}" is not a valid variable name (letters, digits and "_", not starting with a digit).`, value.position);
    return null;
  }
  return name.toLowerCase();
}

export const variables: Extension = {
  name: NAME,
  commands: [
    defineCommand('set', {
      extension: NAME,
      tags: modifierTags,
      positional: [
        { name: 'name', type: 'string' },
        { name: 'value', type: 'string' },
      ],
      validate(node, ctx) {
        node.data.name = variableName(ctx, node.args.get('name'), 'the variable name');
      },
      run(node, rt) {
        let value = rt.str(node, 'value');
        for (const m of MODIFIERS) if (node.tags.has(m.name)) value = m.apply(value);
        rt.setVariable(node.data.name as string, value, node.position);
      },
    }),
  ],
  tests: [
    defineTest('string', {
      extension: NAME,
      groups: ['comparator', 'match-type'],
      positional: [
        { name: 'source', type: 'string-list' },
        { name: 'keys', type: 'string-list' },
      ],
      evaluate(node, rt) {
        const source = rt.list(node, 'source');
        // RFC 5229 §5: :count counts the source strings that are not empty
        const counting = (node.data.matcher as Matcher).type.kind === 'count';
        return evaluateMatch(node, rt, counting ? source.filter((s) => s !== '') : source);
      },
    }),
  ],
};
