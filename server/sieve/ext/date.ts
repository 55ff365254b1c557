// RFC 5260 date and index: the date and currentdate tests with their date parts and zones, and
// :index/:last on header, address and date.
//
// Invariants:
// - A date header is read with server/mime's parseDate; the Received header's date is the text
//   after its last ";" (RFC 5260 §4.1). An unreadable date yields no value, so the test fails.
// - Without :zone or :originalzone, dates are shown in the environment's zone (default UTC).
// - Date part names and :zone values are checked at compile time when constant.

import { parseDate } from '../../mime/date.js';
import { evaluateMatch, headerText, selectIndex } from '../match-test.js';
import type { Extension, ValidatedNode, ValidationContext } from '../spec.js';
import { MATCH_GROUPS } from './base.js';
import { defineTest } from './define.js';

const PARTS = ['year', 'month', 'day', 'date', 'julian', 'hour', 'minute', 'second', 'time', 'iso8601', 'std11', 'zone', 'weekday'];
const ZONE = /^([+-])(\d{2})(\d{2})$/;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MJD_EPOCH_DAYS = 40587; // 1970-01-01 as a Modified Julian Day

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function zoneText(offset: number, colon: boolean): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

/** The named part of the instant `ms` seen in the zone `offset` (minutes east of UTC). */
export function datePart(ms: number, offset: number, part: string): string | null {
  const d = new Date(ms + offset * 60_000);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  switch (part.toLowerCase()) {
    case 'year':
      return pad(d.getUTCFullYear(), 4);
    case 'month':
      return pad(d.getUTCMonth() + 1);
    case 'day':
      return pad(d.getUTCDate());
    case 'date':
      return date;
    case 'julian':
      return String(Math.floor((ms + offset * 60_000) / 86_400_000) + MJD_EPOCH_DAYS);
    case 'hour':
      return pad(d.getUTCHours());
    case 'minute':
      return pad(d.getUTCMinutes());
    case 'second':
      return pad(d.getUTCSeconds());
    case 'time':
      return time;
    case 'iso8601':
      return `${date}T${time}${zoneText(offset, true)}`;
    case 'std11':
      return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ${time} ${zoneText(offset, false)}`;
    case 'zone':
      return zoneText(offset, false);
    case 'weekday':
      return String(d.getUTCDay());
    default:
      return null;
  }
}

function zoneMinutes(text: string): number | null {
  const m = ZONE.exec(text.trim());
  if (m === null) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** The zone written at the end of a date value ("... +0200 (CEST)"), UTC when absent. */
function originalZone(value: string): number {
  const m = /([+-]\d{4})\s*(?:\([^)]*\)\s*)?$/.exec(value);
  return m === null ? 0 : (zoneMinutes(m[1]) ?? 0);
}

function checkConstants(node: ValidatedNode, ctx: ValidationContext): void {
  const part = node.args.get('part');
  const partText = part?.type === 'string' ? part.constant : null;
  if (part !== undefined && partText !== null && !PARTS.includes(partText.toLowerCase())) {
    ctx.error(`"${partText}" is not a date part (${PARTS.join(', ')}).`, part.position);
  }
  const zone = node.tags.get('zone');
  const zoneValue = zone?.type === 'string' ? zone.constant : null;
  if (zone !== undefined && zone !== null && zoneValue !== null && zoneMinutes(zoneValue) === null) {
    ctx.error(`"${zoneValue}" is not a time zone like "+0100" or "-0500".`, zone.position);
  }
}

const zoneTags = [
  { name: 'zone', extension: 'date', param: 'string' as const, group: 'zone' },
  { name: 'originalzone', extension: 'date', group: 'zone' },
];

export const date: Extension = {
  name: 'date',
  tests: [
    defineTest('date', {
      extension: 'date',
      groups: MATCH_GROUPS,
      tags: zoneTags,
      positional: [
        { name: 'header', type: 'string' },
        { name: 'part', type: 'string' },
        { name: 'keys', type: 'string-list' },
      ],
      validate: checkConstants,
      evaluate(node, rt) {
        const name = rt.str(node, 'header');
        const zone = rt.tagStr(node, 'zone');
        const values: string[] = [];
        for (const raw of selectIndex(node, rt, rt.message.headerValues(name))) {
          let text = headerText(raw);
          if (name.toLowerCase() === 'received') text = text.slice(text.lastIndexOf(';') + 1);
          const ms = parseDate(text);
          if (ms === null) continue;
          const offset = node.tags.has('originalzone') ? originalZone(text) : zone !== null ? zoneMinutes(zone) : (rt.env.zoneOffsetMinutes ?? 0);
          const value = offset === null ? null : datePart(ms, offset, rt.str(node, 'part'));
          if (value !== null) values.push(value);
        }
        return evaluateMatch(node, rt, values);
      },
    }),
    defineTest('currentdate', {
      extension: 'date',
      groups: MATCH_GROUPS,
      tags: [zoneTags[0]],
      positional: [
        { name: 'part', type: 'string' },
        { name: 'keys', type: 'string-list' },
      ],
      validate: checkConstants,
      evaluate(node, rt) {
        const zone = rt.tagStr(node, 'zone');
        const offset = zone === null ? (rt.env.zoneOffsetMinutes ?? 0) : zoneMinutes(zone);
        const value = offset === null ? null : datePart(rt.env.now.getTime(), offset, rt.str(node, 'part'));
        return evaluateMatch(node, rt, value === null ? [] : [value]);
      },
    }),
  ],
};

const INDEXED = ['header', 'address', 'date'];

export const index: Extension = {
  name: 'index',
  commandTags: [
    {
      commands: INDEXED,
      tag: {
        name: 'index',
        extension: 'index',
        param: 'number',
        validate(node, ctx) {
          const value = node.tags.get('index');
          if (value?.type === 'number' && value.value < 1) ctx.error(':index counts fields from 1.', value.position);
        },
      },
    },
    {
      commands: INDEXED,
      tag: {
        name: 'last',
        extension: 'index',
        validate(node, ctx) {
          if (!node.tags.has('index')) ctx.error(':last needs :index.', node.position);
        },
      },
    },
  ],
};
