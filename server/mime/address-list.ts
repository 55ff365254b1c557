// RFC 5322 address-list parsing for the IMAP ENVELOPE, with the obsolete syntax (RFC 5322 §4.4)
// and the error recovery Dovecot applies, so clients get the answers they are written against.
//
// Invariants:
// - The result is a flat list in IMAP ENVELOPE order: a group is a start marker
//   {mailbox: group name, others null}, its members, then an end marker (all null).
// - Every non-marker address has a mailbox and a domain: unparseable pieces get the placeholders
//   MISSING_MAILBOX, MISSING_DOMAIN or SYNTAX_ERROR (and INVALID_ROUTE for a broken source route)
//   instead of failing the whole header; parsing always terminates and is linear in the input.
// - Strings are latin1 byte strings as written (encoded words are not decoded here); a display
//   name with no phrase comes from the last comment of an addr-spec ("user@host (Name)").
// - A source route is kept as "@a,@b" (without the trailing ':').

import { Lexer } from './lexer.js';

export interface EnvelopeAddress {
  name: string | null;
  route: string | null;
  mailbox: string | null;
  domain: string | null;
}

export const MISSING_MAILBOX = 'MISSING_MAILBOX';
export const MISSING_DOMAIN = 'MISSING_DOMAIN';
export const SYNTAX_ERROR = 'SYNTAX_ERROR';
export const INVALID_ROUTE = 'INVALID_ROUTE';

function emptyAddress(): EnvelopeAddress {
  return { name: null, route: null, mailbox: null, domain: null };
}

class AddressListParser {
  readonly result: EnvelopeAddress[] = [];
  private addr = emptyAddress();
  private invalid = false;

  constructor(private readonly lex: Lexer) {}

  private push(): void {
    this.result.push(this.addr);
    this.addr = emptyAddress();
    this.invalid = false;
  }

  private pushFixed(): void {
    if (this.addr.mailbox === null) this.addr.mailbox = MISSING_MAILBOX;
    if (this.addr.domain === null || this.addr.domain === '') this.addr.domain = MISSING_DOMAIN;
    this.push();
  }

  private parseLocalPart(): number {
    const lex = this.lex;
    lex.out = '';
    const ret = lex.peek() === 0x22 ? lex.parseQuotedString() : lex.parseDotAtom();
    if (ret < 0) return -1;
    this.addr.mailbox = lex.out;
    return ret;
  }

  private parseDomain(): number {
    this.lex.out = '';
    const ret = this.lex.parseDomain();
    if (ret < 0) return -1;
    this.addr.domain = this.lex.out;
    return ret;
  }

  /** obs-domain-list: "@a,@b" before the ':' of a source route. */
  private parseRoute(): number {
    const lex = this.lex;
    let route = '';
    for (;;) {
      if (lex.atEnd) return 0;
      if (lex.peek() !== 0x40) break;
      if (route !== '') route += ',';
      lex.out = '';
      const ret = lex.parseDomain();
      route += `@${lex.out}`;
      if (ret <= 0) return ret;
      while (lex.skipLwsp() > 0 && lex.peek() === 0x2c) lex.pos++;
    }
    this.addr.route = route;
    return 1;
  }

  private parseAngleAddr(): number {
    const lex = this.lex;
    lex.pos++; // '<'
    if (lex.skipLwsp() <= 0) return -1;
    if (lex.peek() === 0x40) {
      if (this.parseRoute() > 0 && lex.peek() === 0x3a) {
        lex.pos++;
      } else {
        this.addr.route = INVALID_ROUTE;
        if (lex.atEnd) return -1;
      }
      if (lex.skipLwsp() <= 0) return -1;
    }
    if (lex.peek() !== 0x3e) {
      if (this.parseLocalPart() <= 0) return -1;
      if (lex.peek() === 0x40 && this.parseDomain() <= 0) return -1;
    }
    if (lex.peek() !== 0x3e) return -1;
    lex.pos++;
    return lex.skipLwsp();
  }

  private parseNameAddr(): number {
    const lex = this.lex;
    lex.out = '';
    if (lex.parsePhrase() <= 0 || lex.peek() !== 0x3c) return -1;
    this.addr.name = lex.out === '' ? null : lex.out;
    if (this.parseAngleAddr() < 0) {
      this.addr.domain = SYNTAX_ERROR;
      this.invalid = true;
    }
    return lex.atEnd ? 0 : 1;
  }

  private parseAddrSpec(): number {
    const lex = this.lex;
    lex.lastComment = '';
    const quoted = lex.peek() === 0x22;
    let ret = this.parseLocalPart();
    if (ret <= 0) this.invalid = true;
    let domainRet = -2;
    if (ret !== 0 && !lex.atEnd && lex.peek() === 0x40) {
      domainRet = this.parseDomain();
      if (domainRet <= 0) ret = domainRet;
    }
    if (lex.lastComment !== '') {
      this.addr.name = lex.lastComment;
    } else if (domainRet === -2) {
      // "user" alone is a mailbox without domain; "some words" are a display name.
      lex.out += ' ';
      const before = lex.out.length;
      lex.parsePhrase();
      if (lex.out.length !== before) {
        this.addr.mailbox = null;
        this.addr.name = lex.out;
      } else if (!quoted) {
        this.addr.domain = '';
      }
      this.invalid = true;
      ret = -1;
    }
    return ret;
  }

  private parseMailbox(): number {
    const start = this.lex.pos;
    let ret = this.parseNameAddr();
    if (ret < 0) {
      this.lex.pos = start;
      ret = this.parseAddrSpec();
      const a = this.addr;
      if (this.invalid && a.name === null && a.mailbox !== null && a.domain === null) {
        a.name = a.mailbox;
        a.mailbox = null;
      }
    }
    this.pushFixed();
    return ret;
  }

  private parseGroup(): number {
    const lex = this.lex;
    lex.out = '';
    if (lex.parsePhrase() <= 0 || lex.peek() !== 0x3a) return -1;
    // From here on this is a group even when its members are broken.
    lex.pos++;
    let ret = lex.skipLwsp();
    this.addr.mailbox = lex.out;
    this.push();
    if (ret > 0 && lex.peek() !== 0x3b) {
      for (;;) {
        this.parseMailbox();
        if (lex.atEnd || lex.peek() !== 0x2c) break;
        lex.pos++;
        if (lex.skipLwsp() <= 0) {
          ret = -1;
          break;
        }
      }
    }
    if (ret >= 0) {
      if (lex.atEnd || lex.peek() !== 0x3b) {
        ret = -1;
      } else {
        lex.pos++;
        ret = lex.skipLwsp();
      }
    }
    this.push(); // end-of-group marker
    return ret === 0 ? 0 : 1;
  }

  private parseAddress(): number {
    const start = this.lex.pos;
    const ret = this.parseGroup();
    if (ret >= 0) return ret;
    this.lex.pos = start;
    return this.parseMailbox();
  }

  parseList(): void {
    const lex = this.lex;
    if (lex.skipLwsp() <= 0) return;
    for (;;) {
      if (this.parseAddress() === 0) break;
      if (lex.atEnd || lex.peek() !== 0x2c) break;
      lex.pos++;
      const ret = lex.skipLwsp();
      if (ret <= 0) {
        if (ret < 0) this.pushFixed(); // ends with garbage
        break;
      }
    }
  }
}

/** Parses a (possibly folded) latin1 address-list field value; [] when it holds no address. */
export function parseAddressList(value: string): EnvelopeAddress[] {
  const parser = new AddressListParser(new Lexer(value, true));
  parser.parseList();
  return parser.result;
}
