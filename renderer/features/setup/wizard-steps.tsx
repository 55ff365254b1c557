// The wizard's steps in order, each a module under steps/ taking the props of its id
// (step-types.ts). `step()` ties a component to its id, so a step handed another step's result, or a
// missing module, is a compile error rather than a cast.
import type { ComponentType, ReactNode } from 'react';
import type { StepId, StepNav, StepProps, StepResults } from './step-types.js';
import { AdminPasswordStep } from './steps/admin-password.js';
import { HostnameStep } from './steps/hostname.js';
import { DomainStep } from './steps/domain.js';
import { UserStep } from './steps/user.js';
import { NetworkStep } from './steps/network.js';
import { TlsStep } from './steps/tls.js';
import { RelayStep } from './steps/relay.js';
import { PortsStep } from './steps/ports.js';

/** What the wizard hands the step it shows. */
export interface StepContext {
  results: Partial<StepResults>;
  nav: StepNav;
  onSaved<Id extends StepId>(id: Id, result: StepResults[Id]): void;
}

export interface WizardStep {
  id: StepId;
  label: string;
  description: string;
  render(context: StepContext): ReactNode;
}

function step<Id extends StepId>(id: Id, label: string, description: string, Component: ComponentType<StepProps<Id>>): WizardStep {
  return {
    id,
    label,
    description,
    render: ({ results, nav, onSaved }) => <Component previous={results[id]} results={results} nav={nav} onSaved={(result) => onSaved(id, result)} />,
  };
}

export const ADMIN_PASSWORD_STEP = step('admin-password', 'Admin password', 'protects this page', AdminPasswordStep);

/** The steps after the admin password (which only a headless install without one gets). */
export const SETUP_STEPS: readonly WizardStep[] = [
  step('hostname', 'Server name', 'hostname', HostnameStep),
  step('domain', 'Domain', 'first mail domain', DomainStep),
  step('user', 'First user', 'a mailbox', UserStep),
  step('network', 'Local network', 'trusted LAN', NetworkStep),
  step('tls', 'Certificate', 'TLS', TlsStep),
  step('relay', 'Outgoing mail', 'relay host', RelayStep),
  step('ports', 'Ports', 'bind test', PortsStep),
];
