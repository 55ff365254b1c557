// Content-Transfer-Encoding decoders (RFC 2045 §6.7, §6.8) for SEARCH text, tolerant of the
// damage real mail carries; they never throw and run in one linear pass.
//
// Invariants:
// - base64: whitespace is skipped; decoding stops at padding or at the first byte outside the
//   alphabet (what follows is garbage, not text); a trailing partial group yields its whole bytes.
// - quoted-printable: "=XX" (either hex case) is a byte, "=" before a line break (trailing
//   whitespace allowed) or at the end is a soft break, whitespace before a hard line break is
//   dropped, and any other "=" stays literal.
// - Other encodings (7bit, 8bit, binary, unknown) are identity.

const B64 = new Int8Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  .split('')
  .forEach((ch, i) => (B64[ch.charCodeAt(0)] = i));

const SP = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const EQ = 0x3d;

export function decodeBase64(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil((input.length * 3) / 4));
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === SP || c === TAB || c === CR || c === LF) continue;
    const v = B64[c];
    if (v < 0) break;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export function decodeQuotedPrintable(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(input.length);
  let n = 0;
  let lineStart = 0; // output index where trailing whitespace of the current line may start
  const len = input.length;
  for (let i = 0; i < len; i++) {
    const c = input[i];
    if (c === EQ) {
      const hi = i + 1 < len ? hexValue(input[i + 1]) : -1;
      const lo = i + 2 < len ? hexValue(input[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        lineStart = n;
        i += 2;
        continue;
      }
      let j = i + 1;
      while (j < len && (input[j] === SP || input[j] === TAB)) j++;
      if (j === len) break; // soft break at the end
      if (input[j] === LF || (input[j] === CR && input[j + 1] === LF)) {
        i = input[j] === CR ? j + 1 : j; // soft line break
        lineStart = n;
        continue;
      }
      out[n++] = c;
      lineStart = n;
    } else if (c === LF || (c === CR && input[i + 1] === LF)) {
      while (n > lineStart && (out[n - 1] === SP || out[n - 1] === TAB)) n--;
      if (c === CR) out[n++] = input[i++];
      out[n++] = LF;
      lineStart = n;
    } else {
      out[n++] = c;
      if (c !== SP && c !== TAB) lineStart = n;
    }
  }
  return out.subarray(0, n);
}

/** Decodes `input` per a Content-Transfer-Encoding value (case-insensitive); identity otherwise. */
export function decodeTransfer(input: Uint8Array, encoding: string | null): Uint8Array {
  switch ((encoding ?? '').toLowerCase()) {
    case 'base64':
      return decodeBase64(input);
    case 'quoted-printable':
      return decodeQuotedPrintable(input);
    default:
      return input;
  }
}
