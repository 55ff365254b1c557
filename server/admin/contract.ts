// The admin contract (DESIGN §9): every configuration operation, its input schema and its output
// type. Imported by server/admin (implementation and transports), main/ (IPC relay) and renderer/
// (forms validate with the same schemas), so this file and contract/ must stay browser-safe: zod and
// types only. Each area keeps its schemas, views and slice of AdminApi in contract/<area>.ts; this
// module merges them and is the one place callers import from.
import type { z } from 'zod';
import type { LogLevel, LogRow } from '../store/log.js';
import type { BusEvents } from '../events.js';
import { AccessSchemas, type AccessApi } from './contract/access.js';
import { AuthBanSchemas, type AuthBanApi } from './contract/auth-bans.js';
import { BackupSchemas, type BackupApi, type BackupProgress } from './contract/backup.js';
import { DirectorySchemas, type DirectoryApi } from './contract/directory.js';
import { DnsCheckSchemas, type DnsCheckApi } from './contract/dns-check.js';
import { MailRuleSchemas, type MailRulesApi } from './contract/mail-rules.js';
import { ImportSchemas, type ImportApi, type ImportRunView } from './contract/moving-in.js';
import { OutboundSchemas, type OutboundApi } from './contract/outbound.js';
import { SetupSchemas, type SetupApi } from './contract/setup.js';
import { SpamSchemas, type SpamApi } from './contract/spam.js';
import { SystemSchemas, type SystemApi } from './contract/system.js';
import { SharedSchemas, type SharedApi } from './contract/shared.js';

export { SettingsSchema, SettingsPatchSchema, RelayHostSchema, IpLiteralSchema, DnsServerSchema, type Settings, type SettingProblem } from '../settings.js';
/** The listeners' names, as in the `ports` setting (the GUI's name for settings.ts PORT_NAMES). */
export { PORT_NAMES as LISTENER_NAMES, DEFAULT_PORTS } from '../settings.js';
export * from './contract/access.js';
export * from './contract/auth-bans.js';
export * from './contract/backup.js';
export * from './contract/directory.js';
export * from './contract/dns-check.js';
export * from './contract/mail-rules.js';
export * from './contract/moving-in.js';
export * from './contract/outbound.js';
export * from './contract/setup.js';
export * from './contract/spam.js';
export * from './contract/system.js';
export * from './contract/shared.js';
export type { Page } from './contract/fields.js';

export const AdminSchemas = {
  ...SystemSchemas,
  ...AccessSchemas,
  ...DirectorySchemas,
  ...OutboundSchemas,
  ...SetupSchemas,
  ...SpamSchemas,
  ...AuthBanSchemas,
  ...MailRuleSchemas,
  ...BackupSchemas,
  ...ImportSchemas,
  ...DnsCheckSchemas,
  ...SharedSchemas,
} as const;

export type AdminMethod = keyof typeof AdminSchemas;
export type AdminInput<M extends AdminMethod> = z.input<(typeof AdminSchemas)[M]>;

export interface AdminApi extends SystemApi, AccessApi, DirectoryApi, OutboundApi, SetupApi, SpamApi, AuthBanApi, MailRulesApi, BackupApi, ImportApi, DnsCheckApi, SharedApi {}

/** What the GUI's live views receive (over SSE in the browser, over IPC in the desktop app). */
export type LiveEvent =
  | { type: 'log'; row: LogRow }
  | { type: 'listener'; event: BusEvents['listener'] }
  | { type: 'bounce'; event: BusEvents['bounce'] }
  | { type: 'backup'; event: BackupProgress }
  | { type: 'import'; event: ImportRunView };

/** Errors every transport maps the same way: `invalid` → 400, `not-found` → 404, `conflict` → 409. */
export type AdminErrorCode = 'invalid' | 'not-found' | 'conflict';

export class AdminError extends Error {
  override name = 'AdminError';
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type { LogLevel, LogRow };
