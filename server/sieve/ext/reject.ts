// RFC 5429 reject and ereject: refuse the message with a reason. Whether the refusal becomes an
// SMTP error or a DSN is delivery's choice (RFC 5429 §2.1); ereject asks for the SMTP error.

import type { Extension } from '../spec.js';
import { defineCommand } from './define.js';

function rejectExtension(name: 'reject' | 'ereject'): Extension {
  return {
    name,
    commands: [
      defineCommand(name, {
        extension: name,
        positional: [{ name: 'reason', type: 'string' }],
        run: (node, rt) => rt.addAction({ type: 'reject', reason: rt.str(node, 'reason'), extended: name === 'ereject', position: node.position }),
      }),
    ],
  };
}

export const reject = rejectExtension('reject');
export const ereject = rejectExtension('ereject');
