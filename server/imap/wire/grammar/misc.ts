// ID, ENABLE, GETQUOTA, CANCELUPDATE, COMPRESS: small extension commands.
import { shown } from '../errors.js';
import type { Reader } from '../tokens.js';

// RFC 2971 §3.3: at most 30 pairs, field names up to 30 octets, values up to 1024.
const ID_MAX_PAIRS = 30;
const ID_MAX_FIELD = 30;
const ID_MAX_VALUE = 1024;

export interface IdArgs {
  /** Field/value pairs as sent, or null for `ID NIL`. */
  readonly params: Array<readonly [field: string, value: string | null]> | null;
}

// id = "ID" SP id-params-list; id-params-list = "(" *(string SP nstring) ")" / nil (RFC 2971 §4)
export function parseId(r: Reader): IdArgs {
  r.sp('ID parameters');
  if (r.peek() !== 0x28) {
    if (r.keyword('ID parameters') !== 'NIL') r.fail('Invalid ID parameters');
    return { params: null };
  }
  const items = r.list('ID parameters', () => r.nstring('ID parameter'), true);
  if (items.length % 2 !== 0) r.fail('ID parameters must be field/value pairs');
  if (items.length > ID_MAX_PAIRS * 2) r.fail('Too many ID parameters');
  const params: Array<readonly [string, string | null]> = [];
  for (let i = 0; i < items.length; i += 2) {
    const [field, value] = [items[i], items[i + 1]];
    if (field === null || Buffer.byteLength(field) > ID_MAX_FIELD) r.fail('Invalid ID field name');
    if (value !== null && Buffer.byteLength(value) > ID_MAX_VALUE) r.fail('ID value too long');
    params.push([field, value]);
  }
  return { params };
}

export interface EnableArgs {
  /** Capability names, upper case. */
  readonly capabilities: string[];
}

// enable = "ENABLE" 1*(SP capability) (RFC 5161 §4); capability = atom
export function parseEnable(r: Reader): EnableArgs {
  const capabilities: string[] = [];
  do {
    r.sp('capability');
    capabilities.push(r.keyword('capability'));
  } while (!r.atEnd());
  return { capabilities };
}

export interface GetQuotaArgs {
  readonly root: string;
}

// getquota = "GETQUOTA" SP quota-root-name; quota-root-name = astring (RFC 9208 §4.2, §9)
export function parseGetQuota(r: Reader): GetQuotaArgs {
  r.sp('quota root');
  return { root: r.astring('quota root') };
}

export interface CancelUpdateArgs {
  /** The tags of the SEARCH ... RETURN (UPDATE) commands whose updates end. */
  readonly tags: string[];
}

/** More would only be a client looping; a session has at most MAX_SEARCH_CONTEXTS anyway. */
const CANCELUPDATE_MAX_TAGS = 100;

// cancelupdate = "CANCELUPDATE" 1*(SP tag-string); tag-string = string (RFC 5267 §5)
export function parseCancelUpdate(r: Reader): CancelUpdateArgs {
  const tags: string[] = [];
  do {
    r.sp('search tag');
    tags.push(r.string('search tag'));
    if (tags.length > CANCELUPDATE_MAX_TAGS) r.fail('Too many search tags');
  } while (!r.atEnd());
  return { tags };
}

export interface CompressArgs {
  readonly mechanism: 'DEFLATE';
}

// compress = "COMPRESS" SP algorithm; algorithm = "DEFLATE" (RFC 4978 §5)
export function parseCompress(r: Reader): CompressArgs {
  r.sp('compression mechanism');
  const mechanism = r.keyword('compression mechanism');
  if (mechanism !== 'DEFLATE') r.fail(`Unknown compression mechanism ${shown(mechanism)}`);
  return { mechanism };
}
