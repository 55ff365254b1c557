// RFC 5230 vacation and RFC 6131 vacation-seconds: the vacation action with its parameters
// resolved (period in seconds, default handle). Whether a reply is actually sent is decided by
// vacation-reply.ts when delivery carries the action out.
//
// Invariants: :days and :seconds exclude each other; :days is at least 1 (RFC 5230 §4.1), the
// period is cut to [VACATION_MIN_PERIOD, VACATION_MAX_PERIOD]; without :handle the handle is a
// digest of reason, subject, from and :mime, so a changed text gets replied to again (§4.2).

import { createHash } from 'node:crypto';
import { VACATION_DEFAULT_DAYS, VACATION_MAX_PERIOD, VACATION_MIN_PERIOD } from '../limits.js';
import { parseAddresses } from '../match-test.js';
import type { Extension } from '../spec.js';
import { defineCommand } from './define.js';

const DAY = 24 * 3600;

function period(days: number | null, seconds: number | null): number {
  const value = seconds ?? Math.max(1, days ?? VACATION_DEFAULT_DAYS) * DAY;
  return Math.min(VACATION_MAX_PERIOD, Math.max(VACATION_MIN_PERIOD, value));
}

export const vacation: Extension = {
  name: 'vacation',
  commands: [
    defineCommand('vacation', {
      extension: 'vacation',
      tags: [
        { name: 'days', extension: 'vacation', param: 'number', group: 'period' },
        { name: 'seconds', extension: 'vacation-seconds', param: 'number', group: 'period' },
        { name: 'subject', extension: 'vacation', param: 'string' },
        { name: 'from', extension: 'vacation', param: 'string' },
        { name: 'addresses', extension: 'vacation', param: 'string-list' },
        { name: 'mime', extension: 'vacation' },
        { name: 'handle', extension: 'vacation', param: 'string' },
      ],
      positional: [{ name: 'reason', type: 'string' }],
      validate(node, ctx) {
        const from = node.tags.get('from');
        const text = from?.type === 'string' ? from.constant : null;
        if (from?.type === 'string' && text !== null && parseAddresses(text).length !== 1) {
          ctx.error(`vacation :from "${text}" is not one valid address.`, from.position);
        }
      },
      run(node, rt) {
        const reason = rt.str(node, 'reason');
        const subject = rt.tagStr(node, 'subject');
        const from = rt.tagStr(node, 'from');
        const mime = node.tags.has('mime');
        const handle =
          rt.tagStr(node, 'handle') ??
          createHash('sha256').update(JSON.stringify([reason, subject, from, mime])).digest('hex').slice(0, 32);
        rt.addAction({
          type: 'vacation',
          reason,
          mime,
          subject,
          from,
          addresses: rt.tagList(node, 'addresses') ?? [],
          handle,
          periodSeconds: period(rt.tagNum(node, 'days'), rt.tagNum(node, 'seconds')),
          position: node.position,
        });
      },
    }),
  ],
};

export const vacationSeconds: Extension = { name: 'vacation-seconds', implies: ['vacation'] };
