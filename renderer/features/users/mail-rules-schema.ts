// The out-of-office and forwarding form (mail-rules-modal.tsx): what the switches require before
// the server sees it; the server checks the rest with the contract's VacationSchema/ForwardSchema.
import { z } from 'zod';

const DAY = /^(\d{4}-\d{2}-\d{2})?$/;

export const mailRulesFormSchema = z
  .object({
    vacationOn: z.boolean(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    start: z.string().regex(DAY, 'A date like 2026-12-24, or empty.'),
    end: z.string().regex(DAY, 'A date like 2026-12-24, or empty.'),
    days: z.number({ error: 'A number of days.' }).int('Whole days only.').min(1, 'Answer at most once per 1 to 90 days.').max(90, 'Answer at most once per 1 to 90 days.'),
    forwardOn: z.boolean(),
    forwardTo: z.string(),
    keepCopy: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.vacationOn && v.subject.trim() === '') ctx.addIssue({ code: 'custom', path: ['subject'], message: 'A subject is required.' });
    if (v.vacationOn && v.text.trim() === '') ctx.addIssue({ code: 'custom', path: ['text'], message: 'A text is required.' });
    if (v.vacationOn && v.start !== '' && v.end !== '' && v.end < v.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'The end is before the start.' });
    if (v.forwardOn && destinations(v.forwardTo).length === 0) ctx.addIssue({ code: 'custom', path: ['forwardTo'], message: 'Forward to at least one address.' });
  });

/** The addresses of the "forward to" field: separated by commas, spaces or new lines. */
export function destinations(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}
