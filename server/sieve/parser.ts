// The Sieve parser (RFC 5228 §8.2): tokens to a tree of commands, tests and arguments.
//
// Invariants:
// - Grammar only: a command is an identifier, arguments, an optional test or test list, then ";"
//   or a block; unknown names are left to the validator.
// - Errors name what was expected and where; the first one ends parsing (later ones would
//   mostly be echoes of it).
// - Nesting deeper than MAX_NESTING_DEPTH (blocks and tests together) is refused, so recursion
//   depth is bounded whatever the input.

import type { Argument, CommandNode, StringArgument, TestNode } from './ast.js';
import { SieveError, type Position } from './errors.js';
import { MAX_NESTING_DEPTH } from './limits.js';
import { tokenize, type Token } from './lexer.js';

function at(t: Token): Position {
  return { line: t.line, column: t.column };
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'the end of the script';
    case 'punct':
      return `"${t.text}"`;
    case 'tag':
      return `tag ":${t.text}"`;
    case 'string':
      return 'a string';
    case 'number':
      return `number ${t.text}`;
    case 'identifier':
      return `"${t.text}"`;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private get peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isPunct(c: string): boolean {
    return this.peek.type === 'punct' && this.peek.text === c;
  }

  private expectPunct(c: string, what: string): void {
    if (!this.isPunct(c)) throw new SieveError(`expected ${what} but found ${describe(this.peek)}.`, at(this.peek));
    this.i++;
  }

  private depthCheck(depth: number, t: Token): void {
    if (depth > MAX_NESTING_DEPTH) throw new SieveError(`nesting deeper than ${MAX_NESTING_DEPTH} levels.`, at(t));
  }

  script(): CommandNode[] {
    const commands = this.commands(0);
    if (this.peek.type !== 'eof') throw new SieveError(`expected a command but found ${describe(this.peek)}.`, at(this.peek));
    return commands;
  }

  private commands(depth: number): CommandNode[] {
    const list: CommandNode[] = [];
    while (this.peek.type === 'identifier') list.push(this.command(depth));
    return list;
  }

  private command(depth: number): CommandNode {
    const start = this.next();
    const { args, tests, testList } = this.arguments(depth);
    const position = at(start);
    if (this.isPunct(';')) {
      this.i++;
      return { name: start.text, args, tests, testList, block: null, position };
    }
    if (this.isPunct('{')) {
      const open = this.next();
      this.depthCheck(depth + 1, open);
      const block = this.commands(depth + 1);
      if (!this.isPunct('}')) {
        const found = this.peek.type === 'eof' ? `the end of the script (the block opened at line ${open.line} is not closed)` : describe(this.peek);
        throw new SieveError(`expected "}" or a command but found ${found}.`, at(this.peek));
      }
      this.i++;
      return { name: start.text, args, tests, testList, block, position };
    }
    throw new SieveError(`expected ";" or "{" after command "${start.text}" but found ${describe(this.peek)}.`, at(this.peek));
  }

  private arguments(depth: number): { args: Argument[]; tests: TestNode[]; testList: boolean } {
    const args: Argument[] = [];
    for (;;) {
      const t = this.peek;
      if (t.type === 'tag') {
        this.i++;
        args.push({ type: 'tag', name: t.text, position: at(t) });
      } else if (t.type === 'number') {
        this.i++;
        args.push({ type: 'number', value: t.value, position: at(t) });
      } else if (t.type === 'string') {
        args.push(this.string());
      } else if (this.isPunct('[')) {
        args.push(this.stringList());
      } else break;
    }
    if (this.peek.type === 'identifier') return { args, tests: [this.test(depth + 1)], testList: false };
    if (this.isPunct('(')) return { args, tests: this.testList(depth + 1), testList: true };
    return { args, tests: [], testList: false };
  }

  private string(): StringArgument {
    const t = this.next();
    return { type: 'string', value: t.text, multiline: t.multiline, position: at(t) };
  }

  private stringList(): Argument {
    const open = this.next();
    const items: StringArgument[] = [];
    for (;;) {
      if (this.peek.type !== 'string') throw new SieveError(`expected a string in the list but found ${describe(this.peek)}.`, at(this.peek));
      items.push(this.string());
      if (this.isPunct(']')) break;
      this.expectPunct(',', '"," or "]"');
    }
    this.i++;
    return { type: 'string-list', items, position: at(open) };
  }

  private test(depth: number): TestNode {
    const t = this.peek;
    this.depthCheck(depth, t);
    if (t.type !== 'identifier') throw new SieveError(`expected a test but found ${describe(t)}.`, at(t));
    this.i++;
    const { args, tests, testList } = this.arguments(depth);
    return { name: t.text, args, tests, testList, position: at(t) };
  }

  private testList(depth: number): TestNode[] {
    this.i++;
    const tests: TestNode[] = [];
    for (;;) {
      tests.push(this.test(depth));
      if (this.isPunct(')')) break;
      this.expectPunct(',', '"," or ")"');
    }
    this.i++;
    return tests;
  }
}

/** Parses a script; throws SieveError (with line and column) at the first syntax error. */
export function parseScript(source: string): CommandNode[] {
  return new Parser(tokenize(source)).script();
}
