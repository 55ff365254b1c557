// RFC 5228 itself: control commands (if/elsif/else, stop), the base actions (keep, discard,
// redirect), the base tests (address, header, exists, size, allof, anyof, not, true, false), the
// match-type/comparator/address-part tag groups and the two comparators every script has.
// `require` is handled by the validator directly.

import { parseAddress } from '../../mime/addr-spec.js';
import { ASCII_CASEMAP, OCTET } from '../comparators.js';
import { compileExists, compileHeaderTest, evaluateMatch, headerAddressParts, headerTexts } from '../match-test.js';
import type { Extension, Interpreter, NumberValue, TagSpec, ValidatedNode, ValidationContext } from '../spec.js';
import { defineCommand as command, defineTest as test } from './define.js';
import { actionFlags } from './imap4flags.js';

export const MATCH_GROUPS = ['comparator', 'match-type'];
export const ADDRESS_GROUPS = ['comparator', 'match-type', 'address-part'];

const groupTags: TagSpec[] = [
  { name: 'comparator', extension: null, param: 'string', group: 'comparator' },
  { name: 'is', extension: null, group: 'match-type' },
  { name: 'contains', extension: null, group: 'match-type' },
  { name: 'matches', extension: null, group: 'match-type' },
  { name: 'all', extension: null, group: 'address-part' },
  { name: 'localpart', extension: null, group: 'address-part' },
  { name: 'domain', extension: null, group: 'address-part' },
];

const noop = (): void => undefined;

/** Checks a redirect target: a constant at compile time, an expanded one at run time. */
export function redirectAddressError(address: string): string | null {
  try {
    parseAddress(address);
    return null;
  } catch (e) {
    return `redirect needs a valid address: ${(e as Error).message}`;
  }
}

function runRedirect(node: ValidatedNode, rt: Interpreter): void {
  const address = rt.str(node, 'address').trim();
  const problem = redirectAddressError(address);
  if (problem !== null) rt.fail(problem, node.position);
  rt.addAction({ type: 'redirect', address, copy: node.tags.has('copy'), position: node.position });
}

function allOf(node: ValidatedNode, rt: Interpreter): boolean {
  for (const t of node.tests) if (!rt.test(t)) return false;
  return true;
}

function anyOf(node: ValidatedNode, rt: Interpreter): boolean {
  for (const t of node.tests) if (rt.test(t)) return true;
  return false;
}

function sizeLimit(node: ValidatedNode, ctx: ValidationContext): void {
  if (node.tags.has('over') === node.tags.has('under')) ctx.error('size needs exactly one of :over or :under.', node.position);
}

export const base: Extension = {
  name: '',
  groupTags,
  comparators: [OCTET, ASCII_CASEMAP],
  commands: [
    command('if', { block: true, test: true, control: 'if', run: noop }),
    command('elsif', { block: true, test: true, control: 'elsif', run: noop }),
    command('else', { block: true, control: 'else', run: noop }),
    command('stop', { run: (_n, rt) => rt.stop() }),
    command('keep', { run: (node, rt) => rt.addAction({ type: 'keep', flags: actionFlags(node, rt), implicit: false, position: node.position }) }),
    command('discard', { run: (node, rt) => rt.addAction({ type: 'discard', position: node.position }) }),
    command('redirect', {
      positional: [{ name: 'address', type: 'string' }],
      validate(node, ctx) {
        const value = node.args.get('address');
        const text = value?.type === 'string' ? value.constant : null;
        const problem = text === null ? null : redirectAddressError(text.trim());
        if (problem !== null && value !== undefined) ctx.error(problem, value.position);
      },
      run: runRedirect,
    }),
  ],
  tests: [
    test('true', { evaluate: () => true }),
    test('false', { evaluate: () => false }),
    test('not', { tests: 'one', evaluate: (node, rt) => !rt.test(node.tests[0]) }),
    test('allof', { tests: 'list', evaluate: allOf, compile: (node) => (rt) => allOf(node, rt) }),
    test('anyof', { tests: 'list', evaluate: anyOf, compile: (node) => (rt) => anyOf(node, rt) }),
    test('exists', {
      positional: [{ name: 'names', type: 'string-list' }],
      evaluate: (node, rt) => rt.list(node, 'names').every((name) => rt.field(name).raw.length > 0),
      compile: compileExists,
    }),
    test('size', {
      tags: [
        { name: 'over', extension: null, group: 'size' },
        { name: 'under', extension: null, group: 'size' },
      ],
      positional: [{ name: 'limit', type: 'number' }],
      validate: sizeLimit,
      evaluate: (node, rt) => (node.tags.has('over') ? rt.message.size > rt.num(node, 'limit') : rt.message.size < rt.num(node, 'limit')),
      compile(node) {
        const limit = (node.args.get('limit') as NumberValue).value;
        return node.tags.has('over') ? (rt) => rt.message.size > limit : (rt) => rt.message.size < limit;
      },
    }),
    test('header', {
      groups: MATCH_GROUPS,
      positional: [
        { name: 'names', type: 'string-list' },
        { name: 'keys', type: 'string-list' },
      ],
      evaluate: (node, rt) => evaluateMatch(node, rt, headerTexts(node, rt, rt.list(node, 'names'))),
      compile: (node, ctx) => compileHeaderTest(node, ctx, 'texts'),
    }),
    test('address', {
      groups: ADDRESS_GROUPS,
      positional: [
        { name: 'names', type: 'string-list' },
        { name: 'keys', type: 'string-list' },
      ],
      evaluate: (node, rt) => evaluateMatch(node, rt, headerAddressParts(node, rt, rt.list(node, 'names'))),
      compile: (node, ctx) => compileHeaderTest(node, ctx, 'parts'),
    }),
  ],
};
