// The Sieve syntax tree (RFC 5228 §8.2) as the parser builds it: untyped commands and tests with
// their arguments in written order, each with the position it starts at. Meaning (which tag takes
// a value, which command needs a block) is the validator's business, not the tree's.

import type { Position } from './errors.js';

export interface StringArgument {
  type: 'string';
  value: string;
  multiline: boolean;
  position: Position;
}

export interface StringListArgument {
  type: 'string-list';
  items: StringArgument[];
  position: Position;
}

export interface NumberArgument {
  type: 'number';
  value: number;
  position: Position;
}

export interface TagArgument {
  type: 'tag';
  /** Lower-case, without the ':'. */
  name: string;
  position: Position;
}

export type Argument = StringArgument | StringListArgument | NumberArgument | TagArgument;

export interface TestNode {
  /** Lower-case identifier. */
  name: string;
  args: Argument[];
  /** Nested tests: one for `not`, a parenthesised list for `allof`/`anyof`. */
  tests: TestNode[];
  /** True when the tests were written as a "( ... )" list. */
  testList: boolean;
  position: Position;
}

export interface CommandNode {
  name: string;
  args: Argument[];
  tests: TestNode[];
  testList: boolean;
  /** The "{ ... }" block, or null when the command ended with ";". */
  block: CommandNode[] | null;
  position: Position;
}
