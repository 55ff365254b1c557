// Status, settings, the log, the doctor and the dashboard's activity: the admin contract's system area.
import { z } from 'zod';
import { SettingsPatchSchema, type Settings } from '../../settings.js';
import type { LogRow } from '../../store/log.js';
import type { NodeInfo } from '../../store/index.js';
import type { ActivityCounts } from '../../mail-activity.js';
import type { InputOf } from './fields.js';

export const SystemSchemas = {
  getStatus: z.object({}),
  getSettings: z.object({}),
  updateSettings: SettingsPatchSchema,
  queryLog: z.object({
    afterId: z.number().int().optional(),
    /** The newest `limit` rows older than this id ("load older"). */
    beforeId: z.number().int().optional(),
    since: z.number().int().optional(),
    until: z.number().int().optional(),
    level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
    component: z.string().optional(),
    event: z.string().optional(),
    sessionId: z.string().optional(),
    queueId: z.string().optional(),
    messageId: z.string().optional(),
    text: z.string().optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  }),
  /** `mailroom doctor` and the dashboard's health panel; `integrity` also runs the database check (slow on big stores). */
  runDoctor: z.object({ integrity: z.boolean().default(false) }),
  /** Hourly counters for the last `hours`, and daily ones for the last `days` (days start at local midnight: `utcOffsetMinutes` east of UTC). */
  getActivity: z.object({
    hours: z.number().int().min(1).max(24 * 7).default(24),
    days: z.number().int().min(1).max(366).default(14),
    utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
  }),
} as const;

type In<M extends keyof typeof SystemSchemas> = InputOf<typeof SystemSchemas, M>;

export interface StatusView {
  version: string;
  hostname: string;
  startedAt: number;
  listeners: Record<string, number>;
  /** Mail listeners that could not bind at the last start, with the system's reason (they are off). */
  failedListeners?: Record<string, string>;
  domains: number;
  accounts: number;
  queue: number;
  /** SQLite only: the full-text search index's background fill of messages stored before it (issue 17). */
  searchIndex?: { pending: number; total: number; running: boolean };
  /** PostgreSQL only: the Mailroom nodes sharing the database, by their heartbeats (issue 19). */
  nodes?: NodeView[];
}

/** A node sharing the database: alive while its heartbeat is fresh; `self` is the node answering. */
export type NodeView = NodeInfo;

export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One finding of the doctor: what was checked, how it stands, and what to do about it. */
export interface DoctorCheck {
  /** Stable: relay, certificate, permissions, disk, listeners, settings, dns, records, queue, quota, logins, integrity. */
  id: string;
  title: string;
  status: DoctorStatus;
  detail: string;
  /** What to do (a command, or where in the GUI), when the status is not ok. */
  fix?: string;
}

export interface DoctorReport {
  /** The worst status among the checks. */
  status: DoctorStatus;
  checks: DoctorCheck[];
  checkedAt: number;
}

/** One bar of the chart: the counters of the hour or day starting at `start` (epoch ms). */
export interface ActivityBucket extends ActivityCounts {
  start: number;
}

export interface ActivityView {
  /** Oldest first, ending with the current hour. */
  hourly: ActivityBucket[];
  /** Oldest first, ending with today. */
  daily: ActivityBucket[];
}

export interface SystemApi {
  getStatus(input?: In<'getStatus'>): Promise<StatusView>;
  getSettings(input?: In<'getSettings'>): Promise<Settings>;
  updateSettings(input: In<'updateSettings'>): Promise<Settings>;
  queryLog(input?: In<'queryLog'>): Promise<LogRow[]>;
  /** Health checks with a fix for each problem (relay exposure, certificate, disk, listeners, settings, DNS, queue, …). */
  runDoctor(input?: In<'runDoctor'>): Promise<DoctorReport>;
  /** Received, delivered, deferred, bounced, rejected and auth failures per hour and per day, from the server's counters. */
  getActivity(input?: In<'getActivity'>): Promise<ActivityView>;
}
