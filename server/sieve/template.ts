// Strings as the interpreter sees them: a template of literal text and variable references,
// built once at compile time from a string argument.
//
// Invariants:
// - "${hex:..}" and "${unicode:..}" (RFC 5228 §2.4.2.4) are decoded only when the script
//   requires "encoded-character", "${name}" and "${N}" (RFC 5229 §3) become references only when
//   it requires "variables"; both are read in one left-to-right pass, so text an encoded character
//   produces is never taken for a variable reference.
// - Malformed references stay literal text (RFC 5229 §3, RFC 5228 §2.4.2.4); a ${unicode:}
//   naming a surrogate or a value above U+10FFFF is an error.
// - Variable names are stored lower-case (names are case-insensitive, RFC 5229 §3).

import { MAX_VARIABLE_NAME } from './limits.js';

export type TemplatePart = string | { variable: string } | { match: number };
export type Template = readonly TemplatePart[];

export interface TemplateOptions {
  encodedCharacter: boolean;
  variables: boolean;
}

const ENCODED = /^\$\{(hex|unicode):([\s0-9a-f]*)\}/i;
const VARIABLE = /^\$\{([a-z_][a-z0-9_]*|[0-9]+)\}/i;

function decodeEncoded(kind: string, body: string): string | null | Error {
  const blank = /^[\s]*$/;
  if (blank.test(body)) return '';
  const items = body.trim().split(/\s+/);
  if (kind.toLowerCase() === 'hex') {
    if (!items.every((h) => /^(?:[0-9a-f]{2})+$/i.test(h))) return null;
    return Buffer.from(items.join(''), 'hex').toString('utf8');
  }
  let out = '';
  for (const h of items) {
    if (!/^[0-9a-f]+$/i.test(h)) return null;
    const cp = parseInt(h, 16);
    if (h.replace(/^0+/, '').length > 6 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return new Error(`\${unicode:${h}} is not a valid Unicode character.`);
    }
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** Compiles `text`; `fail` is called (and the text kept literal) for an invalid ${unicode:}. */
export function compileTemplate(text: string, options: TemplateOptions, fail: (message: string) => void): Template {
  if (!text.includes('${') || (!options.encodedCharacter && !options.variables)) return text === '' ? [] : [text];
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('${', i);
    if (at === -1) break;
    literal += text.slice(i, at);
    const rest = text.slice(at);
    const enc = options.encodedCharacter ? ENCODED.exec(rest) : null;
    const decoded = enc === null ? null : decodeEncoded(enc[1], enc[2]);
    if (enc !== null && decoded instanceof Error) fail(decoded.message);
    if (enc !== null && typeof decoded === 'string') {
      literal += decoded;
      i = at + enc[0].length;
      continue;
    }
    const ref = options.variables ? VARIABLE.exec(rest) : null;
    if (ref !== null && (/^[0-9]/.test(ref[1]) || ref[1].length <= MAX_VARIABLE_NAME)) {
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(/^[0-9]/.test(ref[1]) ? { match: Number(ref[1]) } : { variable: ref[1].toLowerCase() });
      i = at + ref[0].length;
      continue;
    }
    literal += '${';
    i = at + 2;
  }
  literal += text.slice(i);
  if (literal !== '') parts.push(literal);
  return parts;
}

/** The template's text when it holds no reference, else null. */
export function constantText(template: Template): string | null {
  let out = '';
  for (const p of template) {
    if (typeof p !== 'string') return null;
    out += p;
  }
  return out;
}

/** Expands a template with the given lookups. */
export function expandTemplate(template: Template, variable: (name: string) => string, match: (index: number) => string): string {
  let out = '';
  for (const p of template) out += typeof p === 'string' ? p : 'variable' in p ? variable(p.variable) : match(p.match);
  return out;
}
