// Where a milter listens, in Postfix's notation: `inet:host:port` (host may be `[v6]`) or
// `unix:/path`. Parsing fails with a MilterConfigError naming the bad part.
import { MilterConfigError } from './errors.js';

export type MilterEndpoint =
  | { readonly kind: 'inet'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

export function parseEndpoint(text: string): MilterEndpoint {
  const colon = text.indexOf(':');
  const transport = colon < 0 ? '' : text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (transport === 'unix' || transport === 'local') {
    if (rest === '') throw new MilterConfigError(`milter endpoint ${JSON.stringify(text)} has no socket path`);
    return { kind: 'unix', path: rest };
  }
  if (transport === 'inet') {
    const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(rest);
    const port = match ? Number(match[3]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new MilterConfigError(`milter endpoint ${JSON.stringify(text)} must be inet:HOST:PORT with a port from 1 to 65535`);
    }
    return { kind: 'inet', host: match[1] ?? match[2], port };
  }
  throw new MilterConfigError(`milter endpoint ${JSON.stringify(text)} must start with inet: or unix:`);
}
