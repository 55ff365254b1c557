// The Content-* fields of one part's header, as BODYSTRUCTURE and SEARCH need them.
//
// Invariants (Dovecot's reading, which clients are written against):
// - Content-Type, -Transfer-Encoding, -ID, -Description, -MD5, -Language and -Location: the
//   first occurrence counts. Content-Disposition: a later field still counts while no earlier
//   one carried parameters.
// - A transfer encoding is one token and nothing else ("8 bit" or an empty value count as absent,
//   i.e. 7bit); its case is kept.
// - Outside MIME (no MIME-Version, no Content-Type, not inside a multipart) Content-* fields are
//   ignored entirely.
// - Strings are latin1 byte strings; unstructured values are unfolded.

import { headerFields, fieldValue, unfold } from './header.js';
import { Lexer } from './lexer.js';
import {
  parseContentDisposition,
  parseContentLanguage,
  parseContentType,
  type ContentDisposition,
  type ContentType,
} from './params.js';
import type { MimePart } from './part-tree.js';

export interface MimeFields {
  /** null when there is no Content-Type (the default applies). */
  contentType: ContentType | null;
  encoding: string | null;
  id: string | null;
  description: string | null;
  md5: string | null;
  disposition: ContentDisposition | null;
  language: string[] | null;
  location: string | null;
}

function parseEncoding(value: string): string | null {
  const lex = new Lexer(value);
  lex.skipLwsp();
  return lex.parseMimeToken() >= 0 && lex.skipLwsp() === 0 && lex.out !== '' ? lex.out : null;
}

export function readMimeFields(raw: Buffer, part: MimePart, insideMultipart: boolean): MimeFields {
  const f: MimeFields = {
    contentType: null,
    encoding: null,
    id: null,
    description: null,
    md5: null,
    disposition: null,
    language: null,
    location: null,
  };
  let mime = insideMultipart;
  for (const field of headerFields(raw, part.headerStart, part.headerEnd)) {
    const name = field.name.toLowerCase();
    if (name === 'mime-version') {
      mime = true;
      continue;
    }
    if (!name.startsWith('content-')) continue;
    const value = fieldValue(raw, field);
    switch (name.slice(8)) {
      case 'type':
        if (f.contentType === null) f.contentType = parseContentType(value);
        mime = true;
        break;
      case 'transfer-encoding':
        f.encoding ??= parseEncoding(value);
        break;
      case 'id':
        f.id ??= unfold(value);
        break;
      case 'description':
        f.description ??= unfold(value);
        break;
      case 'md5':
        f.md5 ??= unfold(value);
        break;
      case 'language':
        f.language ??= parseContentLanguage(value);
        break;
      case 'location':
        f.location ??= unfold(value);
        break;
      case 'disposition':
        if (f.disposition === null || f.disposition.params.length === 0) f.disposition = parseContentDisposition(value) ?? f.disposition;
        break;
    }
  }
  return mime
    ? f
    : { contentType: null, encoding: null, id: null, description: null, md5: null, disposition: null, language: null, location: null };
}
