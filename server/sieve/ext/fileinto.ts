// RFC 5228 §4.1 fileinto, RFC 5490 mailbox (:create and mailboxexists) and RFC 3894 copy.
// The mailbox name is checked only for emptiness here: whether it exists or may be created is
// delivery's decision when it carries the action out.

import type { Extension } from '../spec.js';
import { defineCommand, defineTest } from './define.js';
import { actionFlags } from './imap4flags.js';

export const fileinto: Extension = {
  name: 'fileinto',
  commands: [
    defineCommand('fileinto', {
      extension: 'fileinto',
      positional: [{ name: 'mailbox', type: 'string' }],
      run(node, rt) {
        const mailbox = rt.str(node, 'mailbox');
        if (mailbox === '') rt.fail('fileinto needs a mailbox name, not an empty string.', node.position);
        rt.addAction({
          type: 'fileinto',
          mailbox,
          flags: actionFlags(node, rt),
          create: node.tags.has('create'),
          copy: node.tags.has('copy'),
          position: node.position,
        });
      },
    }),
  ],
};

export const mailbox: Extension = {
  name: 'mailbox',
  commandTags: [{ commands: ['fileinto'], tag: { name: 'create', extension: 'mailbox' } }],
  tests: [
    defineTest('mailboxexists', {
      extension: 'mailbox',
      positional: [{ name: 'names', type: 'string-list' }],
      evaluate: (node, rt) => rt.list(node, 'names').every((name) => rt.env.mailboxExists?.(name) ?? true),
    }),
  ],
};

export const copy: Extension = {
  name: 'copy',
  commandTags: [{ commands: ['redirect', 'fileinto'], tag: { name: 'copy', extension: 'copy' } }],
};
