// Field schemas several admin areas share (browser-safe: zod only).
import { z } from 'zod';

/** The input type of one method of an area's schema table (kept per area so no area imports contract.ts back). */
export type InputOf<S, K extends keyof S> = S[K] extends z.ZodType ? z.input<S[K]> : never;

export const text = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, `${what} is required.`);
export const bytes = z.number().int().min(0, 'A size cannot be negative.');
