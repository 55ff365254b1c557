// The wizard's step contract: what each step saved (so Back re-opens it with its values and saving
// again edits what it made instead of adding a second one) and the props every step gets. Types only.
import type { z } from 'zod';
import type { ListenerName } from '../../../server/admin/contract.js';
import type { networkSchema, userSchema } from './schema.js';

export type UserValues = z.input<typeof userSchema>;
export type NetworkValues = z.input<typeof networkSchema>;
export type TlsValues = { mode: 'keep' | 'renew' | 'import'; certPem: string; keyPem: string };
export type RelayValues = { mode: 'direct' | 'relay'; host: string; port: number | string; tls: 'starttls' | 'implicit' | 'none'; username: string; password: string };

/** What each step saved, by step id. `created` says whether the wizard made it (and may replace it). */
export interface StepResults {
  'admin-password': { set: true };
  hostname: { hostname: string };
  domain: { name: string; displayName: string; created: boolean };
  user: { values: UserValues; address: string; created: boolean };
  /** `cidr` null: only this machine is trusted. */
  network: { values: NetworkValues; cidr: string | null; created: boolean; openRelay: boolean };
  tls: { values: TlsValues; message?: string; selfSigned: boolean };
  relay: { values: RelayValues };
  ports: { ports: Record<ListenerName, number> };
}

export type StepId = keyof StepResults;

/** The wizard's buttons, which each step's form shows under its fields. */
export interface StepNav {
  /** Absent on the first step (and on the one after the admin password: that cannot be undone). */
  back?: () => void;
  last: boolean;
  /** Whether "Finish later" is offered (not before the admin password exists). */
  finishLater: boolean;
}

export interface StepProps<Id extends StepId> {
  /** What this step saved the last time it was passed, when Back brought the admin here again. */
  previous: StepResults[Id] | undefined;
  /** What the steps before it saved. */
  results: Partial<StepResults>;
  nav: StepNav;
  onSaved(result: StepResults[Id]): void;
}
