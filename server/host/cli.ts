#!/usr/bin/env node
// `mailroom`: the headless host (DESIGN §1). `serve` runs the whole server; every other command opens
// the same data folder's store directly and goes through the admin service, so a running server sees
// the change on its next read (no restart). Exit codes: 0 ok, 1 refused (bad input, not found,
// conflict), 2 usage, 3 internal error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { createMailServer, openContext, PORT_NAMES, type PortName } from '../index.js';
import { createAdminApi } from '../admin/api.js';
import { AdminError, type AdminApi } from '../admin/contract.js';
import { parseSize, formatSize } from '../admin/size.js';
import { defaultDataDir } from './data-dir.js';
import { queueCommand, QUEUE_USAGE } from './queue-command.js';
import { ADMIN_PASSWORD_KEY } from '../admin/admin-login.js';
import type { LogRow } from '../store/log.js';

const USAGE = `Usage: mailroom <command> [options]   (every command takes --data-dir DIR and --json)

  mailroom serve [--listen-host H] [--smtp-port N] [--submission-port N] [--submissions-port N]
                 [--imap-port N] [--imaps-port N] [--pop3-port N] [--pop3s-port N] [--admin-port N]
  mailroom domain add|list|disable|enable|remove NAME [--quota 1G] [--cascade]
  mailroom user add|list|passwd|quota|disable|enable|remove ADDRESS [--password-stdin] [--quota 500M] [--name "Full Name"]
  mailroom alias add|list|remove ADDRESS [DEST,...]
  mailroom network add|list|remove CIDR [--relay] [--description TEXT]
  mailroom transport set|list|remove DOMAIN [smtp:[HOST]:PORT|local|reject]
  mailroom rule list|add|move|remove|test ...   (see "Access rules" in the README)
  ${QUEUE_USAGE}
  mailroom admin reset-password   (forget the GUI's admin password; the next serve prints a setup link)
  mailroom log [--follow] [--limit N] [--session ID] [--queue-id ID]

Port 0 means an ephemeral port. Sizes: 500M, 2G, 0 = unlimited.`;

class UsageError extends Error {}

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'listen-host': { type: 'string' },
  'admin-host': { type: 'string' },
  ...Object.fromEntries(PORT_NAMES.map((p) => [`${p}-port`, { type: 'string' }])),
  quota: { type: 'string' },
  name: { type: 'string' },
  cascade: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  relay: { type: 'boolean' },
  description: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  limit: { type: 'string' },
  session: { type: 'string' },
  'queue-id': { type: 'string' },
  stage: { type: 'string' },
  action: { type: 'string' },
  ip: { type: 'string', multiple: true },
  helo: { type: 'string', multiple: true },
  sender: { type: 'string', multiple: true },
  recipient: { type: 'string', multiple: true },
  dnsbl: { type: 'string', multiple: true },
  authenticated: { type: 'boolean' },
  unauthenticated: { type: 'boolean' },
  trusted: { type: 'boolean' },
  untrusted: { type: 'boolean' },
  code: { type: 'string' },
  text: { type: 'string' },
  position: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string', multiple: true },
  'dnsbl-listed': { type: 'string', multiple: true },
} satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parse>['values'];
const parse = (argv: string[]) => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const [command, ...rest] = positionals;
  try {
    if (command === 'serve') return await serve(dataDir, values);
    const ctx = await openContext(dataDir);
    try {
      const api = createAdminApi({ ...ctx, log: ctx.log.child({ component: 'cli' }), status: () => ({ version: '', startedAt: 0, listeners: {} }) });
      const out = new Output(values.json === true);
      switch (command) {
        case 'domain':
          await domainCommand(api, rest, values, out);
          break;
        case 'user':
          await userCommand(api, rest, values, out);
          break;
        case 'alias':
          await aliasCommand(api, rest, out);
          break;
        case 'network':
          await networkCommand(api, rest, values, out);
          break;
        case 'transport':
          await transportCommand(api, rest, out);
          break;
        case 'rule':
          await ruleCommand(api, rest, values, out);
          break;
        case 'queue':
          await queueCommand(api, rest, { json: values.json === true, print: (line) => console.log(line), usageError: (m) => new UsageError(m) });
          break;
        case 'admin':
          if (rest.join(' ') !== 'reset-password') throw new UsageError('admin: expected reset-password');
          await ctx.settingsCache.remove(ADMIN_PASSWORD_KEY);
          out.done('admin password removed; the next `mailroom serve` prints a one-time setup link');
          break;
        case 'log':
          await logCommand(api, values, out);
          break;
        default:
          throw new UsageError(`unknown command "${command}"`);
      }
      return 0;
    } finally {
      await ctx.close();
    }
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    if (error instanceof AdminError) {
      console.error(`mailroom: ${error.message}`);
      return 1;
    }
    console.error(`mailroom: ${(error as Error).message}`);
    if (process.env.MAILROOM_DEBUG) console.error(error);
    return 3;
  }
}

function usage(message: string): number {
  console.error(`mailroom: ${message}\n\n${USAGE}`);
  return 2;
}

async function serve(dataDir: string, values: Values): Promise<number> {
  const ports: Partial<Record<PortName, number>> = {};
  for (const name of PORT_NAMES) {
    const raw = values[`${name}-port` as keyof Values] as string | undefined;
    if (raw === undefined) continue;
    const port = Number(raw);
    if (!/^\d+$/.test(raw) || port > 65535) throw new UsageError(`--${name}-port must be a port number (0 to 65535), not "${raw}"`);
    ports[name] = port;
  }
  const server = await createMailServer({
    dataDir,
    listenHost: values['listen-host'],
    adminHost: values['admin-host'],
    ports,
    logEcho: (line) => process.stderr.write(line + '\n'),
  });
  let started;
  try {
    started = await server.start();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EACCES') console.error(`mailroom: no permission to bind a port below 1024 (${e.message}); run as root, grant cap_net_bind_service, or pick other ports with --smtp-port etc.`);
    else if (e.code === 'EADDRINUSE') console.error(`mailroom: a port is already in use (${e.message}); is another mail server running?`);
    else console.error(`mailroom: could not start: ${e.message}`);
    return 1;
  }
  // setupUrl (only until the admin password is set): the one-time link that opens the first-run wizard.
  process.stdout.write(JSON.stringify({ event: 'ready', ports: started.ports, dataDir, setupUrl: started.setupUrl }) + '\n');
  await new Promise<void>((resolveStop) => {
    const stop = (signal: string) => {
      process.stderr.write(`mailroom: ${signal} received, stopping\n`);
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.stop();
  process.stdout.write(JSON.stringify({ event: 'stopped' }) + '\n');
  return 0;
}

async function domainCommand(api: AdminApi, [action, name, ...extra]: string[], values: Values, out: Output) {
  noExtra(extra);
  const need = () => required(name, 'a domain name');
  switch (action) {
    case 'add':
      return out.item(await api.addDomain({ name: need(), defaultQuota: values.quota === undefined ? undefined : size(values.quota) }), `added domain ${name}`);
    case 'list':
      return out.table(await api.listDomains(), ['name', 'displayName', 'active', 'accounts', 'aliases', 'usedBytes', 'defaultQuota']);
    case 'disable':
    case 'enable':
      return out.item(await api.updateDomain({ name: need(), active: action === 'enable' }), `${action}d domain ${name}`);
    case 'remove':
      return out.item(await api.removeDomain({ name: need(), cascade: values.cascade === true }), `removed domain ${name}`);
    default:
      throw new UsageError(`domain ${action ?? ''}: expected add, list, disable, enable or remove`);
  }
}

async function userCommand(api: AdminApi, [action, address, ...extra]: string[], values: Values, out: Output) {
  noExtra(extra);
  const need = () => required(address, 'an address');
  switch (action) {
    case 'add': {
      const a = need();
      const password = await readPassword(values);
      return out.item(
        await api.addAccount({ address: a, password, displayName: values.name ?? '', quota: values.quota === undefined ? undefined : size(values.quota) }),
        `added user ${a}`,
      );
    }
    case 'list':
      return out.table(await api.listAccounts({ domain: address }), ['address', 'displayName', 'active', 'usedBytes', 'quota', 'lastLoginAt']);
    case 'passwd': {
      const a = need();
      return out.item(await api.setPassword({ address: a, password: await readPassword(values) }), `password changed for ${a}`);
    }
    case 'quota':
      if (values.quota === undefined) throw new UsageError('user quota needs --quota SIZE (e.g. 500M, 0 for unlimited)');
      return out.item(await api.updateAccount({ address: need(), quota: size(values.quota) }), `quota of ${address} set to ${values.quota}`);
    case 'disable':
    case 'enable':
      return out.item(await api.updateAccount({ address: need(), active: action === 'enable' }), `${action}d user ${address}`);
    case 'remove':
      return out.item(await api.removeAccount({ address: need() }), `removed user ${address}`);
    default:
      throw new UsageError(`user ${action ?? ''}: expected add, list, passwd, quota, disable, enable or remove`);
  }
}

async function aliasCommand(api: AdminApi, [action, address, destinations, ...extra]: string[], out: Output) {
  noExtra(extra);
  const dests = () => required(destinations, 'destinations (comma-separated)').split(',');
  switch (action) {
    case 'add': {
      const a = required(address, 'an alias address');
      const existing = (await api.listAliases({})).find((x) => x.address.toLowerCase() === a.toLowerCase());
      // `alias add` on an existing alias adds destinations, as postalias users expect.
      if (existing) return out.item(await api.updateAlias({ address: a, destinations: [...existing.destinations, ...dests()] }), `updated alias ${a}`);
      return out.item(await api.addAlias({ address: a, destinations: dests() }), `added alias ${a}`);
    }
    case 'list':
      return out.table((await api.listAliases({ domain: address })).map((x) => ({ ...x, destinations: x.destinations.join(',') })), ['address', 'destinations', 'active']);
    case 'remove':
      if (destinations !== undefined) {
        const a = required(address, 'an alias address');
        const existing = (await api.listAliases({})).find((x) => x.address.toLowerCase() === a.toLowerCase());
        if (!existing) throw new AdminError('not-found', `There is no alias ${a}.`);
        const drop = new Set(dests().map((d) => d.trim().toLowerCase()));
        const keep = existing.destinations.filter((d) => !drop.has(d.toLowerCase()));
        if (keep.length > 0) return out.item(await api.updateAlias({ address: a, destinations: keep }), `updated alias ${a}`);
      }
      await api.removeAlias({ address: required(address, 'an alias address') });
      return out.done(`removed alias ${address}`);
    default:
      throw new UsageError(`alias ${action ?? ''}: expected add, list or remove`);
  }
}

async function networkCommand(api: AdminApi, [action, cidr, ...extra]: string[], values: Values, out: Output) {
  noExtra(extra);
  switch (action) {
    case 'add':
      return out.item(
        await api.addNetwork({ cidr: required(cidr, 'an IP range (CIDR)'), relay: values.relay === true, description: values.description ?? '' }),
        `added network ${cidr}`,
      );
    case 'list':
      return out.table(await api.listNetworks({}), ['cidr', 'description', 'relay', 'allowSmtp', 'allowImap', 'allowPop3', 'requireTlsForAuth', 'expired']);
    case 'remove':
      await api.removeNetwork({ cidr: required(cidr, 'an IP range (CIDR)') });
      return out.done(`removed network ${cidr}`);
    default:
      throw new UsageError(`network ${action ?? ''}: expected add, list or remove`);
  }
}

async function transportCommand(api: AdminApi, [action, domain, route, ...extra]: string[], out: Output) {
  noExtra(extra);
  switch (action) {
    case 'set':
      return out.item(await api.setTransport({ domain: required(domain, 'a domain'), route: required(route, 'a route') }), `transport for ${domain} set`);
    case 'list':
      return out.table(await api.listTransports({}), ['domain', 'route']);
    case 'remove':
      await api.removeTransport({ domain: required(domain, 'a domain') });
      return out.done(`removed transport for ${domain}`);
    default:
      throw new UsageError(`transport ${action ?? ''}: expected set, list or remove`);
  }
}

/** `mailroom rule ...`: the access rules of DESIGN §5, as the GUI's rules screen edits them. */
async function ruleCommand(api: AdminApi, [action, id, position, ...extra]: string[], values: Values, out: Output) {
  noExtra(extra);
  const number = (text: string | undefined, what: string) => {
    if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`missing or bad ${what}`);
    return Number(text);
  };
  const rule = () => {
    const yesNo = (yes: boolean | undefined, no: boolean | undefined) => (yes ? true : no ? false : undefined);
    const match = Object.fromEntries(
      Object.entries({
        ip: values.ip,
        helo: values.helo,
        sender: values.sender,
        recipient: values.recipient,
        dnsbl: values.dnsbl,
        authenticated: yesNo(values.authenticated, values.unauthenticated),
        trusted: yesNo(values.trusted, values.untrusted),
      }).filter(([, v]) => v !== undefined),
    );
    return {
      stage: required(values.stage, '--stage (connect, helo, mail-from, rcpt-to or data)') as never,
      action: required(values.action, '--action (allow, reject, require-auth or defer)') as never,
      match,
      replyCode: values.code === undefined ? null : number(values.code, '--code'),
      replyText: values.text ?? null,
      description: values.description ?? '',
    };
  };
  switch (action) {
    case 'list':
      return out.table(
        (await api.listRules({ stage: values.stage as never })).map((r) => ({ ...r, match: JSON.stringify(r.match), reply: r.replyCode ? `${r.replyCode} ${r.replyText ?? ''}` : '' })),
        ['id', 'stage', 'position', 'action', 'match', 'reply', 'enabled', 'description'],
      );
    case 'add':
      return out.item(
        await api.addRule({ rule: rule(), position: values.position === undefined ? undefined : number(values.position, '--position') }),
        `added rule`,
      );
    case 'move':
      return out.item(await api.moveRule({ id: number(id, 'rule id'), position: number(position, 'position') }), `moved rule ${id}`);
    case 'remove':
      await api.removeRule({ id: number(id, 'rule id') });
      return out.done(`removed rule ${id}`);
    case 'test': {
      const explanation = await api.testRules({
        ip: required(values.ip?.[0], '--ip'),
        helo: values.helo?.[0],
        from: values.from,
        to: values.to ?? [],
        authenticated: values.authenticated === true,
        dnsblListed: values['dnsbl-listed'] ?? [],
      });
      return out.item(explanation, explanation.lines.join('\n'));
    }
    default:
      throw new UsageError(`rule ${action ?? ''}: expected list, add, move, remove or test`);
  }
}

const FOLLOW_POLL_MS = 500;

async function logCommand(api: AdminApi, values: Values, out: Output) {
  const filter = { sessionId: values.session, queueId: values['queue-id'] };
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive number');
  let rows = await api.queryLog({ ...filter, limit });
  rows.forEach((r) => out.log(r));
  if (!values.follow) return;
  let lastId = rows.at(-1)?.id ?? 0;
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!stopped) {
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
    rows = await api.queryLog({ ...filter, afterId: lastId, limit: 1000 });
    rows.forEach((r) => out.log(r));
    lastId = rows.at(-1)?.id ?? lastId;
  }
}

class Output {
  constructor(private readonly json: boolean) {}

  item(value: unknown, message: string) {
    console.log(this.json ? JSON.stringify(value) : message);
  }

  done(message: string) {
    console.log(this.json ? JSON.stringify({ ok: true }) : message);
  }

  table(rows: object[], columns: string[]) {
    if (this.json) return console.log(JSON.stringify(rows));
    if (rows.length === 0) return console.log('(none)');
    const cells = rows.map((row) => columns.map((c) => show(c, (row as Record<string, unknown>)[c])));
    const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
    console.log(columns.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
    for (const r of cells) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd());
  }

  log(row: LogRow) {
    if (this.json) return console.log(JSON.stringify(row));
    const ids = [row.sessionId && `session=${row.sessionId}`, row.queueId && `queue=${row.queueId}`].filter(Boolean).join(' ');
    console.log(`${new Date(row.ts).toISOString()} ${row.level.padEnd(5)} ${row.component} ${row.event}${ids ? ' ' + ids : ''} ${JSON.stringify(row.fields)}`);
  }
}

function show(column: string, value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number' && /bytes|quota/i.test(column)) return value === 0 && column !== 'usedBytes' ? 'unlimited' : formatSize(value);
  if (typeof value === 'number' && /At$/.test(column)) return new Date(value).toISOString();
  return String(value);
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`missing ${what}`);
  return value;
}

function noExtra(extra: string[]) {
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
}

function size(text: string): number {
  try {
    return parseSize(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** --password-stdin reads the first line of standard input; a terminal gets a hidden prompt. */
async function readPassword(values: Values): Promise<string> {
  if (values['password-stdin']) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  }
  if (!process.stdin.isTTY) throw new UsageError('give the password with --password-stdin');
  const first = await prompt('Password: ');
  const second = await prompt('Repeat password: ');
  if (first !== second) throw new UsageError('the passwords do not match');
  return first;
}

function prompt(question: string): Promise<string> {
  return new Promise((resolvePrompt) => {
    process.stderr.write(question);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let answer = '';
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolvePrompt(answer);
        }
        if (ch === '\u0003') process.exit(130);
        answer = ch === '\u007f' ? answer.slice(0, -1) : answer + ch;
      }
    };
    stdin.on('data', onData);
  });
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 3;
  },
);
