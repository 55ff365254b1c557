// Public surface of the MIME package: what the delivery path and the IMAP/POP3 servers use to turn
// stored RFC 5322 bytes into a cached part tree, ENVELOPE, BODYSTRUCTURE, sent date, section
// bytes and decoded text for SEARCH. See each module's header for its rules.

export { toCrlf } from './crlf.js';
export { binaryPartsToBase64 } from './binary-to-base64.js';
export { messagePreview, PREVIEW_MAX } from './preview.js';
export type { ImapValue } from './imap-value.js';
export { parseMessage, PARSE_VERSION, MAX_NESTING, MAX_PARTS, type MimePart, type ParsedMessage, type PartKind } from './part-tree.js';
export { envelope, sentDate } from './envelope.js';
export { bodyStructure } from './bodystructure.js';
export {
  fetchSection,
  filterHeaderFields,
  findPart,
  sectionRange,
  type ByteRange,
  type Section,
  type SectionText,
} from './sections.js';
export { decodedBodyText, decodedHeaderText, decodedHeaderValues } from './body-text.js';
export { headerFields, fieldValue, fieldValues, sameName, unfold, type HeaderField } from './header.js';
export { decodeHeaderValue } from './encoded-word.js';
export {
  decodeRfc2231Value,
  paramValue,
  parseContentDisposition,
  parseContentLanguage,
  parseContentType,
  type ContentDisposition,
  type ContentType,
  type MimeParam,
} from './params.js';
export { parseAddressList, type EnvelopeAddress } from './address-list.js';
export { parseDate, parseDateDay } from './date.js';
export { decodeBytes } from './charset.js';
export { decodeTransfer } from './transfer-encoding.js';
