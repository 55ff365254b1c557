// `mailroom config list|get|set|unset`: the server's settings from the command line, as Postfix's
// `postconf`/`postconf -e` do it, so a headless install never needs the GUI. KEY is a setting
// (`hostname`, `dnsServers`) or one field of an object setting (`ports.smtp`, `limits.maxRecipients`,
// `relayHost.host`). VALUE is read as the setting's type says (a number, true/false, a comma-separated
// list, JSON for a whole object) and then validated by the admin service exactly as a GUI change is.
import type { Command } from 'commander';
import type { z } from 'zod';
import { AdminError, SettingsSchema, type Settings } from '../../admin/contract.js';
import { parseSize } from '../../admin/size.js';
import { defaultSettings, type SettingsPatch } from '../../settings.js';
import { UsageError } from './errors.js';
import { withSession, type CliEnv } from './session.js';

/** Read when the server starts; a running server keeps the old value until then. */
const READ_AT_START = ['ports', 'listenHost', 'adminHost', 'autoconfigEnabled'];
const SECRET = ['relayHost.password', 'spam.rspamdPassword'];

export function registerConfig(program: Command, env: CliEnv) {
  const config = program
    .command('config')
    .description('server settings (like postconf): list, get, set and unset KEY, e.g. ports.smtp, limits.maxRecipients, dnsServers');

  config
    .command('list')
    .description('every setting, one "key = value" line each')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const settings = await api.getSettings({});
        if (out.json) return out.io.print(JSON.stringify(settings));
        for (const [key, value] of flatten(settings)) out.io.print(`${key} = ${SECRET.includes(key) && value !== undefined ? '(set)' : show(value)}`);
      }),
    );

  config
    .command('get')
    .description('one setting')
    .argument('<key>', 'a setting, or a field of one (ports.smtp)')
    .action((key: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const path = keyPath(key);
        const value = valueAt(await api.getSettings({}), path);
        out.io.print(out.json ? JSON.stringify(value ?? null) : show(value));
      }),
    );

  config
    .command('set')
    .description('change a setting (validated as the GUI validates it)')
    .argument('<key>', 'a setting, or a field of one (ports.smtp)')
    .argument('<value>', 'a number, true/false, a comma-separated list, a size (25M) for byte limits, or JSON')
    .action((key: string, text: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const path = keyPath(key);
        const value = coerce(key, schemaAt(path), text);
        const settings = await labelled(key, () => api.updateSettings(patchOf(path, value)));
        out.item(valueAt(settings, path) ?? null, `${key} = ${SECRET.includes(key) ? '(set)' : show(valueAt(settings, path))}${restartNote(path)}`);
      }),
    );

  config
    .command('unset')
    .description('put a setting back to its default')
    .argument('<key>', 'a setting, or a field of one (ports.smtp)')
    .action((key: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const path = keyPath(key);
        const settings = await labelled(key, () => api.updateSettings(patchOf(path, valueAt(defaultSettings(), path) ?? null)));
        out.item(valueAt(settings, path) ?? null, `${key} = ${show(valueAt(settings, path))} (the default)${restartNote(path)}`);
      }),
    );
}

type Path = [keyof Settings] | [keyof Settings, string];

function keyPath(key: string): Path {
  const [top, field, ...rest] = key.split('.');
  if (!Object.hasOwn(SettingsSchema.shape, top) || rest.length > 0) throw new UsageError(`unknown setting "${key}" (see mailroom config list)`);
  if (field === undefined) return [top as keyof Settings];
  const shape = objectShape(SettingsSchema.shape[top as keyof Settings]);
  if (!shape || !Object.hasOwn(shape, field)) throw new UsageError(`unknown setting "${key}" (see mailroom config list)`);
  return [top as keyof Settings, field];
}

function schemaAt(path: Path): z.ZodType {
  const top = SettingsSchema.shape[path[0]] as z.ZodType;
  return path.length === 1 ? top : objectShape(top)![path[1]];
}

/** The type under defaults, nullables and pipes (`string`, `number`, `object`, …) and whether null is allowed. */
function kindOf(schema: z.ZodType): { type: string; nullable: boolean; shape?: Record<string, z.ZodType> } {
  let def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };
  let nullable = false;
  for (;;) {
    if (def.type === 'nullable') nullable = true;
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    if (inner === undefined) return { type: def.type, nullable, shape: def.shape };
    def = inner._zod.def as typeof def;
  }
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  return kindOf(schema).shape;
}

/** VALUE as the setting's type reads it; what it means is left to the schema (exit 1 with its sentence). */
function coerce(key: string, schema: z.ZodType, text: string): unknown {
  const { type, nullable } = kindOf(schema);
  if (nullable && /^(null|none)$/i.test(text.trim())) return null;
  switch (type) {
    case 'number':
      if (/Bytes$/.test(key) && /^\s*\d+(\.\d+)?\s*[KMGT]/i.test(text)) return parseSize(text);
      if (!/^\s*-?\d+(\.\d+)?\s*$/.test(text)) throw new UsageError(`${key} is a number, not "${text}"`);
      return Number(text);
    case 'boolean':
      if (/^(true|yes|on|1)$/i.test(text.trim())) return true;
      if (/^(false|no|off|0)$/i.test(text.trim())) return false;
      throw new UsageError(`${key} is true or false, not "${text}"`);
    case 'array':
      if (text.trim().startsWith('[')) return json(key, text);
      return text.split(',').map((t) => t.trim()).filter((t) => t !== '');
    case 'object':
      return json(key, text);
    default:
      return text;
  }
}

function json(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${key} takes JSON here (for example '{"host":"smtp.example.net","port":587}'), not "${text}"`);
  }
}

function patchOf(path: Path, value: unknown): SettingsPatch {
  return (path.length === 1 ? { [path[0]]: value } : { [path[0]]: { [path[1]]: value } }) as SettingsPatch;
}

function valueAt(settings: Settings, path: Path): unknown {
  const top = settings[path[0]] as unknown;
  if (path.length === 1) return top;
  return top === null || typeof top !== 'object' ? undefined : (top as Record<string, unknown>)[path[1]];
}

function* flatten(settings: Settings): Generator<[string, unknown]> {
  for (const [key, value] of Object.entries(settings)) {
    const shape = objectShape(SettingsSchema.shape[key as keyof Settings]);
    if (shape && value !== null) for (const field of Object.keys(shape)) yield [`${key}.${field}`, (value as Record<string, unknown>)[field]];
    else yield [key, value];
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function restartNote(path: Path): string {
  return READ_AT_START.includes(path[0]) ? ' (takes effect at the next start)' : '';
}

/** Refusals name the setting they are about. */
async function labelled<T>(key: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof AdminError) throw new AdminError(error.code, `${key}: ${error.message}`, error.field);
    throw error;
  }
}
