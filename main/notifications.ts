// Which live events deserve a desktop notification (issue 7): a bounce, and a listener that failed.
// Pure, so the choice is tested without Electron; main.ts shows what this returns.
import type { LiveEvent } from '../server/admin/contract.js';

export interface NotificationText {
  title: string;
  body: string;
}

export function notificationFor(event: LiveEvent): NotificationText | undefined {
  if (event.type === 'bounce') {
    return { title: 'Mail bounced', body: `A message to ${event.event.recipient} could not be delivered: ${event.event.reason}` };
  }
  if (event.type === 'listener' && event.event.state === 'failed') {
    return { title: `The ${event.event.name} listener failed`, body: event.event.error ?? 'It stopped accepting connections. Open Mailroom for details.' };
  }
  return undefined;
}
