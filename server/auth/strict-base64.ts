/**
 * Strict decoders for base64 and hex text found in stored hashes and SASL messages. Buffer.from()
 * silently skips characters it does not understand; a damaged hash or a garbled client message
 * must be refused instead, so these return undefined unless the whole text is canonical.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export function decodeBase64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

export function decodeHex(text: string): Buffer | undefined {
  return HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}
