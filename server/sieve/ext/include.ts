// RFC 6609 include: include (with :personal/:global, :once, :optional), return, and global.
// Script names are constants, so every script a run may include is known at compile time and
// link.ts loads them before the run; the run itself only looks them up.

import type { Extension } from '../spec.js';
import { constantArgument } from '../validator.js';
import { defineCommand } from './define.js';
import { variableName } from './variables.js';

const NAME = 'include';
const BAD_NAME = /[/\0\r\n]/;

export const include: Extension = {
  name: NAME,
  commands: [
    defineCommand('include', {
      extension: NAME,
      tags: [
        { name: 'personal', extension: NAME, group: 'location' },
        { name: 'global', extension: NAME, group: 'location' },
        { name: 'once', extension: NAME },
        { name: 'optional', extension: NAME },
      ],
      positional: [{ name: 'script', type: 'string' }],
      validate(node, ctx) {
        const value = node.args.get('script');
        const name = constantArgument(ctx, value, 'the included script name');
        if (name === null || value === undefined) return;
        if (name === '' || BAD_NAME.test(name)) {
          ctx.error(`"${name}" is not a valid script name.`, value.position);
          return;
        }
        const location = node.tags.has('global') ? 'global' : 'personal';
        node.data.location = location;
        node.data.script = name;
        ctx.includes.push({ location, name, optional: node.tags.has('optional'), position: node.position });
      },
      run: (node, rt) => rt.include(node.data.location as 'personal' | 'global', node.data.script as string, node.tags.has('once'), node.position),
    }),
    defineCommand('return', { extension: NAME, run: (_node, rt) => rt.returnFromInclude() }),
    defineCommand('global', {
      extension: NAME,
      positional: [{ name: 'names', type: 'string-list' }],
      validate(node, ctx) {
        if (!ctx.requires.has('variables')) ctx.error('global needs require "variables".', node.position);
        const names = node.args.get('names');
        if (names?.type === 'string-list') node.data.names = names.items.map((item) => variableName(ctx, item, 'a global variable name'));
      },
      run(node, rt) {
        for (const name of node.data.names as string[]) rt.declareGlobal(name);
      },
    }),
  ],
};
