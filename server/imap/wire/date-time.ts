// IMAP dates (RFC 3501 §9): `date` (`1-Feb-1994`, SEARCH keys) and `date-time`
// (`17-Jul-1996 02:44:25 -0700`, APPEND and INTERNALDATE).
//
// Invariants: a `date` has no time or zone, so it is kept as the calendar day `YYYY-MM-DD` (SEARCH
// compares days, RFC 3501 §6.4.4); a `date-time` is an instant (Date). Parsing rejects impossible
// calendar values (31-Feb, 25:00) instead of letting Date roll them over.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_INDEX = new Map(MONTHS.map((m, i) => [m.toUpperCase(), i]));

// date-text = date-day "-" date-month "-" date-year; date-day = 1*2DIGIT
const DATE = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;
// date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
// date-day-fixed = (SP DIGIT) / 2DIGIT — a single digit without the space is accepted too.
const DATE_TIME = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

function validDay(year: number, month: number, day: number): boolean {
  return day >= 1 && day <= new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A `date-text` as `YYYY-MM-DD`, or null. */
export function parseImapDate(text: string): string | null {
  const m = DATE.exec(text);
  const month = m === null ? undefined : MONTH_INDEX.get(m[2].toUpperCase());
  if (m === null || month === undefined) return null;
  const [day, year] = [Number(m[1]), Number(m[3])];
  if (!validDay(year, month, day)) return null;
  return `${m[3]}-${two(month + 1)}-${two(day)}`;
}

/** A `date-time` (without its quotes) as an instant, or null. */
export function parseImapDateTime(text: string): Date | null {
  const m = DATE_TIME.exec(text);
  const month = m === null ? undefined : MONTH_INDEX.get(m[2].toUpperCase());
  if (m === null || month === undefined) return null;
  const [day, year, hour, minute, second] = [m[1], m[3], m[4], m[5], m[6]].map(Number);
  const [zoneHours, zoneMinutes] = [Number(m[8]), Number(m[9])];
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 60 || zoneMinutes > 59) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  // A leap second (60) is folded into the next minute: Date has no leap seconds.
  return new Date(Date.UTC(year, month, day, hour, minute, second) - offset * 60_000);
}

/** An instant as a `date-time` (without quotes) in the zone `offsetMinutes` east of UTC. */
export function formatImapDateTime(instant: Date | number, offsetMinutes = 0): string {
  const local = new Date((typeof instant === 'number' ? instant : instant.getTime()) + offsetMinutes * 60_000);
  const day = local.getUTCDate();
  const zone = Math.abs(offsetMinutes);
  return (
    `${day < 10 ? ` ${day}` : day}-${MONTHS[local.getUTCMonth()]}-${String(local.getUTCFullYear()).padStart(4, '0')} ` +
    `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ` +
    `${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(zone / 60))}${two(zone % 60)}`
  );
}
