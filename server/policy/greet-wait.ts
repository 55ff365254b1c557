// Whether a client waits for its 220 greeting (early-talker detection, Postfix postscreen's
// greet_wait): only on the MX listener, only for clients outside every trusted network, and only
// when the admin configured a pause. The SMTP listener and the rule tester both ask here.
import type { TrustedNetwork } from './networks.js';

export function greetPauseMs(scope: { mx: boolean; network: TrustedNetwork | null; configuredMs: number }): number {
  return scope.mx && scope.network === null ? scope.configuredMs : 0;
}
