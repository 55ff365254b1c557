// Argument and option parsers for commander: each turns the text into the value the admin contract
// takes and checks it with the contract's schema, so a malformed value is a usage error (exit 2) with
// the schema's sentence before any data is touched.
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { parseSize } from '../../admin/size.js';
import { parsePort } from '../port-flags.js';

const usage = (fn: (text: string) => unknown) => (text: string) => {
  try {
    return fn(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

/** `500M`, `2G`, `0` → bytes. */
export const sizeArgument = usage(parseSize) as (text: string) => number;

/** 0–65535 (0 = any free port). */
export const portArgument = usage(parsePort) as (text: string) => number;

/** A whole number checked by `schema` (a rule id, a position, a log limit). */
export function integerArgument(schema: z.ZodType<number | undefined>) {
  return usage((text) => {
    if (!/^-?\d+$/.test(text.trim())) throw new Error(`"${text}" is not a whole number.`);
    const checked = schema.safeParse(Number(text));
    if (!checked.success) throw new Error(checked.error.issues[0].message);
    return checked.data;
  }) as (text: string) => number;
}

/** For repeatable options (`--ip A --ip B`): collects every value in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `30s`, `500ms`, `2m`, `1h` (a bare number is seconds, as Postfix's time units) → milliseconds. */
export const durationArgument = usage((text) => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration (for example 30s, 500ms, 2m).`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[(m[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}) as (text: string) => number;
