// `--<listener>-port N` as both hosts take it (`mailroom serve`, and the Electron utility process that
// main starts with the same flags): one parser, validated with the run-port schema (0 = any free port).
import { RunPortSchema } from '../settings.js';
import { PORT_NAMES, type PortName } from '../settings.js';

/** The port in `text`, or an Error whose message says why it is not one. */
export function parsePort(text: string): number {
  const checked = RunPortSchema.safeParse(/^\d+$/.test(text.trim()) ? Number(text) : NaN);
  if (!checked.success) throw new Error(`"${text}" is not a port: ${checked.error.issues[0].message}`);
  return checked.data;
}

/** The ports named by `--<listener>-port` values (strings as parseArgs leaves them); absent ones are left out. */
export function portFlags(values: Record<string, unknown>): Partial<Record<PortName, number>> {
  const ports: Partial<Record<PortName, number>> = {};
  for (const name of PORT_NAMES) {
    const raw = values[`${name}-port`];
    if (typeof raw === 'string') ports[name] = parsePort(raw);
  }
  return ports;
}
