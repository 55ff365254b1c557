// Date header parsing (RFC 5322 §3.3 with the obsolete forms of §4.3) for SEARCH SENTBEFORE/
// SENTON/SENTSINCE and SORT DATE.
//
// Invariants:
// - Returns epoch milliseconds (or, from parseDateDay, the calendar day as written in the sender's
//   own zone, for SENT* keys: RFC 3501 "disregarding time and timezone"), or null when no calendar
//   date can be read; never throws.
// - Tolerant: comments anywhere, missing or misplaced day name, 2- and 3-digit years
//   (RFC 5322 §4.3: < 50 is 20xx, otherwise 19xx / +1900), missing seconds, fractional seconds,
//   a zone without sign ("0000"), the obsolete zone names; an unknown or missing zone is +0000.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};

function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

function zoneOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const numeric = /^([+-]?)(\d{2})(\d{2})$/.exec(token);
  if (numeric !== null) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONES[token.toLowerCase()] ?? 0;
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  zone: string | undefined;
}

function parseParts(value: string): DateParts | null {
  const tokens = stripComments(value).split(/[\s,]+/).filter((t) => t !== '');
  let i = 0;
  if (i < tokens.length && /^[a-z]+\.?$/i.test(tokens[i]) && !MONTHS.includes(tokens[i].slice(0, 3).toLowerCase())) i++;

  const day = Number(tokens[i]);
  const month = tokens[i + 1] === undefined ? -1 : MONTHS.indexOf(tokens[i + 1].slice(0, 3).toLowerCase());
  if (!/^\d{1,2}$/.test(tokens[i] ?? '') || month < 0 || !/^\d{2,4}$/.test(tokens[i + 2] ?? '')) return null;
  let year = Number(tokens[i + 2]);
  if (tokens[i + 2].length === 2) year += year < 50 ? 2000 : 1900;
  else if (tokens[i + 2].length === 3) year += 1900;
  i += 3;

  let hour = 0;
  let minute = 0;
  let second = 0;
  const time = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(tokens[i] ?? '');
  if (time !== null) {
    hour = Number(time[1]);
    minute = Number(time[2]);
    second = time[3] === undefined ? 0 : Number(time[3]);
    i++;
  }
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  return { year, month, day, hour, minute, second, zone: tokens[i] };
}

export function parseDate(value: string): number | null {
  const p = parseParts(value);
  if (p === null) return null;
  const ms = Date.UTC(p.year, p.month, p.day, p.hour, p.minute, p.second) - zoneOffset(p.zone) * 60_000;
  return Number.isFinite(ms) ? ms : null;
}

/** The calendar day of a Date header in its own zone, as `YYYY-MM-DD`, or null. */
export function parseDateDay(value: string): string | null {
  const p = parseParts(value);
  if (p === null) return null;
  const ms = Date.UTC(p.year, p.month, p.day);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : null;
}
