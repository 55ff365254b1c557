// The autoconfig listener (issue 18): plain HTTP meant for `autoconfig.<domain>` and
// `autodiscover.<domain>` (the DNS helper lists both names), so mail clients find this server's
// settings from an address alone.
//
// Routes:
//   GET  /.well-known/autoconfig/mail/config-v1.1.xml[?emailaddress=A]  Thunderbird (domain's own host)
//   GET  /mail/config-v1.1.xml[?emailaddress=A]                         Thunderbird (autoconfig.<domain>)
//   POST /autodiscover/autodiscover.xml  (any case)                     Outlook "POX" Autodiscover
//   GET  /mobileconfig?emailaddress=A                                   Apple configuration profile
//
// Invariants:
// - Only domains this server hosts (active domain rows) are answered; anything else is 404, so the
//   listener never describes a server for someone else's domain. Whether an account exists is never
//   told: any address at a hosted domain gets the same answer (no user enumeration).
// - The domain is the emailaddress's when given (a bad address is 400), else the Host header's with
//   a leading `autoconfig.` dropped.
// - The ports are the running listeners' (never a second list of numbers): a listener that is off is
//   left out of every answer.
// - Bad input gets a clear status with a sentence (400, 404, 405, 413, 415); nothing is written.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Listener, PortName } from '../context.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { AddressError, normalizeDomain, parseAddress } from '../mime/addr-spec.js';
import { OUTLOOK_RESPONSE_SCHEMA, appleMobileconfig, autodiscoverError, clientEndpoints, outlookAutodiscover, thunderbirdAutoconfig } from './client-config.js';

/** An Autodiscover request is a few hundred bytes; anything near this is not one. */
export const MAX_AUTODISCOVER_BODY = 64 * 1024;

export interface AutoconfigDeps {
  store: { domains: Pick<Store['domains'], 'get'> };
  /** The mail hostname clients connect to. */
  hostname(): string;
  /** The ports the mail listeners really listen on. */
  ports(): Partial<Record<PortName, number>>;
  log: Logger;
  now?: () => Date;
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const THUNDERBIRD_PATHS = new Set(['/.well-known/autoconfig/mail/config-v1.1.xml', '/mail/config-v1.1.xml']);
const AUTODISCOVER_PATH = '/autodiscover/autodiscover.xml';

export function createAutoconfigListener(deps: AutoconfigDeps): Listener {
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ component: 'autoconfig' });

  /** The hosted domain an address or host name is about; 404 when this server does not host it. */
  const hostedDomain = async (name: string, what: string): Promise<string> => {
    const domain = (await deps.store.domains.get(name))?.active ? name : undefined;
    if (domain === undefined) throw new HttpRefusal(404, `This server does not host mail for ${what}.`);
    return domain;
  };

  const addressParam = (url: URL): { address: string; domain: string } | undefined => {
    const raw = url.searchParams.get('emailaddress');
    if (raw === null) return undefined;
    try {
      const { local, domain } = parseAddress(raw);
      return { address: `${local}@${domain}`, domain };
    } catch (error) {
      if (error instanceof AddressError) throw new HttpRefusal(400, `emailaddress: ${error.message}`);
      throw error;
    }
  };

  const hostDomain = (req: IncomingMessage): string => {
    let host: string;
    try {
      host = new URL(`http://${req.headers.host ?? ''}`).hostname;
    } catch {
      throw new HttpRefusal(400, 'The Host header is not a host name.');
    }
    try {
      return normalizeDomain(host.replace(/^autoconfig\./i, ''));
    } catch {
      throw new HttpRefusal(400, 'Give the address as ?emailaddress=user@example.com, or ask autoconfig.<domain> by name.');
    }
  };

  const endpoints = () => clientEndpoints(deps.ports());

  const thunderbird = async (req: IncomingMessage, url: URL) => {
    const given = addressParam(url);
    const name = given?.domain ?? hostDomain(req);
    const domain = await hostedDomain(name, given?.address ?? name);
    return { domain, body: thunderbirdAutoconfig(domain, deps.hostname(), endpoints()), type: 'application/xml; charset=utf-8' };
  };

  const mobileconfig = async (url: URL) => {
    const given = addressParam(url);
    if (given === undefined) throw new HttpRefusal(400, 'Give the address as ?emailaddress=user@example.com.');
    const domain = await hostedDomain(given.domain, given.address);
    let body: string;
    try {
      body = appleMobileconfig(given.address, given.address, deps.hostname(), endpoints(), () => randomUUID().toUpperCase());
    } catch (error) {
      throw new HttpRefusal(503, (error as Error).message);
    }
    return { domain, body, type: 'application/x-apple-aspen-config', headers: { 'content-disposition': `attachment; filename="${domain}.mobileconfig"` } };
  };

  const autodiscover = async (req: IncomingMessage) => {
    const contentType = req.headers['content-type'] ?? 'text/xml';
    if (!/^(text|application)\/xml\s*(;|$)/i.test(contentType)) throw new HttpRefusal(415, 'Send the Autodiscover request as text/xml.');
    const text = (await readBody(req)).toString('utf8');
    const schema = elementText(text, 'AcceptableResponseSchema');
    if (schema !== undefined && schema !== OUTLOOK_RESPONSE_SCHEMA) {
      throw new HttpRefusal(400, `Only the Outlook response schema (${OUTLOOK_RESPONSE_SCHEMA}) is served here, not ${schema}.`);
    }
    const raw = elementText(text, 'EMailAddress');
    if (raw === undefined) throw new HttpRefusal(400, 'The Autodiscover request has no <EMailAddress>.');
    let address: { local: string; domain: string };
    try {
      address = parseAddress(raw);
    } catch (error) {
      if (error instanceof AddressError) throw new HttpRefusal(400, `EMailAddress: ${error.message}`);
      throw error;
    }
    const full = `${address.local}@${address.domain}`;
    const domain = await hostedDomain(address.domain, full);
    return { domain, body: outlookAutodiscover(full, deps.hostname(), endpoints()), type: 'text/xml; charset=utf-8' };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://autoconfig');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const isAutodiscover = path.toLowerCase() === AUTODISCOVER_PATH;
    const xmlErrors = isAutodiscover;
    try {
      let answer: { domain: string; body: string; type: string; headers?: Record<string, string> };
      if (THUNDERBIRD_PATHS.has(path) || path === '/mobileconfig') {
        if (method !== 'GET' && method !== 'HEAD') throw new HttpRefusal(405, 'Use GET.', { allow: 'GET, HEAD' });
        answer = path === '/mobileconfig' ? await mobileconfig(url) : await thunderbird(req, url);
      } else if (isAutodiscover) {
        if (method !== 'POST') throw new HttpRefusal(405, 'Autodiscover takes a POST with the request XML.', { allow: 'POST' });
        answer = await autodiscover(req);
      } else {
        throw new HttpRefusal(404, 'Not found. This server answers /mail/config-v1.1.xml, /.well-known/autoconfig/mail/config-v1.1.xml and POST /autodiscover/autodiscover.xml.');
      }
      log.info('autoconfig.answered', { client: isAutodiscover ? 'outlook' : path === '/mobileconfig' ? 'apple' : 'thunderbird', domain: answer.domain, remote: req.socket.remoteAddress });
      send(res, 200, answer.type, method === 'HEAD' ? '' : answer.body, answer.headers);
    } catch (error) {
      if (!(error instanceof HttpRefusal)) throw error;
      log.info('autoconfig.refused', { path, status: error.status, reason: error.message, remote: req.socket.remoteAddress });
      req.resume();
      if (xmlErrors && error.status !== 405) {
        send(res, error.status, 'text/xml; charset=utf-8', autodiscoverError(error.status === 404 ? 603 : 600, error.message, now()), error.headers);
      } else {
        send(res, error.status, 'text/plain; charset=utf-8', `${error.message}\n`, error.headers);
      }
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('autoconfig.error', { error: String(error) });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error.\n');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return {
    name: 'autoconfig',
    start: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

/** The text of the first `<Name>` element (any namespace prefix), entities decoded; undefined when absent. */
function elementText(xmlText: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${name}\\s*>`).exec(xmlText);
  if (!m) return undefined;
  return m[1]
    .trim()
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_AUTODISCOVER_BODY) return reject(new HttpRefusal(413, `An Autodiscover request is at most ${MAX_AUTODISCOVER_BODY} bytes.`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_AUTODISCOVER_BODY) {
        chunks.length = 0;
        reject(new HttpRefusal(413, `An Autodiscover request is at most ${MAX_AUTODISCOVER_BODY} bytes.`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
